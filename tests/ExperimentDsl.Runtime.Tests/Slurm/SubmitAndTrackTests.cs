using System.Globalization;
using System.Text.RegularExpressions;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>The whole experiment on the real cluster: fine-tunes, afterok evals, status.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SubmitAndTrackTests
{
    private static readonly SubmitOptions Fast = new() { Stagger = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(500) };

    [SkippableFact]
    public void Every_eval_runs_after_its_finetune_and_the_experiment_completes()
    {
        LocalSlurm.Require();
        using var experiment = new SlurmExperiment("all");
        experiment.WriteScripts();

        SubmitResult result = experiment.Submitter().Submit(Fast);

        Assert.True(result.Success, string.Join("\n", result.Outcomes.Select(o => o.Error)));
        Assert.Equal(20, result.Submitted);
        StatusReport report = experiment.WaitUntilSettled();
        Assert.True(report.AllCompleted, StatusRendering.ToTable(report));
        Assert.False(report.AnyFailed);

        SlurmStateFile state = experiment.State();
        foreach (PlannedRun run in experiment.Plan.Runs)
        {
            string finetuneId = state.Jobs[run.Name + "/finetune.slurm"].JobId!;
            IReadOnlyDictionary<string, string> finetune = LocalSlurm.ShowJob(finetuneId);
            Assert.Equal("COMPLETED", finetune["JobState"]);
            DateTime finetuneEnd = SlurmTime(finetune["EndTime"]);
            foreach (EvalCell cell in experiment.Plan.Evaluations.Where(c => c.RunName == run.Name))
            {
                SlurmJobRecord eval = state.Jobs[experiment.Layout.EvalScript(cell)];
                Assert.Equal("afterok:" + finetuneId, eval.Dependency);
                IReadOnlyDictionary<string, string> job = LocalSlurm.ShowJob(eval.JobId!);
                Assert.Equal("COMPLETED", job["JobState"]);
                Assert.True(SlurmTime(job["StartTime"]) >= finetuneEnd,
                    $"{cell} started {job["StartTime"]}, before its fine-tune ended {finetune["EndTime"]}");
                Assert.Equal(eval.JobId, File.ReadAllText(experiment.Marker(cell)).Trim());
            }
        }

        // The fine-tune's output file lands in its run directory, where it was submitted from.
        Assert.True(File.Exists(Path.Combine(experiment.Layout.Absolute(experiment.RunNames[0]), "slurm-" + state.Jobs[experiment.RunNames[0] + "/finetune.slurm"].JobId + ".out")));

        string torchtuneLog = File.ReadAllText(Path.Combine(experiment.Layout.ExperimentDir, "run-torchtune.log"));
        string inspectLog = File.ReadAllText(Path.Combine(experiment.Layout.ExperimentDir, "run-inspect.log"));
        Assert.Contains("] ALL_COMPLETE\nDetails: 4 fine-tune jobs completed\nResult: success\n", torchtuneLog, StringComparison.Ordinal);
        Assert.Contains("] ALL_COMPLETE\nDetails: 16 eval jobs completed\nResult: success\n", inspectLog, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"STATE_CHANGE: " + Regex.Escape(experiment.RunNames[0]) + @"\nDetails: Job \d+: \w+ -> COMPLETED\n"), torchtuneLog);

        // A refresh after everything ended logs nothing more.
        experiment.Reporter().Refresh();
        Assert.Equal(torchtuneLog, File.ReadAllText(Path.Combine(experiment.Layout.ExperimentDir, "run-torchtune.log")));
    }

    [SkippableFact]
    public void A_failed_finetune_cancels_its_evals_and_status_reports_the_failure()
    {
        LocalSlurm.Require();
        using var experiment = new SlurmExperiment("fail");
        string failing = experiment.RunNames[1];
        string healthy = experiment.RunNames[0];
        experiment.WriteScripts(failingRuns: new HashSet<string> { failing });

        SubmitResult result = experiment.Submitter().Submit(Fast with { Runs = [healthy, failing] });

        Assert.Equal(10, result.Submitted);
        StatusReport report = experiment.WaitUntilSettled();
        Assert.False(report.AllCompleted);
        Assert.True(report.AnyFailed);

        RunStatus failed = report.Runs.Single(r => r.Run == failing);
        Assert.Equal("FAILED", failed.Finetune!.State);
        Assert.Equal("1:0", failed.Finetune.ExitCode);
        Assert.All(failed.Evals, e => Assert.Equal("CANCELLED", e.State));
        Assert.All(experiment.Plan.Evaluations.Where(c => c.RunName == failing), c =>
        {
            Assert.False(File.Exists(experiment.Marker(c)), $"{c} ran although its fine-tune failed");
            Assert.Equal("CANCELLED", LocalSlurm.ShowJob(experiment.State().Jobs[experiment.Layout.EvalScript(c)].JobId!)["JobState"]);
        });
        Assert.Equal(5, report.Failures.Count);

        RunStatus ok = report.Runs.Single(r => r.Run == healthy);
        Assert.All(ok.Jobs, j => Assert.Equal("COMPLETED", j.State));
        Assert.All(experiment.Plan.Evaluations.Where(c => c.RunName == healthy), c => Assert.True(File.Exists(experiment.Marker(c))));

        // Runs that were never submitted are reported as such, not as failures.
        Assert.All(report.Runs.Where(r => r.Run != healthy && r.Run != failing).SelectMany(r => r.Jobs),
            j => Assert.Equal(SlurmJobStates.NotSubmitted, j.State));

        string table = StatusRendering.ToTable(report);
        Assert.Contains(failing, table, StringComparison.Ordinal);
        Assert.Contains("some jobs failed", table, StringComparison.Ordinal);
        string json = StatusRendering.ToJson(report);
        Assert.Contains("\"anyFailed\": true", json, StringComparison.Ordinal);
        Assert.Contains("\"allCompleted\": false", json, StringComparison.Ordinal);

        string torchtuneLog = File.ReadAllText(Path.Combine(experiment.Layout.ExperimentDir, "run-torchtune.log"));
        Assert.Contains($"STATE_CHANGE: {failing}\nDetails: Job {failed.Finetune.JobId}: ", torchtuneLog, StringComparison.Ordinal);
        Assert.Contains("-> FAILED\nExit code: 1:0\n", torchtuneLog, StringComparison.Ordinal);
        Assert.DoesNotContain("ALL_COMPLETE", torchtuneLog, StringComparison.Ordinal);
    }

    private static DateTime SlurmTime(string value) =>
        DateTime.ParseExact(value, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
}
