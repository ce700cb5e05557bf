using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

[CollectionDefinition("slurm-e2e", DisableParallelization = true)]
public sealed class SlurmEndToEndCollection;

/// <summary>
/// The example scaffolded and submitted through its own command line to the real local SLURM, with
/// stub tune/inspect/module/conda first on PATH so the generated batch scripts run to completion.
/// </summary>
[Collection("slurm-e2e")]
public sealed class SlurmEndToEndTests
{
    private static readonly string[] RunNames =
        ["Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r8_lr5e-5", "Llama-3.2-1B_r16_lr1e-5", "Llama-3.2-1B_r16_lr5e-5"];

    // The local cluster has a few GB and fake GPUs: the catalogue's 80G would be refused.
    private static readonly string[] SmallResources = ["--mem", "200M", "--eval-mem", "200M", "--time", "00:05:00", "--eval-time", "00:05:00"];

    [SkippableFact]
    public void Submitted_example_runs_every_job_to_completed_with_evals_after_their_finetune()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StubEnvironment(cwd, failingRun: null);
        Scaffold(cwd, environment);

        ProgramRun.Result submit = Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");

        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("20 submitted", submit.Output, StringComparison.Ordinal);
        JsonElement status = WaitForFinalStatus(cwd, environment);
        Dictionary<string, string> jobs = JobIds(cwd.Combine("exp"));
        Assert.Equal(20, jobs.Count);
        foreach (string run in RunNames)
        {
            IReadOnlyDictionary<string, string> finetune = LocalSlurm.ShowJob(jobs[run + "/finetune.slurm"]);
            Assert.Equal("COMPLETED", finetune["JobState"]);
            DateTime finetuneEnd = Time(finetune["EndTime"]);
            foreach (string task in new[] { "capitalization", "reasoning" })
            {
                foreach (int epoch in new[] { 0, 1 })
                {
                    IReadOnlyDictionary<string, string> eval = LocalSlurm.ShowJob(jobs[$"{run}/eval/{task}_epoch{epoch}.slurm"]);
                    Assert.Equal("COMPLETED", eval["JobState"]);
                    Assert.True(Time(eval["StartTime"]) >= finetuneEnd, $"{run} {task} epoch {epoch} started before its fine-tune ended");
                }
            }
        }

        ProgramRun.Result final = Cli(cwd, environment, "status", "--dir", cwd.Combine("exp"));
        Assert.True(final.ExitCode == 0, final.All);
        Assert.True(status.ValueKind == JsonValueKind.Object);

