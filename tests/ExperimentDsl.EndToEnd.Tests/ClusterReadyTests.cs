using System.Text.Json;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// The example used as a researcher would on a cluster: scripts queued by hand with a plain sbatch,
/// scaffold on one day and submit on another without repeating the environment, and a preflight
/// that stops a submit whose jobs would fail on a missing input.
/// </summary>
[Collection("slurm-e2e")]
public sealed class ClusterReadyTests
{
    [SkippableFact]
    public void Every_script_queued_by_hand_with_plain_sbatch_in_dependency_order_completes_and_leaves_its_output_beside_it()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        ExampleOnSlurm.Scaffold(cwd, environment);
        string experiment = cwd.Combine("exp");
        var jobs = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (string run in ExampleOnSlurm.RunNames)
            {
                // As a researcher would: from the run directory, nothing created beforehand.
                string finetune = Sbatch(Path.Combine(experiment, run), "finetune.slurm", environment);
                jobs[Path.Combine(run, "finetune.slurm")] = finetune;
                foreach (string script in Directory.GetFiles(Path.Combine(experiment, run, "eval"), "*.slurm").Order(StringComparer.Ordinal))
                {
                    jobs[Path.GetRelativePath(experiment, script)] = Sbatch(Path.GetDirectoryName(script)!, Path.GetFileName(script), environment, "--dependency=afterok:" + finetune);
                }
            }

