using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.EndToEnd.Tests;

[CollectionDefinition("slurm-e2e", DisableParallelization = true)]
public sealed class SlurmEndToEndCollection;

/// <summary>
/// The example scaffolded and submitted through its own command line to the real local SLURM. Its jobs
/// find the tune and inspect stand-ins first on PATH (see <see cref="StandIns"/>): tune loads each
/// finetune.yaml with the real OmegaConf and checks it against the pinned torchtune contract; inspect
/// runs the example's own task functions and writes inspect-format logs.
/// </summary>
[Collection("slurm-e2e")]
public sealed class SlurmEndToEndTests
{
    private static IReadOnlyList<string> RunNames => ExampleOnSlurm.RunNames;

    [SkippableFact]
    public void Submitted_example_runs_every_job_to_completed_with_evals_after_their_finetune()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        ExampleOnSlurm.Scaffold(cwd, environment);

        ProgramRun.Result submit = ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");

        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("20 submitted", submit.Output, StringComparison.Ordinal);
        JsonElement status = ExampleOnSlurm.WaitForFinalStatus(cwd, environment);
        Dictionary<string, string> jobs = ExampleOnSlurm.JobIds(cwd.Combine("exp"));
        Assert.Equal(20, jobs.Count);
        foreach (string run in RunNames)
        {
            IReadOnlyDictionary<string, string> finetune = LocalSlurm.ShowJob(jobs[run + "/finetune.slurm"]);
            Assert.True(finetune["JobState"] == "COMPLETED", $"{run} fine-tune: {finetune["JobState"]}\n{JobOutput(cwd, jobs[run + "/finetune.slurm"])}");
            DateTime finetuneEnd = ExampleOnSlurm.Time(finetune["EndTime"]);
            foreach (string task in new[] { "capitalization", "reasoning" })
            {
                foreach (int epoch in new[] { 0, 1 })
                {
                    string evalJob = jobs[$"{run}/eval/{task}_epoch{epoch}.slurm"];
                    IReadOnlyDictionary<string, string> eval = LocalSlurm.ShowJob(evalJob);
                    Assert.True(eval["JobState"] == "COMPLETED", $"{run} {task} epoch {epoch}: {eval["JobState"]}\n{JobOutput(cwd, evalJob)}");
                    Assert.True(ExampleOnSlurm.Time(eval["StartTime"]) >= finetuneEnd, $"{run} {task} epoch {epoch} started before its fine-tune ended");
                }
            }
        }

        ProgramRun.Result final = ExampleOnSlurm.Cli(cwd, environment, "status", "--dir", cwd.Combine("exp"));
        Assert.True(final.ExitCode == 0, final.All);
        Assert.True(status.ValueKind == JsonValueKind.Object);

