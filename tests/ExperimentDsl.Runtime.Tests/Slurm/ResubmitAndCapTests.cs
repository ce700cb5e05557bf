using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>A second submit never double-submits; the queue cap holds.</summary>
[Collection(SlurmCollection.Name)]
public sealed class ResubmitAndCapTests
{
    private static readonly SubmitOptions Fast = new() { Stagger = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(500) };

    [SkippableFact]
    public void A_second_submit_submits_nothing_and_a_partial_one_is_resumed()
    {
        LocalSlurm.Require();
        using var experiment = new SlurmExperiment("twice");
        experiment.WriteScripts();
        string run = experiment.RunNames[2];

        SubmitResult finetunes = experiment.Submitter().Submit(Fast with { Runs = [run], Only = SubmitKind.Finetune });
        Assert.Equal(1, finetunes.Submitted);
        string finetuneId = finetunes.Outcomes.Single().JobId!;

        // The rest of the run: only the evals are new, each waiting on the recorded fine-tune.
        SubmitResult rest = experiment.Submitter().Submit(Fast with { Runs = [run] });
        Assert.Equal(4, rest.Submitted);
        Assert.Equal(1, rest.AlreadySubmitted);
        Assert.All(experiment.State().Jobs.Values.Where(r => r.Kind == SlurmJobKind.Eval), r => Assert.Equal("afterok:" + finetuneId, r.Dependency));
        Assert.Equal(5, experiment.Slurm.SbatchCalls);

        string stateBefore = File.ReadAllText(experiment.StatePath);
        SubmitResult again = experiment.Submitter().Submit(Fast with { Runs = [run] });

        Assert.Equal(0, again.Submitted);
        Assert.Equal(5, again.AlreadySubmitted);
        Assert.Equal(5, experiment.Slurm.SbatchCalls);
        Assert.Equal(stateBefore, File.ReadAllText(experiment.StatePath));
        Assert.Equal(5, experiment.State().Jobs.Values.Select(r => r.JobId).Distinct().Count());
    }

    [SkippableFact]
    public void Never_more_than_MaxQueued_of_our_jobs_are_queued_at_once()
    {
        LocalSlurm.Require();
        using var experiment = new SlurmExperiment("cap");
        experiment.WriteScripts();
        string run = experiment.RunNames[3];

        int most = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                (int code, string stdout, _) = LocalSlurm.Run("squeue", ["--noheader", "--me", "--format=%i|%T|%Z"]);
                if (code == 0)
                {
                    int ours = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                        .Count(line => line.Split('|') is [_, _, string dir] && dir.StartsWith(experiment.Layout.ExperimentDir, StringComparison.Ordinal));
                    most = Math.Max(most, ours);
                }

                Thread.Sleep(50);
            }
        });

        SubmitResult result = experiment.Submitter().Submit(Fast with { Runs = [run], MaxQueued = 2 });
        StatusReport report = experiment.WaitUntilSettled();
        stop.Cancel();
        sampler.Wait();

        Assert.Equal(5, result.Submitted);
        Assert.True(report.Runs.Single(r => r.Run == run).Jobs.All(j => j.IsCompleted), StatusRendering.ToTable(report));
        Assert.True(most <= 2, $"{most} of our jobs were queued at once");
        Assert.Equal(2, most);
    }
}
