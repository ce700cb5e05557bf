using System.Diagnostics;
using System.Text.RegularExpressions;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// Interrupted fine-tunes on the real local SLURM continue where they stopped (SPEC 13). The tune
/// stand-in resumes as torchtune does and records every epoch it trains with the job id and SLURM's
/// restart count; it hangs after saving epoch 0 on a first attempt, so one job outlives its one-minute
/// limit (TIMEOUT) and another is requeued with <c>scontrol requeue</c> while it hangs.
/// </summary>
[Collection("slurm-e2e")]
public sealed class ResumeOnSlurmTests
{
    private static readonly string TimedOut = ExampleOnSlurm.RunNames[0];
    private static readonly string Requeued = ExampleOnSlurm.RunNames[1];

    [SkippableFact]
    public void A_timed_out_and_a_requeued_finetune_complete_without_training_epoch_0_again_and_retry_failed_resubmits_exactly_the_failed()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        environment["EXD_TUNE_HANG_AFTER_EPOCH"] = "0";
        environment["EXD_TUNE_FAULT_RUNS"] = TimedOut + "," + Requeued;
        Assert.True(ExampleOnSlurm.Cli(cwd, environment, ["scaffold", "--dir", cwd.Combine("exp"), .. ExampleOnSlurm.SmallResources, "--time", "00:01:00"]).ExitCode == 0);
        string experiment = cwd.Combine("exp");
        try
        {
            ProgramRun.Result submit = ExampleOnSlurm.Cli(cwd, environment,
                "submit", "--dir", experiment, "--runs", TimedOut, "--runs", Requeued, "--stagger", "0");
            Assert.True(submit.ExitCode == 0, submit.All);
            Dictionary<string, string> first = ExampleOnSlurm.JobIds(experiment);
            Assert.Equal(10, first.Count);
            string timedOut = first[TimedOut + "/finetune.slurm"];
            string requeued = first[Requeued + "/finetune.slurm"];

            // The requeued job: once epoch 0 is saved and the stand-in hangs, SLURM puts it back in the
            // queue; a requeued job waits two minutes before it may start again, which the test skips.
            WaitFor(() => Trained(cwd, Requeued).Contains("epoch=0", StringComparison.Ordinal)
                && File.Exists(Path.Combine(Checkpoints(cwd, Requeued), "epoch_0", "recipe_state.pt")), "epoch 0 of " + Requeued);
            Assert.Equal(0, LocalSlurm.Run("scontrol", ["requeue", requeued]).ExitCode);
            WaitFor(() => LocalSlurm.ShowJob(requeued)["JobState"] == "PENDING", requeued + " pending after the requeue");
            Assert.Equal(0, LocalSlurm.Run("scontrol", ["update", "JobId=" + requeued, "StartTime=now"]).ExitCode);

            // The other outlives its one-minute limit after epoch 0; SLURM cancels its evals.
            Dictionary<string, string> ended = ExampleOnSlurm.WaitUntilEnded(cwd, environment, first.Keys, TimeSpan.FromMinutes(4));
            Assert.Equal("TIMEOUT", ended[TimedOut + "/finetune.slurm"]);
            string[] failed = [.. ended.Where(j => j.Value != "COMPLETED").Select(j => j.Key).Order(StringComparer.Ordinal)];
            string[] timedOutScripts = [.. first.Keys.Where(k => k.StartsWith(TimedOut + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
            Assert.Equal(timedOutScripts, failed);
            Assert.Equal([$"job={requeued} restart=0 epoch=0", $"job={requeued} restart=1 epoch=1"], Attempts(cwd, Requeued));
            // The requeued job appends to its output: both attempts are in one file.
            string requeuedOutput = File.ReadAllText(cwd.Combine("exp", Requeued, $"slurm-{requeued}.out"));
            Assert.Contains("hanging after epoch 0", requeuedOutput, StringComparison.Ordinal);
            Assert.Contains("Resuming after epoch 0", requeuedOutput, StringComparison.Ordinal);

            ProgramRun.Result retry = ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", experiment, "--retry-failed", "--stagger", "0");
            Assert.True(retry.ExitCode == 0, retry.All);
            Assert.Contains("5 submitted (5 of them again after failing), 5 already submitted", retry.Output, StringComparison.Ordinal);
            Dictionary<string, string> second = ExampleOnSlurm.JobIds(experiment);
            Assert.All(first.Keys, script => Assert.Equal(timedOutScripts.Contains(script), second[script] != first[script]));
            Assert.All(timedOutScripts, script => Assert.Equal([first[script], second[script]], AllJobIds(experiment, script)));

            Dictionary<string, string> final = ExampleOnSlurm.WaitUntilEnded(cwd, environment, second.Keys, TimeSpan.FromMinutes(3));
            Assert.All(final, job => Assert.True(job.Value == "COMPLETED", job.Key + ": " + job.Value + "\n" + Output(cwd, second[job.Key])));
            string resubmitted = second[TimedOut + "/finetune.slurm"];
            // Each epoch trained exactly once: epoch 0 by the first job, epoch 1 by the re-submitted one.
            Assert.Equal([$"job={timedOut} restart=0 epoch=0", $"job={resubmitted} restart=0 epoch=1"], Attempts(cwd, TimedOut));
            Assert.Contains("Resuming after epoch 0", Output(cwd, resubmitted), StringComparison.Ordinal);
            string log = File.ReadAllText(cwd.Combine("exp", "run-torchtune.log"));
            Assert.Contains($"RETRY_JOB: {TimedOut}\nDetails: Job {timedOut} ended TIMEOUT", log, StringComparison.Ordinal);
        }
        finally
        {
            LocalSlurm.Cancel(File.Exists(SlurmState(experiment)) ? AllJobIdsIn(experiment) : []);
        }
    }

    private static string SlurmState(string experiment) => Path.Combine(experiment, "slurm-state.json");

    private static string[] AllJobIds(string experiment, string script)
    {
        using var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SlurmState(experiment)));
        System.Text.Json.JsonElement record = state.RootElement.GetProperty("jobs").GetProperty(script);
        IEnumerable<string> earlier = record.TryGetProperty("previousAttempts", out System.Text.Json.JsonElement attempts)
            ? attempts.EnumerateArray().Select(a => a.GetProperty("jobId").GetString()!)
            : [];
        return [.. earlier, record.GetProperty("jobId").GetString()!];
    }