        // Every fine-tune submission is in the run log with its job id.
        string runLog = File.ReadAllText(cwd.Combine("exp", "run-torchtune.log"));
        var logged = Regex.Matches(runLog, @"SUBMIT_JOB: ([\w.-]+)\n.*?\nJob ID: (\d+)", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        Assert.All(RunNames, run => Assert.Equal(jobs[run + "/finetune.slurm"], logged[run]));

        // The stub inspect received the exact system prompt of training for the explicit-argument task.
        string calls = File.ReadAllText(cwd.Combine("inspect-calls.txt"));
        Assert.Equal(16, calls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        ProgramRun.Result again = Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");
        Assert.Contains("0 submitted, 20 already submitted", again.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_failing_finetune_cancels_its_evals_and_status_reports_it()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StubEnvironment(cwd, failingRun: RunNames[3]);
        Scaffold(cwd, environment);

        Assert.Equal(0, Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0").ExitCode);
        WaitForFinalStatus(cwd, environment);

        Dictionary<string, string> jobs = JobIds(cwd.Combine("exp"));
        Assert.Equal("FAILED", LocalSlurm.ShowJob(jobs[RunNames[3] + "/finetune.slurm"])["JobState"]);
        foreach (string script in jobs.Keys.Where(k => k.StartsWith(RunNames[3] + "/eval/", StringComparison.Ordinal)))
        {
            Assert.Equal("CANCELLED", LocalSlurm.ShowJob(jobs[script])["JobState"]);
        }

        string calls = File.Exists(cwd.Combine("inspect-calls.txt")) ? File.ReadAllText(cwd.Combine("inspect-calls.txt")) : "";
        Assert.DoesNotContain(RunNames[3], calls, StringComparison.Ordinal);
        Assert.Equal(12, calls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        ProgramRun.Result status = Cli(cwd, environment, "status", "--dir", cwd.Combine("exp"));
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("FAILED", status.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Every_generated_script_is_accepted_by_sbatch_test_only()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StubEnvironment(cwd, failingRun: null);
        Scaffold(cwd, environment);

        string[] scripts = Directory.GetFiles(cwd.Combine("exp"), "*.slurm", SearchOption.AllDirectories);

        Assert.Equal(20, scripts.Length);
        foreach (string script in scripts)
        {
            (int code, _, string stderr) = LocalSlurm.TestOnly(script);
            Assert.True(code == 0, $"{script}: {stderr}");
        }
    }

    private static void Scaffold(TempDirectory cwd, Dictionary<string, string> environment)
    {
        ProgramRun.Result scaffold = Cli(cwd, environment, ["scaffold", "--dir", cwd.Combine("exp"), .. SmallResources]);
        Assert.True(scaffold.ExitCode == 0, scaffold.All);
    }

    private static ProgramRun.Result Cli(TempDirectory cwd, Dictionary<string, string> environment, params string[] args) =>
        ProgramRun.Run(Built.Capitalization, cwd.Path, TimeSpan.FromMinutes(3), environment, args);

    private static JsonElement WaitForFinalStatus(TempDirectory cwd, Dictionary<string, string> environment)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ProgramRun.Result status = Cli(cwd, environment, "status", "--dir", cwd.Combine("exp"), "--json");
            JsonElement report = JsonDocument.Parse(status.Output).RootElement;
            string[] states = [.. Jobs(report).Select(j => j.GetProperty("state").GetString()!)];
            if (states.All(s => s is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "OUT_OF_MEMORY" or "NODE_FAIL"))
            {
                return report;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), "jobs did not finish: " + string.Join(", ", states));
            Thread.Sleep(1000);
        }
    }

    private static IEnumerable<JsonElement> Jobs(JsonElement report) =>
        report.GetProperty("runs").EnumerateArray().SelectMany(run =>
            (run.TryGetProperty("finetune", out JsonElement f) && f.ValueKind == JsonValueKind.Object ? [f] : Array.Empty<JsonElement>())
                .Concat(run.GetProperty("evals").EnumerateArray()));

    private static Dictionary<string, string> JobIds(string experimentDir)
    {
        using JsonDocument state = JsonDocument.Parse(File.ReadAllText(Path.Combine(experimentDir, "slurm-state.json")));
        return state.RootElement.GetProperty("jobs").EnumerateObject()
            .Where(j => j.Value.TryGetProperty("jobId", out JsonElement id) && id.ValueKind == JsonValueKind.String)
            .ToDictionary(j => j.Name, j => j.Value.GetProperty("jobId").GetString()!, StringComparer.Ordinal);
    }

    private static DateTime Time(string slurmTime) =>
        DateTime.ParseExact(slurmTime, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Stub tune/inspect/module/conda first on PATH; tune fails in the run named <paramref name="failingRun"/>.</summary>
    private static Dictionary<string, string> StubEnvironment(TempDirectory cwd, string? failingRun)
    {
        string bin = cwd.Combine("stub-bin");
        Directory.CreateDirectory(bin);
        Stub(bin, "module", "exit 0");
        Stub(bin, "conda", "exit 0");
        // The stub fine-tune writes the epoch checkpoints the eval scripts check for.
        const string WriteCheckpoints = "out=$(sed -n 's/^output_dir: //p' finetune.yaml); mkdir -p \"${out}epoch_0\" \"${out}epoch_1\"; sleep 1; exit 0";
        Stub(bin, "tune", failingRun is null
            ? WriteCheckpoints
            : $"case \"$PWD\" in */{failingRun}) echo 'stub tune: failing on purpose' >&2; exit 7;; esac; " + WriteCheckpoints);
        Stub(bin, "inspect", $"printf '%s\\n' \"$PWD\" >> '{cwd.Combine("inspect-calls.txt")}'; exit 0");
        string? conf = Environment.GetEnvironmentVariable("SLURM_CONF");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
        if (conf is not null)
        {
            environment["SLURM_CONF"] = conf;
        }

        return environment;
    }

    private static void Stub(string bin, string name, string body)
    {
        string path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