        // Every fine-tune submission is in the run log with its job id.
        string runLog = File.ReadAllText(cwd.Combine("exp", "run-torchtune.log"));
        var logged = Regex.Matches(runLog, @"SUBMIT_JOB: ([\w.-]+)\n.*?\nJob ID: (\d+)", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        Assert.All(RunNames, run => Assert.Equal(jobs[run + "/finetune.slurm"], logged[run]));

        string calls = File.ReadAllText(cwd.Combine("inspect-calls.txt"));
        Assert.Equal(16, calls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (string run in RunNames)
        {
            AssertCheckpointHoldsTheRunsFiles(cwd, run);
            AssertEvalLogs(cwd, run);
        }

        // The logs the jobs wrote are what results reads: every planned cell is matched and collected.
        ProgramRun.Result results = ExampleOnSlurm.Cli(cwd, environment, "results", "--dir", cwd.Combine("exp"));
        Assert.True(results.ExitCode == 0, results.All);
        ResultsOutputChecks.AssertAllOutputs(cwd.Combine("exp"), fineTunedCells: 16, controlCells: 0);

        ProgramRun.Result again = ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");
        Assert.Contains("0 submitted, 20 already submitted", again.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_failing_finetune_cancels_its_evals_and_status_reports_it()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: RunNames[3]);
        ExampleOnSlurm.Scaffold(cwd, environment);

        Assert.Equal(0, ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0").ExitCode);
        ExampleOnSlurm.WaitForFinalStatus(cwd, environment);

        Dictionary<string, string> jobs = ExampleOnSlurm.JobIds(cwd.Combine("exp"));
        Assert.Equal("FAILED", LocalSlurm.ShowJob(jobs[RunNames[3] + "/finetune.slurm"])["JobState"]);
        foreach (string script in jobs.Keys.Where(k => k.StartsWith(RunNames[3] + "/eval/", StringComparison.Ordinal)))
        {
            Assert.Equal("CANCELLED", LocalSlurm.ShowJob(jobs[script])["JobState"]);
        }

        string calls = File.Exists(cwd.Combine("inspect-calls.txt")) ? File.ReadAllText(cwd.Combine("inspect-calls.txt")) : "";
        Assert.DoesNotContain(RunNames[3], calls, StringComparison.Ordinal);
        Assert.Equal(12, calls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        ProgramRun.Result status = ExampleOnSlurm.Cli(cwd, environment, "status", "--dir", cwd.Combine("exp"));
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("FAILED", status.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Every_generated_script_is_accepted_by_sbatch_test_only()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        ExampleOnSlurm.Scaffold(cwd, environment);

        string[] scripts = Directory.GetFiles(cwd.Combine("exp"), "*.slurm", SearchOption.AllDirectories);

        Assert.Equal(20, scripts.Length);
        foreach (string script in scripts)
        {
            (int code, _, string stderr) = LocalSlurm.TestOnly(script);
            Assert.True(code == 0, $"{script}: {stderr}");
        }
    }

    // seed: finetune.slurm copies setup_finetune.yaml beside the checkpoints; 0.3.4: checkpoints under
    // {run}/artifacts/, and each evaluation copies the file there itself (v0.3.4's finetune.slurm does not).
    // axolotl: the template's axolotl variant (tests/TemplateSweepAxolotl), through to results.
    [SkippableTheory]
    [InlineData("seed", false)]
    [InlineData("0.3.4", false)]
    [InlineData("seed", true)]
    public void Template_project_jobs_run_its_task_which_reads_the_runs_setup_file_next_to_the_checkpoint(string cruijffKitVersion, bool axolotl)
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        string program = axolotl ? Built.TemplateSweepAxolotl : Built.TemplateSweep;
        ProgramRun.Result scaffold = ExampleOnSlurm.Program(
            program, cwd, environment, ["scaffold", "--dir", cwd.Combine("exp"), "--cruijff-kit-version", cruijffKitVersion, .. ExampleOnSlurm.SmallResources]);
        Assert.True(scaffold.ExitCode == 0, scaffold.All);

        ProgramRun.Result submit = ExampleOnSlurm.Program(program, cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");
        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("8 submitted", submit.Output, StringComparison.Ordinal);
        ExampleOnSlurm.WaitForFinalStatus(cwd, environment, program);

        Dictionary<string, string> jobs = ExampleOnSlurm.JobIds(cwd.Combine("exp"));
        Assert.Equal(8, jobs.Count);
        foreach ((string script, string job) in jobs)
        {
            IReadOnlyDictionary<string, string> info = LocalSlurm.ShowJob(job);
            Assert.True(info["JobState"] == "COMPLETED", $"{script}: {info["JobState"]}\n{JobOutput(cwd, job)}");
        }

        string[] runs = [.. jobs.Keys.Where(k => k.EndsWith("/finetune.slurm", StringComparison.Ordinal)).Select(k => k.Split('/')[0])];
        Assert.Equal(4, runs.Length);
        foreach (string run in runs)
        {
            (string file, JsonElement header) = Assert.Single(InspectLogs.Headers(cwd.Combine("exp", run, "eval", "logs")));
            Assert.True(header.GetProperty("status").GetString() == "success", $"{file}: {header.GetProperty("error")}");
            Assert.Equal($"hf/{run}_epoch0", header.GetProperty("eval").GetProperty("model").GetString());
            Assert.Equal("sweepname", header.GetProperty("eval").GetProperty("metadata").GetProperty("experiment").GetString());
            // The system prompt reached the task through the setup file beside the checkpoint.
            Assert.Equal(
                "Answer with the expected output only.",
                header.GetProperty("plan").GetProperty("steps")[0].GetProperty("params").GetProperty("template").GetString());
            JsonElement score = Assert.Single(header.GetProperty("results").GetProperty("scores").EnumerateArray());
            Assert.Equal("match", score.GetProperty("scorer").GetString());
            Assert.InRange(score.GetProperty("metrics").GetProperty("accuracy").GetProperty("value").GetDouble(), 0.01, 0.99);
            if (cruijffKitVersion == "0.3.4")
            {
                // The evaluations' copies left the file whole and no temporary behind.
                string artifacts = Assert.Single(Directory.GetDirectories(cwd.Path, "artifacts", SearchOption.AllDirectories), d => d.Contains("/" + run + "/", StringComparison.Ordinal));
                Assert.Equal(File.ReadAllText(cwd.Combine("exp", run, "setup_finetune.yaml")), File.ReadAllText(Path.Combine(artifacts, "setup_finetune.yaml")));
                Assert.Empty(Directory.GetFiles(artifacts, ".setup_finetune.yaml.*"));
                Assert.Contains("SETUP_COPY=", File.ReadAllText(Assert.Single(Directory.GetFiles(cwd.Combine("exp", run, "eval"), "*.slurm"))), StringComparison.Ordinal);
            }

            Assert.Equal(axolotl, File.Exists(cwd.Combine("exp", run, "axolotl.yaml")));
            Assert.Equal(!axolotl, File.Exists(cwd.Combine("exp", run, "finetune.yaml")));
        }

        ProgramRun.Result results = ExampleOnSlurm.Program(program, cwd, environment, "results", "--dir", cwd.Combine("exp"));
        Assert.True(results.ExitCode == 0, results.All);
        ResultsOutputChecks.AssertAllOutputs(cwd.Combine("exp"), fineTunedCells: 4, controlCells: 0);
    }

    // A job's stdout and stderr (slurm-{id}.out wherever its script put it), so a failure shows why.
    private static string JobOutput(TempDirectory cwd, string jobId) =>
        Directory.GetFiles(cwd.Path, $"slurm-{jobId}.out", SearchOption.AllDirectories) is [string file, ..]
            ? File.ReadAllText(file)
            : $"(no slurm-{jobId}.out under {cwd.Path})";

    private const string Experiment = "cap_4L_lora_lr_sweep";
    private const string SystemPrompt = "You capitalize text exactly as asked.";

    // config_dir tasks read ../setup_finetune.yaml from the epoch checkpoint: the fine-tune job must put
    // the run's files into the checkpoint directory, beside torchtune's epoch directories.
    private static void AssertCheckpointHoldsTheRunsFiles(TempDirectory cwd, string run)
    {
        string checkpoint = cwd.Combine("outputs", Experiment, "ck-out-" + run);
        foreach (string file in new[] { "setup_finetune.yaml", "finetune.yaml", "finetune.slurm" })
        {
            Assert.True(File.Exists(Path.Combine(checkpoint, file)), $"{checkpoint} has no {file}");
            Assert.Equal(File.ReadAllText(cwd.Combine("exp", run, file)), File.ReadAllText(Path.Combine(checkpoint, file)));
        }

        foreach (string epoch in new[] { "epoch_0", "epoch_1" })
        {
            foreach (string file in new[] { "model.safetensors", "adapter_model.safetensors", "adapter_config.json", "config.json" })
            {
                Assert.True(File.Exists(Path.Combine(checkpoint, epoch, file)), $"{checkpoint}/{epoch} has no {file}");
            }
        }
    }

    // One successful inspect log per evaluation, named and tagged so results can tell runs and epochs
    // apart, with the training system prompt reaching both tasks (one by argument, one by the setup file).
    private static void AssertEvalLogs(TempDirectory cwd, string run)
    {
        IReadOnlyList<(string File, JsonElement Header)> logs = InspectLogs.Headers(cwd.Combine("exp", run, "eval", "logs"));
        Assert.Equal(4, logs.Count);
        foreach (string task in new[] { "capitalization", "reasoning" })
        {
            foreach (int epoch in new[] { 0, 1 })
            {
                (string file, JsonElement header) = Assert.Single(logs, log =>
                    log.Header.GetProperty("eval").GetProperty("task").GetString() == task
                    && log.Header.GetProperty("eval").GetProperty("model").GetString() == $"hf/{run}_epoch{epoch}");
                Assert.True(header.GetProperty("status").GetString() == "success", $"{file}: {header.GetProperty("error")}");
                JsonElement metadata = header.GetProperty("eval").GetProperty("metadata");
                Assert.Equal(Experiment, metadata.GetProperty("experiment").GetString());
                Assert.Equal(run, metadata.GetProperty("run").GetString());
                Assert.Equal(task, metadata.GetProperty("task").GetString());
                Assert.Equal(epoch, metadata.GetProperty("epoch").GetInt32());
                JsonElement systemMessage = header.GetProperty("plan").GetProperty("steps")[0];
                Assert.Equal("system_message", systemMessage.GetProperty("solver").GetString());
                Assert.Equal(SystemPrompt, systemMessage.GetProperty("params").GetProperty("template").GetString());
                JsonElement score = Assert.Single(header.GetProperty("results").GetProperty("scores").EnumerateArray());
                // Two test samples, the stand-in model answers the first right and the second wrong.
                Assert.Equal(0.5, score.GetProperty("metrics").GetProperty("accuracy").GetProperty("value").GetDouble());
            }
        }
    }
}
