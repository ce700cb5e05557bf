using ExperimentDsl.Runtime.Preflight;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Slurm;

namespace ExperimentDsl.Runtime.Tests.EvalOnly;

/// <summary>Preflight, submission and status of an eval-only run, on an in-memory cluster.</summary>
public sealed class EvalOnlyJobsTests : IDisposable
{
    private static readonly SubmitOptions NoWait = new() { Stagger = TimeSpan.Zero };

    private readonly EvalOnlyExperiment _experiment = new();
    private readonly FakeSlurm _slurm = new();

    public void Dispose() => _experiment.Dispose();

    private void ScaffoldWithInputs(bool checkpoint = true)
    {
        _experiment.CreateInputs(checkpoint);
        Assert.Equal(0, Scaffolder.Run(_experiment.Plan, _experiment.Layout.ExperimentDir, _experiment.Environment, new ScaffoldOptions()).ExitCode);
    }

    [Fact]
    public void Preflight_passes_when_the_checkpoint_exists()
    {
        ScaffoldWithInputs();

        PreflightReport report = PreflightLog.CheckAndLog(_experiment.Layout, _slurm);

        Assert.True(report.Passed, string.Join("\n", report.Problems));
    }

    [Fact]
    public void Preflight_reports_a_missing_checkpoint_once_with_its_resolved_path()
    {
        ScaffoldWithInputs(checkpoint: false);

        PreflightReport report = PreflightLog.CheckAndLog(_experiment.Layout, _slurm);

        PreflightProblem problem = Assert.Single(report.Problems);
        Assert.Equal(_experiment.Checkpoint, problem.Path);
        Assert.True(problem.ForEvaluation);
        Assert.Contains("eval-only run earlier_r8", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Its_evals_are_submitted_after_the_controls_without_a_dependency_and_can_be_selected_by_name()
    {
        ScaffoldWithInputs();

        SubmitResult result = new Submitter(_experiment.Layout, _slurm, sleep: _ => { }).Submit(NoWait);

        Assert.Equal(5, result.Submitted);
        // finetune, its two evals, then the eval-only run's two evals, from its eval directory.
        // (Each sbatch first gets the --comment token that lets an interrupted submit find its job.)
        Assert.Equal(["--parsable", "capitalization.slurm"], _slurm.Submissions[3].Arguments.Skip(1));
        Assert.Equal(["--parsable", "reasoning.slurm"], _slurm.Submissions[4].Arguments.Skip(1));
        Assert.Equal(_experiment.Absolute("earlier_r8/eval"), _slurm.Submissions[3].Directory);

        SlurmStateFile state = SlurmStateFile.Load(SlurmStateFile.PathIn(_experiment.Layout.ExperimentDir), _experiment.Plan.Name);
        SlurmJobRecord record = state.Jobs["earlier_r8/eval/capitalization.slurm"];
        Assert.Equal(SlurmJobKind.EvalOnlyEval, record.Kind);
        Assert.Null(record.Dependency);
        Assert.Contains("\"kind\": \"eval-only-eval\"", File.ReadAllText(SlurmStateFile.PathIn(_experiment.Layout.ExperimentDir)), StringComparison.Ordinal);
    }

    [Fact]
    public void Submitting_only_the_eval_only_run_submits_its_evals_alone()
    {
        ScaffoldWithInputs();

        SubmitResult result = new Submitter(_experiment.Layout, _slurm, sleep: _ => { }).Submit(NoWait with { Runs = ["earlier_r8"] });

        Assert.Equal(2, result.Submitted);
        Assert.All(_slurm.Submissions, s => Assert.Equal(_experiment.Absolute("earlier_r8/eval"), s.Directory));
    }

    [Fact]
    public void Status_lists_the_eval_only_evals_under_the_run_and_marks_them()
    {
        ScaffoldWithInputs();
        new Submitter(_experiment.Layout, _slurm, sleep: _ => { }).Submit(NoWait);

        StatusReport report = new StatusReporter(_experiment.Layout, _slurm).Refresh();

        RunStatus evalOnly = report.Runs.Single(r => r.Run == "earlier_r8");
        Assert.Null(evalOnly.Finetune);
        Assert.Equal([SlurmJobKind.EvalOnlyEval, SlurmJobKind.EvalOnlyEval], evalOnly.Evals.Select(e => e.Kind));
        Assert.Equal(["1003", "1004"], evalOnly.Evals.Select(e => e.JobId));
        string table = StatusRendering.ToTable(report);
        Assert.Contains(table.Split('\n'), l => l.StartsWith("earlier_r8", StringComparison.Ordinal) && l.Contains("capitalization (eval-only)", StringComparison.Ordinal));
        Assert.Contains("\"kind\": \"eval-only-eval\"", StatusRendering.ToJson(report), StringComparison.Ordinal);
    }
}
