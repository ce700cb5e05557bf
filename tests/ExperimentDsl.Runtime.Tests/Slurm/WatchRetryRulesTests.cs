using ExperimentDsl.Runtime.Slurm;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>The watcher's retry rules on an in-memory cluster: a time-out is re-submitted up to its limit, other failures are left.</summary>
public sealed class WatchRetryRulesTests
{
    [Fact]
    public void A_timed_out_finetune_is_resubmitted_once_by_default_and_a_plain_failure_is_left_alone()
    {
        using var experiment = new SlurmExperiment("watchrules");
        experiment.WriteScripts();
        var slurm = new FakeSlurm();
        var rules = new SubmitOptions { Stagger = TimeSpan.Zero, RetryFailed = true, MaxTimeoutRetries = 1 };
        new Submitter(experiment.Layout, slurm).Submit(new SubmitOptions { Stagger = TimeSpan.Zero });
        string timedOut = experiment.RunNames[0] + "/finetune.slurm";
        string failed = experiment.RunNames[1] + "/finetune.slurm";
        End(experiment, timedOut, "TIMEOUT");
        End(experiment, failed, "FAILED");

        SubmitResult first = new Submitter(experiment.Layout, slurm).Submit(rules);

        // The timed-out fine-tune and its four evals; the failed one is not the watcher's to retry.
        Assert.Equal(5, first.Submitted);
        Assert.All(first.Outcomes.Where(o => o.Status == SubmissionStatus.Submitted), o => Assert.StartsWith(experiment.RunNames[0] + "/", o.Script, StringComparison.Ordinal));
        SlurmJobRecord record = experiment.State().Jobs[timedOut];
        Assert.Equal(FailedJobs.TimeoutReason, Assert.Single(record.PreviousAttempts!).RetriedBecause);
        string log = File.ReadAllText(Path.Combine(experiment.Layout.ExperimentDir, "run-torchtune.log"));
        Assert.Contains("ended TIMEOUT; the new job resumes from the last complete epoch checkpoint\nResult: re-submitting (timeout)\n", log, StringComparison.Ordinal);

        End(experiment, timedOut, "TIMEOUT");
        SubmitResult second = new Submitter(experiment.Layout, slurm).Submit(rules);

        // Once is the limit; a higher one allows another attempt.
        Assert.Equal(0, second.Submitted);
        Assert.Equal(5, new Submitter(experiment.Layout, slurm).Submit(rules with { MaxTimeoutRetries = 2 }).Submitted);
        Assert.Equal(2, experiment.State().Jobs[timedOut].PreviousAttempts!.Count);
    }

    private static void End(SlurmExperiment experiment, string finetune, string state)
    {
        SlurmStateFile file = experiment.State();
        string run = finetune.Split('/')[0];
        foreach ((string script, SlurmJobRecord record) in file.Jobs.Where(j => j.Value.Run == run).ToList())
        {
            file.Jobs[script] = record with { State = script == finetune ? state : "CANCELLED" };
        }

        file.Save(experiment.StatePath);
    }
}
