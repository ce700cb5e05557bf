using System.Text.RegularExpressions;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>What SLURM accepts, what a dry run shows, and what a refused script leaves behind.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SbatchValidationTests
{
    /// <summary>The pattern downstream tools read fine-tune job ids with.</summary>
    private static readonly Regex SubmitEntry = new(@"SUBMIT_JOB: ([\w.-]+)\n.*?\nJob ID: (\d+)", RegexOptions.Singleline);

    private static readonly SubmitOptions Fast = new() { Stagger = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(500) };

    [SkippableFact]
    public void Sbatch_test_only_accepts_realistic_scripts_and_refuses_an_unscaled_memory_request()
    {
        LocalSlurm.Require();
        using var experiment = new SlurmExperiment("testonly");
        experiment.WriteScripts();
        string run = experiment.RunNames[0];

        foreach (string script in new[] { ExperimentLayout.FinetuneSlurm(run), ExperimentLayout.EvalScript(run, "reasoning", 1) })
        {
            (int code, _, string stderr) = LocalSlurm.TestOnly(experiment.Layout.Absolute(script));
            Assert.True(code == 0, $"{script}: {stderr}");
            Assert.Contains("to start at", stderr, StringComparison.Ordinal);
        }

        // The catalogue's 80G without a resource override cannot run on a small test node.
        string big = experiment.Layout.Absolute(ExperimentLayout.FinetuneSlurm(run));
        File.WriteAllText(big, File.ReadAllText(big).Replace("--mem=100M", "--mem=80G", StringComparison.Ordinal));
        Assert.NotEqual(0, LocalSlurm.TestOnly(big).ExitCode);
    }

    [Fact]
    public void A_dry_run_lists_the_exact_sbatch_commands_and_submits_nothing()
    {
        using var experiment = new SlurmExperiment("dry");
        experiment.WriteScripts();
        string run = experiment.RunNames[0];
        string runDir = experiment.Layout.Absolute(run);

        SubmitResult result = experiment.Submitter().Submit(Fast with { DryRun = true, Runs = [run] });

        Assert.Equal(
            [
                $"cd {runDir} && sbatch --parsable finetune.slurm",
                $"cd {runDir}/eval && sbatch --parsable '--dependency=afterok:<job id of {run}/finetune.slurm>' --kill-on-invalid-dep=yes capitalization_epoch0.slurm",
                $"cd {runDir}/eval && sbatch --parsable '--dependency=afterok:<job id of {run}/finetune.slurm>' --kill-on-invalid-dep=yes capitalization_epoch1.slurm",
                $"cd {runDir}/eval && sbatch --parsable '--dependency=afterok:<job id of {run}/finetune.slurm>' --kill-on-invalid-dep=yes reasoning_epoch0.slurm",
                $"cd {runDir}/eval && sbatch --parsable '--dependency=afterok:<job id of {run}/finetune.slurm>' --kill-on-invalid-dep=yes reasoning_epoch1.slurm",
            ],
            result.CommandLines);
        Assert.All(result.Outcomes, o => Assert.Equal(SubmissionStatus.DryRun, o.Status));
        Assert.Equal(0, experiment.Slurm.SbatchCalls);
        Assert.False(File.Exists(experiment.StatePath));
        Assert.False(File.Exists(Path.Combine(experiment.Layout.ExperimentDir, "run-torchtune.log")));
        Assert.False(Directory.Exists(experiment.Layout.CheckpointDir(run)));
    }

    [SkippableFact]
    public void A_refused_script_is_recorded_with_its_error_and_the_others_go_on()
    {
        LocalSlurm.Require();
        using var experiment = new SlurmExperiment("refused");
        string refused = experiment.RunNames[0];
        experiment.WriteScripts(partitions: new Dictionary<string, string> { [refused] = "no-such-partition" });

        SubmitResult result = experiment.Submitter().Submit(Fast with { Only = SubmitKind.Finetune });

        Assert.False(result.Success);
        Assert.Equal(1, result.Failed);
        Assert.Equal(3, result.Submitted);
        SlurmStateFile state = experiment.State();
        SlurmJobRecord record = state.Jobs[refused + "/finetune.slurm"];
        Assert.Equal(SlurmJobStates.SubmitFailed, record.State);
        Assert.Null(record.JobId);
        Assert.Contains("invalid partition", record.Error, StringComparison.OrdinalIgnoreCase);

        // Its evals are blocked; the other runs' evals wait on their fine-tunes.
        SubmitResult evals = experiment.Submitter().Submit(Fast with { Only = SubmitKind.Eval });
        Assert.Equal(4, evals.Blocked);
        Assert.Equal(12, evals.Submitted);
        Assert.All(evals.Outcomes.Where(o => o.Run == refused), o => Assert.Equal(SubmissionStatus.Blocked, o.Status));
        Assert.Equal(SlurmJobStates.Blocked, experiment.State().Jobs[ExperimentLayout.EvalScript(refused, "capitalization", 0)].State);

        // Every submitted fine-tune can be read back from the run log with its job id.
        string log = File.ReadAllText(Path.Combine(experiment.Layout.ExperimentDir, "run-torchtune.log"));
        Dictionary<string, string> logged = SubmitEntry.Matches(log).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        foreach (string run in experiment.RunNames.Skip(1))
        {
            Assert.Equal(experiment.State().Jobs[run + "/finetune.slurm"].JobId, logged[run]);
        }

        Assert.Equal(3, logged.Count);
        Assert.Contains($"SUBMIT_FAILED: {refused}\nDetails: sbatch --parsable finetune.slurm\n", log, StringComparison.Ordinal);
        Assert.Matches(new Regex($@"SUBMIT_FAILED: {Regex.Escape(refused)}\n(?:[^\n]+\n)*?Error: [^\n]*invalid partition[^\n]*\nResult: failed \(exit 1\)\n"), log);

        // Fixed by hand, the run is resumed: its fine-tune and its four evals, nothing else.
        experiment.WriteFinetune(experiment.Plan.Runs[0]);
        SubmitResult resumed = experiment.Submitter().Submit(Fast);
        Assert.Equal(5, resumed.Submitted);
        Assert.Equal(15, resumed.AlreadySubmitted);
        Assert.True(resumed.Success);
        Assert.Equal(4 + 12 + 5, experiment.Slurm.SbatchCalls);
    }
}