    private static string[] AllJobIdsIn(string experiment)
    {
        using var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SlurmState(experiment)));
        return [.. state.RootElement.GetProperty("jobs").EnumerateObject()
            .Where(j => j.Value.TryGetProperty("jobId", out _))
            .SelectMany(j => AllJobIds(experiment, j.Name))];
    }

    private static string Output(TempDirectory cwd, string jobId) =>
        Directory.GetFiles(cwd.Path, $"slurm-{jobId}.out", SearchOption.AllDirectories) is [string file, ..]
            ? File.ReadAllText(file)
            : $"(no slurm-{jobId}.out)";

    private static string Checkpoints(TempDirectory cwd, string run) =>
        Directory.GetDirectories(cwd.Path, "ck-out-" + run, SearchOption.AllDirectories).Single();

    private static string Trained(TempDirectory cwd, string run)
    {
        string[] found = Directory.GetDirectories(cwd.Path, "ck-out-" + run, SearchOption.AllDirectories);
        string path = found.Length == 1 ? Path.Combine(found[0], "standin-trained.txt") : "";
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private static string[] Attempts(TempDirectory cwd, string run) =>
        [.. Regex.Matches(Trained(cwd, run), @"^(job=\d+ restart=\d+ epoch=\d+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value)];

    private static void WaitFor(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < (limit ?? TimeSpan.FromMinutes(1)), "timed out waiting for " + what);
            Thread.Sleep(1000);
        }
    }
}
