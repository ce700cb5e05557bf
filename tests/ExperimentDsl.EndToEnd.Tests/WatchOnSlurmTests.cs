using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// <c>submit --watch</c> on the real local SLURM (SPEC 13): the example with a fine-tune that runs out
/// of CUDA memory above batch size 1 (the tune stand-in fails as torch does) completes every job with
/// the effective batch kept; a watcher detached by a <c>.detach</c> file and one killed with SIGKILL are
/// re-attached by running it again, without a job submitted twice or lost.
/// </summary>
[Collection("slurm-e2e")]
public sealed class WatchOnSlurmTests
{
    private static readonly string OutOfMemory = ExampleOnSlurm.RunNames[2];

    [SkippableFact]
    public void The_example_with_an_out_of_memory_run_completes_under_watch_with_the_effective_batch_kept()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        environment["EXD_TUNE_OOM_ABOVE_BATCH"] = "1";
        environment["EXD_TUNE_FAULT_RUNS"] = OutOfMemory;
        ExampleOnSlurm.Scaffold(cwd, environment);
        string experiment = cwd.Combine("exp");
        string originalYaml = File.ReadAllText(Path.Combine(experiment, OutOfMemory, "finetune.yaml"));
        try
        {
            ProgramRun.Result watch = ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", experiment, "--watch", "--stagger", "0", "--poll", "1");

            Assert.True(watch.ExitCode == 0, watch.All);
            Assert.Contains("every job completed", watch.Output, StringComparison.Ordinal);
            Assert.Matches(@"\[\d\d:\d\d:\d\d\] " + Regex.Escape(OutOfMemory) + "/finetune.slurm: \\w+ -> FAILED", watch.Output);
            Assert.Matches(@"\[\d\d:\d\d:\d\d\] COMPLETED: 20\n", watch.Output);
            using JsonDocument state = JsonDocument.Parse(File.ReadAllText(Path.Combine(experiment, "slurm-state.json")));
            JsonElement jobs = state.RootElement.GetProperty("jobs");
            Assert.All(jobs.EnumerateObject(), j => Assert.Equal("COMPLETED", j.Value.GetProperty("state").GetString()));

            // batch 4 x accumulation 1 ran out of memory, then 2 x 2; 1 x 4 completed: the product is the plan's.
            Assert.Equal((4, 1), (Setting(originalYaml, "batch_size"), Setting(originalYaml, "gradient_accumulation_steps")));
            string yaml = File.ReadAllText(Path.Combine(experiment, OutOfMemory, "finetune.yaml"));
            Assert.Equal((1, 4), (Setting(yaml, "batch_size"), Setting(yaml, "gradient_accumulation_steps")));
            Assert.Equal(originalYaml
                .Replace("batch_size: 4\n", "batch_size: 1\n", StringComparison.Ordinal)
                .Replace("gradient_accumulation_steps: 1\n", "gradient_accumulation_steps: 4\n", StringComparison.Ordinal), yaml);
            JsonElement record = jobs.GetProperty(OutOfMemory + "/finetune.slurm");
            Assert.Equal((1, 4), (record.GetProperty("batchSize").GetInt32(), record.GetProperty("gradientAccumulationSteps").GetInt32()));
            string[] attempts = [.. record.GetProperty("previousAttempts").EnumerateArray().Select(a => a.GetProperty("jobId").GetString()!)];
            Assert.Equal(2, attempts.Length);
            string finalJob = record.GetProperty("jobId").GetString()!;
            // Its evals waited for the job that completed.
            Assert.All(jobs.EnumerateObject().Where(j => j.Name.StartsWith(OutOfMemory + "/eval/", StringComparison.Ordinal)),
                j => Assert.Equal("afterok:" + finalJob, j.Value.GetProperty("dependency").GetString()));
            // Only batch size 1 trained (the stand-in fails before training above it).
            string trained = File.ReadAllText(Directory.GetDirectories(cwd.Path, "ck-out-" + OutOfMemory, SearchOption.AllDirectories).Single() + "/standin-trained.txt");
            Assert.Equal([$"job={finalJob} restart=0 epoch=0 batch_size=1 gradient_accumulation_steps=4", $"job={finalJob} restart=0 epoch=1 batch_size=1 gradient_accumulation_steps=4"],
                trained.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            string log = File.ReadAllText(Path.Combine(experiment, "run-torchtune.log"));
            Assert.Contains($"OOM_RETRY: {OutOfMemory}\nDetails: Job {attempts[0]} ended FAILED; batch_size 4 -> 2, gradient_accumulation_steps 1 -> 2 (effective batch 4 kept; attempt 1/3); finetune.yaml updated\nResult: resubmitted as job {attempts[1]}\n", log, StringComparison.Ordinal);
            Assert.Contains($"OOM_RETRY: {OutOfMemory}\nDetails: Job {attempts[1]} ended FAILED; batch_size 2 -> 1, gradient_accumulation_steps 2 -> 4 (effective batch 4 kept; attempt 2/3); finetune.yaml updated\nResult: resubmitted as job {finalJob}\n", log, StringComparison.Ordinal);

            ProgramRun.Result status = ExampleOnSlurm.Cli(cwd, environment, "status", "--dir", experiment);
            Assert.True(status.ExitCode == 0, status.All);
            Assert.Matches(Regex.Escape(OutOfMemory) + @"\s+finetune\s+" + finalJob + @"\s+COMPLETED\s+\S*\s*3 \(batch 1 x accumulation 4\)", status.Output);

            string markdown = File.ReadAllText(Path.Combine(experiment, "experiment_summary.md"));
            Assert.Contains($"| {OutOfMemory} | {attempts[0]} | 4 | 1 | 4 | FAILED |\n| {OutOfMemory} | {attempts[1]} | 2 | 2 | 4 | FAILED |\n| {OutOfMemory} | {finalJob} | 1 | 4 | 4 | current |\n", markdown, StringComparison.Ordinal);
            // The YAML plan stays YAML: its what_ran entries read back as data.
            JsonElement whatRan = PyYaml.LoadAll([Path.Combine(experiment, "experiment_summary.yaml")])[0].GetProperty("what_ran");
            JsonElement ran = Assert.Single(whatRan.EnumerateArray());
            Assert.Equal(OutOfMemory, ran.GetProperty("run").GetString());
            Assert.Equal([4, 4, 4], ran.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("effective_batch").GetInt32()));
            Assert.Contains($"job_id: \"{finalJob}\", batch_size: 1, gradient_accumulation_steps: 4, effective_batch: 4", File.ReadAllText(Path.Combine(experiment, "experiment_summary.yaml")), StringComparison.Ordinal);
        }
        finally
        {
            LocalSlurm.Cancel(OurJobs(cwd).Keys);
        }
    }

    [SkippableFact]
    public void A_detached_a_terminated_and_a_killed_watcher_are_reattached_without_a_job_submitted_twice_or_lost()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        ExampleOnSlurm.Scaffold(cwd, environment);
        string experiment = cwd.Combine("exp");
        string[] watch = ["submit", "--dir", experiment, "--watch", "--stagger", "0", "--poll", "1", "--max-queued", "2"];
        try
        {
            // Detached by the sentinel file once some jobs are queued: exit 0, the jobs keep running.
            using (Process first = ProgramRun.Start(Built.Capitalization, cwd.Path, environment, watch))
            {
                Task<string> output = first.StandardOutput.ReadToEndAsync();
                WaitFor(() => Submitted(experiment) >= 2, "the first submissions");
                File.WriteAllText(Path.Combine(experiment, ".detach"), "");
                Assert.True(first.WaitForExit(TimeSpan.FromSeconds(30)), "the watcher did not detach");
                Assert.Equal(0, first.ExitCode);
                Assert.Contains("detached", output.Result, StringComparison.Ordinal);
                Assert.False(File.Exists(Path.Combine(experiment, ".detach")));
            }

            // Re-attached, then asked to stop with SIGTERM: it detaches the same way.
            using (Process terminated = ProgramRun.Start(Built.Capitalization, cwd.Path, environment, watch))
            {
                Task<string> output = terminated.StandardOutput.ReadToEndAsync();
                int before = Submitted(experiment);
                WaitFor(() => Submitted(experiment) > before, "a submission after re-attaching");
                Assert.Equal(0, LocalSlurm.Run("kill", ["-TERM", terminated.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
                Assert.True(terminated.WaitForExit(TimeSpan.FromSeconds(30)), "the watcher did not detach on SIGTERM");
                Assert.Equal(0, terminated.ExitCode);
                Assert.Contains("detached", output.Result, StringComparison.Ordinal);
            }

            // Re-attached, then killed outright in the middle of feeding the queue.
            using (Process second = ProgramRun.Start(Built.Capitalization, cwd.Path, environment, watch))
            {
                int before = Submitted(experiment);
                WaitFor(() => Submitted(experiment) >= before + 3, "more submissions");
                second.Kill();
                second.WaitForExit();
            }

            ProgramRun.Result last = ExampleOnSlurm.Cli(cwd, environment, watch);
            Assert.True(last.ExitCode == 0, last.All);
            Assert.Contains("every job completed", last.Output, StringComparison.Ordinal);

            // Each script has exactly one job, and SLURM ran exactly those 20 jobs for this experiment.
            Dictionary<string, string> ids = ExampleOnSlurm.JobIds(experiment);
            Assert.Equal(20, ids.Count);
            Assert.DoesNotContain("previousAttempts", File.ReadAllText(Path.Combine(experiment, "slurm-state.json")), StringComparison.Ordinal);
            Dictionary<string, string> ran = OurJobs(cwd);
            Assert.Equal(ids.Values.Order(StringComparer.Ordinal), ran.Keys.Order(StringComparer.Ordinal));
            Assert.All(ran.Values, state => Assert.Equal("COMPLETED", state));
        }
        finally
        {
            LocalSlurm.Cancel(OurJobs(cwd).Keys);
        }
    }

    private static int Setting(string yaml, string key) =>
        int.Parse(Regex.Match(yaml, "^" + key + ": (\\d+)$", RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static int Submitted(string experiment) =>
        File.Exists(Path.Combine(experiment, "slurm-state.json")) ? ExampleOnSlurm.JobIds(experiment).Count : 0;

    /// <summary>Every job SLURM knows that was submitted from this test's directory, with its state.</summary>
    private static Dictionary<string, string> OurJobs(TempDirectory cwd)
    {
        (int code, string stdout, _) = LocalSlurm.Run("squeue", ["--noheader", "--me", "--states=all", "--format=%i|%T|%Z"]);
        Assert.Equal(0, code);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim().Split('|'))
            .Where(f => f.Length == 3 && f[2].StartsWith(cwd.Path, StringComparison.Ordinal))
            .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "timed out waiting for " + what);
            Thread.Sleep(200);
        }
    }
}
