using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.EvalOnly;

/// <summary>
/// A plan the generator did not check (read from a file, built by hand) with a bad eval-only run, vis
/// label or evaluation setting: scaffold refuses it with exit 2 naming the problem, before writing.
/// </summary>
public sealed class EvalOnlyPlanRefusalTests : IDisposable
{
    private readonly EvalOnlyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    public static TheoryData<string, string> BadPlans() => new()
    {
        { "name", "eval-only run name '../up': it contains" },
        { "clash", "eval-only run name 'r8': a run, control or other eval-only run has the same name" },
        { "path", "eval-only run earlier_r8: checkpoint path '' is empty or spans lines" },
        { "label", "vis label of earlier_r8 'two\\u000alines': it is empty, spans lines or is not text" },
        { "temperature", "evaluation temperature 0: it must be a positive number" },
        { "sampling", "evaluation do_sample = true: sampling needs a positive temperature" },
        { "tokens", "evaluation max_tokens 0: it must be positive" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public void Scaffold_refuses_with_exit_2_naming_the_problem_and_writes_nothing(string bad, string expected)
    {
        ExperimentPlan plan = Damage(_experiment.Plan, bad);

        HostRunner.Outcome outcome = HostRunner.Run([plan], "scaffold", "--dir", _experiment.Layout.ExperimentDir, "--output-root", _experiment.Environment.OutputRoot);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains(expected, outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_experiment.Layout.ExperimentDir));
    }

    [Fact]
    public void Greedy_evaluation_with_temperature_0_is_scaffolded_as_cruijff_kit_plans_write_it()
    {
        ExperimentPlan plan = _experiment.Plan with { Evaluation = new EvaluationSettings { Temperature = 0, DoSample = false } };

        HostRunner.Outcome outcome = HostRunner.Run([plan], "scaffold", "--dir", _experiment.Layout.ExperimentDir, "--output-root", _experiment.Environment.OutputRoot);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        string script = Directory.EnumerateFiles(_experiment.Layout.ExperimentDir, "*.slurm", SearchOption.AllDirectories).First(p => p.Contains("/eval/", StringComparison.Ordinal));
        Assert.Contains("--temperature 0", File.ReadAllText(script), StringComparison.Ordinal);
    }

    private static ExperimentPlan Damage(ExperimentPlan plan, string bad)
    {
        EvalOnlyRun run = plan.EvalOnlyRuns[0];
        ExperimentPlan Renamed(string name) => plan with
        {
            EvalOnlyRuns = [run with { Name = name }],
            Evaluations = [.. plan.Evaluations.Select(c => c.IsEvalOnly ? c with { RunName = name } : c)],
        };

        return bad switch
        {
            "name" => Renamed("../up"),
            "clash" => Renamed("r8"),
            "path" => plan with { EvalOnlyRuns = [run with { CheckpointPath = "" }] },
            "label" => plan with { Evaluations = [.. plan.Evaluations.Select(c => c.IsEvalOnly ? c with { VisLabel = "two\nlines" } : c)] },
            "temperature" => plan with { Evaluation = new EvaluationSettings { Temperature = 0 } },
            "sampling" => plan with { Evaluation = new EvaluationSettings { DoSample = true } },
            "tokens" => plan with { Evaluation = new EvaluationSettings { MaxTokens = 0 } },
            _ => throw new ArgumentOutOfRangeException(nameof(bad), bad, null),
        };
    }
}
