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
    public void A_timed_out_and_a_requeued_finetune_complete_without_training_epoch_0_again()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        environment["EXD_TUNE_HANG_AFTER_EPOCH"] = "0";
        environment["EXD_TUNE_FAULT_RUNS"] = TimedOut + "," + Requeued;
        Assert.True(ExampleOnSlurm.Cli(cwd, environment, ["scaffold", "--dir", cwd.Combine("exp"), .. ExampleOnSlurm.SmallResources, "--time", "00:01:00"]).ExitCode == 0);
        var jobs = new List<string>();
        try
        {
            ProgramRun.Result submit = ExampleOnSlurm.Cli(cwd, environment,
                "submit", "--dir", cwd.Combine("exp"), "--runs", TimedOut, "--runs", Requeued, "--only", "finetune", "--stagger", "0");
            Assert.True(submit.ExitCode == 0, submit.All);
            Dictionary<string, string> ids = ExampleOnSlurm.JobIds(cwd.Combine("exp"));
            string timedOut = ids[TimedOut + "/finetune.slurm"];
            string requeued = ids[Requeued + "/finetune.slurm"];
            jobs.AddRange([timedOut, requeued]);

            // The requeued job: once epoch 0 is saved and the stand-in hangs, SLURM puts it back in the
            // queue; a requeued job waits two minutes before it may start again, which the test skips.
            WaitFor(() => Trained(cwd, Requeued).Contains("epoch=0", StringComparison.Ordinal)
                && File.Exists(Path.Combine(Checkpoints(cwd, Requeued), "epoch_0", "recipe_state.pt")), "epoch 0 of " + Requeued);
            Assert.Equal(0, LocalSlurm.Run("scontrol", ["requeue", requeued]).ExitCode);
            WaitFor(() => LocalSlurm.ShowJob(requeued)["JobState"] == "PENDING", requeued + " pending after the requeue");
            Assert.Equal(0, LocalSlurm.Run("scontrol", ["update", "JobId=" + requeued, "StartTime=now"]).ExitCode);

            WaitFor(() => LocalSlurm.ShowJob(timedOut)["JobState"] == "TIMEOUT", timedOut + " TIMEOUT", TimeSpan.FromMinutes(3));
            // Re-submitted as a researcher would, with a plain sbatch of the script.
            (int code, string stdout, string stderr) = LocalSlurm.Run("sbatch", ["--parsable", "finetune.slurm"], cwd.Combine("exp", TimedOut));
            Assert.True(code == 0, stderr);
            string resubmitted = stdout.Trim();
            jobs.Add(resubmitted);

            WaitFor(() => LocalSlurm.ShowJob(requeued)["JobState"] == "COMPLETED", requeued + " COMPLETED after its requeue", TimeSpan.FromMinutes(2));
            WaitFor(() => LocalSlurm.ShowJob(resubmitted)["JobState"] == "COMPLETED", TimedOut + " COMPLETED after its re-submission", TimeSpan.FromMinutes(2));

            // Each epoch trained exactly once: epoch 0 by the first attempt, epoch 1 by the resumed one.
            Assert.Equal([$"job={timedOut} restart=0 epoch=0", $"job={resubmitted} restart=0 epoch=1"], Attempts(cwd, TimedOut));
            Assert.Equal([$"job={requeued} restart=0 epoch=0", $"job={requeued} restart=1 epoch=1"], Attempts(cwd, Requeued));
            Assert.Contains("Resuming after epoch 0", File.ReadAllText(cwd.Combine("exp", TimedOut, $"slurm-{resubmitted}.out")), StringComparison.Ordinal);
            // The requeued job appends to its output: both attempts are in one file.
            string requeuedOutput = File.ReadAllText(cwd.Combine("exp", Requeued, $"slurm-{requeued}.out"));
            Assert.Contains("hanging after epoch 0", requeuedOutput, StringComparison.Ordinal);
            Assert.Contains("Resuming after epoch 0", requeuedOutput, StringComparison.Ordinal);
            foreach (string run in new[] { TimedOut, Requeued })
            {
                Assert.True(File.Exists(Path.Combine(Checkpoints(cwd, run), "epoch_1", "adapter_model.safetensors")), run);
            }
        }
        finally
        {
            LocalSlurm.Cancel(jobs);
        }
    }

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
