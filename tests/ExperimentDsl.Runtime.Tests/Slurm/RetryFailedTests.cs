using ExperimentDsl.Runtime.Slurm;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary><c>submit --retry-failed</c> on an in-memory cluster: what is re-submitted and what the state file keeps.</summary>
public sealed class RetryFailedTests
{
    private static readonly SubmitOptions Fast = new() { Stagger = TimeSpan.Zero };

    [Fact]
    public void Exactly_the_failed_finetunes_and_their_evals_are_submitted_again_keeping_every_job_id()
    {
        using var experiment = new SlurmExperiment("retry");
        experiment.WriteScripts();
        var slurm = new FakeSlurm();
        SubmitResult first = new Submitter(experiment.Layout, slurm).Submit(Fast);
        Assert.Equal(20, first.Submitted);

        // Run 1's fine-tune timed out (its evals were cancelled with it); run 2's fine-tune completed but
        // one eval failed; everything else completed.
        string timedOut = experiment.RunNames[1] + "/finetune.slurm";
        string failedEval = experiment.RunNames[2] + "/eval/capitalization_epoch0.slurm";
        SlurmStateFile state = experiment.State();
        foreach ((string script, SlurmJobRecord record) in state.Jobs.ToList())
        {
            string end = script == timedOut ? "TIMEOUT"
                : script == failedEval ? "FAILED"
                : script.StartsWith(experiment.RunNames[1] + "/", StringComparison.Ordinal) ? "CANCELLED"
                : SlurmJobStates.Completed;
            state.Jobs[script] = record with { State = end };
        }

        state.Save(experiment.StatePath);
        Dictionary<string, string> before = state.Jobs.ToDictionary(j => j.Key, j => j.Value.JobId!, StringComparer.Ordinal);
        slurm.Submissions.Clear();

        SubmitResult retried = new Submitter(experiment.Layout, slurm).Submit(Fast with { RetryFailed = true });

        string[] expected = [.. state.Jobs.Keys.Where(k => k.StartsWith(experiment.RunNames[1] + "/", StringComparison.Ordinal)).Append(failedEval).Order(StringComparer.Ordinal)];
        Assert.Equal(6, retried.Submitted);
        Assert.Equal(6, retried.Retried);
        Assert.Equal(14, retried.AlreadySubmitted);
        Assert.Equal(expected, retried.Outcomes.Where(o => o.Status == SubmissionStatus.Submitted).Select(o => o.Script).Order(StringComparer.Ordinal));
        SlurmStateFile after = experiment.State();
        string newFinetune = after.Jobs[timedOut].JobId!;
        foreach (string script in expected)
        {
            SlurmJobRecord record = after.Jobs[script];
            Assert.Equal(SlurmJobStates.Pending, record.State);
            SlurmJobAttempt attempt = Assert.Single(record.PreviousAttempts!);
            Assert.Equal(before[script], attempt.JobId);
            Assert.Equal([before[script], record.JobId!], record.AllJobIds);
            Assert.Equal("retry-failed", attempt.RetriedBecause);
        }

        // The evals of the re-submitted fine-tune wait for its new job.
        Assert.All(expected.Where(s => s.StartsWith(experiment.RunNames[1] + "/eval/", StringComparison.Ordinal)),
            s => Assert.Equal("afterok:" + newFinetune, after.Jobs[s].Dependency));
        Assert.Null(after.Jobs[failedEval].Dependency);
        Assert.All(after.Jobs.Where(j => !expected.Contains(j.Key)), j => Assert.Equal(before[j.Key], j.Value.JobId));
        string log = File.ReadAllText(Path.Combine(experiment.Layout.ExperimentDir, "run-torchtune.log"));
        Assert.Contains("RETRY_JOB: " + experiment.RunNames[1] + "\nDetails: Job " + before[timedOut] + " ended TIMEOUT", log, StringComparison.Ordinal);

        // A second retry with nothing failed submits nothing; a third attempt keeps both earlier ids.
        Assert.Equal(0, new Submitter(experiment.Layout, slurm).Submit(Fast with { RetryFailed = true }).Submitted);
        SlurmStateFile again = experiment.State();
        again.Jobs[timedOut] = again.Jobs[timedOut] with { State = "NODE_FAIL" };
        again.Save(experiment.StatePath);
        new Submitter(experiment.Layout, slurm).Submit(Fast with { RetryFailed = true, Only = SubmitKind.Finetune });
        Assert.Equal(3, experiment.State().Jobs[timedOut].AllJobIds.Distinct().Count());
    }

    [Fact]
    public void A_dry_run_of_a_retry_lists_the_commands_and_changes_nothing()
    {
        using var experiment = new SlurmExperiment("retrydry");
        experiment.WriteScripts();
        var slurm = new FakeSlurm();
        new Submitter(experiment.Layout, slurm).Submit(Fast with { Runs = [experiment.RunNames[0]] });
        SlurmStateFile state = experiment.State();
        foreach ((string script, SlurmJobRecord record) in state.Jobs.ToList())
        {
            state.Jobs[script] = record with { State = script.EndsWith("finetune.slurm", StringComparison.Ordinal) ? "NODE_FAIL" : "CANCELLED" };
        }

        state.Save(experiment.StatePath);
        string saved = File.ReadAllText(experiment.StatePath);
        int sbatches = slurm.Submissions.Count;

        SubmitResult dry = new Submitter(experiment.Layout, slurm).Submit(Fast with { RetryFailed = true, DryRun = true, Runs = [experiment.RunNames[0]] });

        Assert.Equal(5, dry.Outcomes.Count(o => o.Status == SubmissionStatus.DryRun));
        Assert.All(dry.CommandLines.Skip(1), line => Assert.Contains("afterok:<job id of " + experiment.RunNames[0] + "/finetune.slurm>", line, StringComparison.Ordinal));
        Assert.Equal(sbatches, slurm.Submissions.Count);
        Assert.Equal(saved, File.ReadAllText(experiment.StatePath));
    }
}