            Assert.Equal(20, jobs.Count);
            WaitUntilEnded(jobs.Values);
            foreach ((string script, string id) in jobs)
            {
                Assert.True(LocalSlurm.ShowJob(id)["JobState"] == "COMPLETED", script + ": " + string.Join(" ", LocalSlurm.ShowJob(id)));
                string directory = Path.GetDirectoryName(Path.Combine(experiment, script))!;
                Assert.True(File.Exists(Path.Combine(directory, $"slurm-{id}.out")), $"{script}: no slurm-{id}.out beside the script");
                Assert.Equal("0\n", File.ReadAllText(Path.Combine(directory, $"slurm-{id}.exitcode")));
            }
        }
        finally
        {
            LocalSlurm.Cancel(jobs.Values);
        }
    }

    [SkippableFact]
    public void Scaffold_with_its_own_environment_then_submit_and_status_without_options_complete_and_a_contradicting_option_submits_nothing()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        string outputRoot = cwd.Combine("elsewhere", "outputs");
        string modelsDir = cwd.Combine("elsewhere", "models");
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null, modelsDir: modelsDir);
        string experiment = cwd.Combine("exp");
        ProgramRun.Result scaffold = ExampleOnSlurm.Cli(cwd, environment,
            ["scaffold", "--dir", experiment, "--output-root", outputRoot, "--models-dir", modelsDir, "--conda-env", "sweepenv", .. ExampleOnSlurm.SmallResources]);
        Assert.True(scaffold.ExitCode == 0, scaffold.All);
        Assert.Contains(RecordedEnvironmentName, File.ReadAllText(Path.Combine(experiment, "scaffold-manifest.json")), StringComparison.Ordinal);

        ProgramRun.Result submit = ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", experiment, "--stagger", "0");
        Assert.True(submit.ExitCode == 0, submit.All);
        ExampleOnSlurm.WaitForFinalStatus(cwd, environment);
        ProgramRun.Result status = ExampleOnSlurm.Cli(cwd, environment, "status", "--dir", experiment);
        Assert.True(status.ExitCode == 0, status.All);
        foreach (string run in ExampleOnSlurm.RunNames)
        {
            Assert.True(Directory.Exists(Path.Combine(outputRoot, "cap_4L_lora_lr_sweep", "ck-out-" + run, "epoch_1")), run + ": no checkpoint under the scaffolded output root");
        }

        Assert.False(Directory.Exists(cwd.Combine("outputs")), "submit used the built-in output root instead of the scaffolded one");
        string state = File.ReadAllText(Path.Combine(experiment, "slurm-state.json"));

        ProgramRun.Result contradicting = ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", experiment, "--stagger", "0", "--output-root", cwd.Combine("other"));

        Assert.Equal(2, contradicting.ExitCode);
        Assert.Contains(outputRoot, contradicting.Error, StringComparison.Ordinal);
        Assert.Contains(cwd.Combine("other"), contradicting.Error, StringComparison.Ordinal);
        Assert.Contains("re-scaffold", contradicting.Error, StringComparison.Ordinal);
        Assert.Equal("", contradicting.Output);
        Assert.Equal(state, File.ReadAllText(Path.Combine(experiment, "slurm-state.json")));
    }

    [SkippableFact]
    public void The_evaluations_of_one_run_each_build_their_datasets_cache_in_a_directory_of_their_own()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        ExampleOnSlurm.Scaffold(cwd, environment);

        Assert.Equal(0, ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0").ExitCode);
        ExampleOnSlurm.WaitForFinalStatus(cwd, environment);

        string[][] calls = [.. File.ReadAllLines(cwd.Combine(StandIns.InspectCalls)).Select(line => line.Split('\t'))];
        Assert.Equal(16, calls.Length);
        foreach (IGrouping<string, string[]> run in calls.GroupBy(call => call[0]))
        {
            string[] caches = [.. run.Select(call => call[2])];
            Assert.Equal(4, caches.Length);
            Assert.All(caches, cache => Assert.False(string.IsNullOrEmpty(cache), run.Key + ": HF_DATASETS_CACHE not set"));
            Assert.Equal(caches.Length, caches.Distinct(StringComparer.Ordinal).Count());
            // Each is inside its job's own temporary directory, removed when the job ends.
            Assert.All(caches, cache => Assert.False(Directory.Exists(cache), cache + " was left behind"));
        }
    }

    [SkippableFact]
    public void Submit_with_a_missing_base_model_reports_it_with_its_path_and_submits_nothing()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        ExampleOnSlurm.Scaffold(cwd, environment);
        string model = cwd.Combine("models", "Llama-3.2-1B");
        Directory.Delete(model, recursive: true);

        ProgramRun.Result submit = ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");

        Assert.Equal(2, submit.ExitCode);
        Assert.Contains(model + ": base model directory does not exist", submit.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(cwd.Combine("exp", "slurm-state.json")), "something was submitted");
        Assert.Contains("PREFLIGHT", File.ReadAllText(cwd.Combine("exp", "run-torchtune.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_json_of_an_experiment_never_scaffolded_is_one_json_document_and_the_error_is_on_stderr()
    {
        using var cwd = new TempDirectory();

        ProgramRun.Result status = ProgramRun.Run(Built.Capitalization, cwd.Path, "status", "--dir", cwd.Combine("exp"), "--json");

        Assert.Equal(2, status.ExitCode);
        using JsonDocument document = JsonDocument.Parse(status.Output);
        Assert.Contains("scaffold", document.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("error:", status.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("status")]
    [InlineData("preflight")]
    public void Help_of_a_verb_after_scaffold_lists_only_the_options_it_uses(string verb)
    {
        using var cwd = new TempDirectory();

        string help = ProgramRun.Run(Built.Capitalization, cwd.Path, verb, "--help").Output;
        string scaffoldHelp = ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--help").Output;

        Assert.Contains("--dir", help, StringComparison.Ordinal);
        Assert.Contains("--output-root", scaffoldHelp, StringComparison.Ordinal);
        foreach (string option in new[] { "--output-root", "--models-dir", "--conda-env", "--mem", "--partition", "--settings" })
        {
            Assert.DoesNotContain(option, help, StringComparison.Ordinal);
        }
    }

    private const string RecordedEnvironmentName = "scaffold-environment.json";

    private static string Sbatch(string directory, string script, Dictionary<string, string> environment, params string[] options)
    {
        (int code, string stdout, string stderr) = LocalSlurm.Run("sbatch", ["--parsable", .. options, script], directory, environment);
        Assert.True(code == 0, $"sbatch {script} in {directory}: {stderr}");
        return stdout.Trim().Split(';')[0];
    }

    private static void WaitUntilEnded(IEnumerable<string> jobIds)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        string[] ids = [.. jobIds];
        while (true)
        {
            string[] states = [.. ids.Select(id => LocalSlurm.ShowJob(id)["JobState"])];
            if (states.All(s => s is not ("PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING")))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "jobs did not end: " + string.Join(", ", states));
            Thread.Sleep(1000);
        }
    }
}
