using ExperimentDsl.Runtime.Slurm;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>A submit killed between sbatch and saving the job id neither submits the script twice nor loses the job.</summary>
public sealed class SubmissionIntentTests
{
    private sealed class Killed : Exception;

    [Fact]
    public void A_job_queued_just_before_the_submitter_died_is_adopted_not_submitted_again()
    {
        using var experiment = new SlurmExperiment("intent");
        experiment.WriteScripts();
        var slurm = new FakeSlurm();
        // The third sbatch is accepted, then the process dies before the job id reaches the state file.
        slurm.AfterSbatch = id =>
        {
            if (id == "1002")
            {
                throw new Killed();
            }
        };
        var options = new SubmitOptions { Runs = [experiment.RunNames[0]], Stagger = TimeSpan.Zero };
        Assert.Throws<Killed>(() => new Submitter(experiment.Layout, slurm).Submit(options));
        SlurmJobRecord interrupted = Assert.Single(experiment.State().Jobs.Values, r => r.State == SubmissionIntent.State);
        Assert.Null(interrupted.JobId);
        slurm.AfterSbatch = null;

        SubmitResult again = new Submitter(experiment.Layout, slurm).Submit(options);

        Assert.Equal(2, again.Submitted);
        Assert.Equal(5, slurm.Submissions.Count);
        Dictionary<string, string> ids = experiment.State().Jobs.ToDictionary(j => j.Key, j => j.Value.JobId!, StringComparer.Ordinal);
        Assert.Equal(["1000", "1001", "1002", "1003", "1004"], ids.Values.Order(StringComparer.Ordinal));
        Assert.All(experiment.State().Jobs.Values, r => Assert.Equal(SlurmJobStates.Pending, r.State));
    }

    [Fact]
    public void An_intent_whose_sbatch_never_reached_slurm_is_submitted()
    {
        using var experiment = new SlurmExperiment("intentlost");
        experiment.WriteScripts();
        var slurm = new FakeSlurm();
        var options = new SubmitOptions { Runs = [experiment.RunNames[0]], Only = SubmitKind.Finetune, Stagger = TimeSpan.Zero };
        string script = experiment.RunNames[0] + "/finetune.slurm";
        SlurmStateFile state = experiment.State();
        state.Jobs[script] = new SlurmJobRecord { Kind = SlurmJobKind.Finetune, Run = experiment.RunNames[0], State = SubmissionIntent.State, SubmitToken = "exd:never-queued" };
        state.Save(experiment.StatePath);

        SubmitResult result = new Submitter(experiment.Layout, slurm).Submit(options);

        Assert.Equal(1, result.Submitted);
        Assert.Equal("1000", experiment.State().Jobs[script].JobId);
    }
}
