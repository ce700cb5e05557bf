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
/// The example scaffolded and submitted through its own command line to the real local SLURM. Its jobs
/// find the tune and inspect stand-ins first on PATH (see <see cref="StandInTools"/>): tune loads each
/// finetune.yaml with the real OmegaConf and checks it against the pinned torchtune contract; inspect
/// runs the example's own task functions and writes inspect-format logs.
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
        Dictionary<string, string> environment = StandIns(cwd, failingRun: null);
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
            Assert.True(finetune["JobState"] == "COMPLETED", $"{run} fine-tune: {finetune["JobState"]}\n{JobOutput(cwd, jobs[run + "/finetune.slurm"])}");
            DateTime finetuneEnd = Time(finetune["EndTime"]);
            foreach (string task in new[] { "capitalization", "reasoning" })
            {
                foreach (int epoch in new[] { 0, 1 })
                {
                    string evalJob = jobs[$"{run}/eval/{task}_epoch{epoch}.slurm"];
                    IReadOnlyDictionary<string, string> eval = LocalSlurm.ShowJob(evalJob);
                    Assert.True(eval["JobState"] == "COMPLETED", $"{run} {task} epoch {epoch}: {eval["JobState"]}\n{JobOutput(cwd, evalJob)}");
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

        string calls = File.ReadAllText(cwd.Combine("inspect-calls.txt"));
        Assert.Equal(16, calls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (string run in RunNames)
        {
            AssertCheckpointHoldsTheRunsFiles(cwd, run);
            AssertEvalLogs(cwd, run);
        }

        ProgramRun.Result again = Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");
        Assert.Contains("0 submitted, 20 already submitted", again.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_failing_finetune_cancels_its_evals_and_status_reports_it()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns(cwd, failingRun: RunNames[3]);
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
        Dictionary<string, string> environment = StandIns(cwd, failingRun: null);
        Scaffold(cwd, environment);

        string[] scripts = Directory.GetFiles(cwd.Combine("exp"), "*.slurm", SearchOption.AllDirectories);

        Assert.Equal(20, scripts.Length);
        foreach (string script in scripts)
        {
            (int code, _, string stderr) = LocalSlurm.TestOnly(script);
            Assert.True(code == 0, $"{script}: {stderr}");
        }
    }

    [SkippableFact]
    public void Template_project_jobs_run_its_task_which_reads_the_runs_setup_file_next_to_the_checkpoint()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns(cwd, failingRun: null);
        ProgramRun.Result scaffold = ProgramOf(Built.TemplateSweep, cwd, environment, ["scaffold", "--dir", cwd.Combine("exp"), .. SmallResources]);
        Assert.True(scaffold.ExitCode == 0, scaffold.All);

        ProgramRun.Result submit = ProgramOf(Built.TemplateSweep, cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");
        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("8 submitted", submit.Output, StringComparison.Ordinal);
        WaitForFinalStatus(cwd, environment, Built.TemplateSweep);

        Dictionary<string, string> jobs = JobIds(cwd.Combine("exp"));
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
        }
    }

    private static void Scaffold(TempDirectory cwd, Dictionary<string, string> environment)
    {
        ProgramRun.Result scaffold = Cli(cwd, environment, ["scaffold", "--dir", cwd.Combine("exp"), .. SmallResources]);
        Assert.True(scaffold.ExitCode == 0, scaffold.All);
    }

    private static ProgramRun.Result Cli(TempDirectory cwd, Dictionary<string, string> environment, params string[] args) =>
        ProgramOf(Built.Capitalization, cwd, environment, args);

    private static ProgramRun.Result ProgramOf(string program, TempDirectory cwd, Dictionary<string, string> environment, params string[] args) =>
        ProgramRun.Run(program, cwd.Path, TimeSpan.FromMinutes(3), environment, args);

    private static JsonElement WaitForFinalStatus(TempDirectory cwd, Dictionary<string, string> environment, string? program = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ProgramRun.Result status = ProgramOf(program ?? Built.Capitalization, cwd, environment, "status", "--dir", cwd.Combine("exp"), "--json");
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

    // A job's stdout and stderr (slurm-{id}.out wherever its script put it), so a failure shows why.
    private static string JobOutput(TempDirectory cwd, string jobId) =>
        Directory.GetFiles(cwd.Path, $"slurm-{jobId}.out", SearchOption.AllDirectories) is [string file, ..]
            ? File.ReadAllText(file)
            : $"(no slurm-{jobId}.out under {cwd.Path})";

    private static DateTime Time(string slurmTime) =>
        DateTime.ParseExact(slurmTime, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private const string Experiment = "cap_4L_lora_lr_sweep";
    private const string SystemPrompt = "You capitalize text exactly as asked.";

    private static Dictionary<string, string> StandIns(TempDirectory cwd, string? failingRun)
    {
        StandInTools.BaseModel(cwd.Path, "Llama-3.2-1B");
        return StandInTools.Install(cwd.Path, failingRun);
    }

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
