using ExperimentDsl.Runtime.Slurm;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>Stagger, queue cap and selection, on an in-memory cluster (no SLURM needed).</summary>
public sealed class SubmitterPacingTests
{
    [Fact]
    public void Submissions_are_staggered_and_squeue_is_not_asked_while_the_queue_has_room()
    {
        using var experiment = new SlurmExperiment("stagger");
        experiment.WriteScripts();
        var slurm = new FakeSlurm();
        var sleeps = new List<TimeSpan>();

        SubmitResult result = new Submitter(experiment.Layout, slurm, sleep: sleeps.Add)
            .Submit(new SubmitOptions { Runs = [experiment.RunNames[0]], Stagger = TimeSpan.FromSeconds(5) });

        Assert.Equal(5, result.Submitted);
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromSeconds(5), 4), sleeps);
        Assert.Equal(0, slurm.SqueueCalls);
        Assert.Equal(experiment.Layout.Absolute(experiment.RunNames[0]), slurm.Submissions[0].Directory);
        Assert.Equal(["--parsable", "--dependency=afterok:1000", "--kill-on-invalid-dep=yes", "capitalization_epoch0.slurm"], slurm.Submissions[1].Arguments.Skip(1));
        Assert.StartsWith("--comment=exd:", slurm.Submissions[1].Arguments[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_queue_is_polled_until_a_job_leaves()
    {
        using var experiment = new SlurmExperiment("full");
        experiment.WriteScripts();
        var slurm = new FakeSlurm();
        var sleeps = new List<TimeSpan>();
        // Each poll lets the oldest queued job finish, but only every second time.
        slurm.OnSqueue = s =>
        {
            if (s.SqueueCalls % 2 == 0)
            {
                s.Queued.Remove(s.Queued.Order(StringComparer.Ordinal).First());
            }
        };

        SubmitResult result = new Submitter(experiment.Layout, slurm, sleep: sleeps.Add).Submit(new SubmitOptions
        {
            Runs = [experiment.RunNames[0]],
            MaxQueued = 2,
            Stagger = TimeSpan.Zero,
            PollInterval = TimeSpan.FromSeconds(7),
        });

        Assert.Equal(5, result.Submitted);
        // Jobs 3, 4 and 5 each waited two polls (one full, one with room).
        Assert.Equal(6, slurm.SqueueCalls);
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromSeconds(7), 6), sleeps);
    }

    [Fact]
    public void Evals_alone_are_blocked_until_their_finetune_has_a_job()
    {
        using var experiment = new SlurmExperiment("evalsonly");
        experiment.WriteScripts();
        var slurm = new FakeSlurm();
        var submitter = new Submitter(experiment.Layout, slurm, sleep: _ => { });
        string run = experiment.RunNames[1];

        SubmitResult dry = submitter.Submit(new SubmitOptions { Runs = [run], Only = SubmitKind.Eval, DryRun = true });
        SubmitResult blocked = submitter.Submit(new SubmitOptions { Runs = [run], Only = SubmitKind.Eval, Stagger = TimeSpan.Zero });

        Assert.All(dry.Outcomes, o => Assert.Equal(SubmissionStatus.Blocked, o.Status));
        Assert.Equal(4, blocked.Blocked);
        Assert.Empty(slurm.Submissions);
        Assert.Contains($"SUBMIT_BLOCKED: {run}/reasoning_epoch1\nDetails: not submitted: fine-tune {run}/finetune.slurm has no job\nResult: blocked\n",
            File.ReadAllText(Path.Combine(experiment.Layout.ExperimentDir, "run-inspect.log")), StringComparison.Ordinal);

        SubmitResult all = submitter.Submit(new SubmitOptions { Runs = [run], Stagger = TimeSpan.Zero });
        Assert.Equal(5, all.Submitted);
        Assert.True(all.Success);
    }

    [Fact]
    public void An_unknown_run_is_refused_before_anything_is_submitted()
    {
        using var experiment = new SlurmExperiment("unknown");
        var slurm = new FakeSlurm();

        var error = Assert.Throws<ArgumentException>(() =>
            new Submitter(experiment.Layout, slurm).Submit(new SubmitOptions { Runs = ["Llama-3.2-1B_r32_lr1e-5"] }));

        Assert.Contains("Llama-3.2-1B_r32_lr1e-5", error.Message, StringComparison.Ordinal);
        Assert.Empty(slurm.Submissions);
    }
}
