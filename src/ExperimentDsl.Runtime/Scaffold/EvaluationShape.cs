using System.Globalization;
using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>The evaluation matrix summarised as the seed's logs say it: "4 runs × 2 tasks × 2 epochs".</summary>
internal sealed record EvaluationShape(int Runs, int Tasks, IReadOnlyList<int> Epochs, int Controls, int ControlEvaluations, bool Uniform)
{
    /// <summary>Eval-only runs and their evaluations (told apart from controls in the log).</summary>
    public int EvalOnlyRuns { get; init; }

    public int EvalOnlyEvaluations { get; init; }

    public static EvaluationShape Of(ExperimentPlan plan)
    {
        List<EvalCell> fineTuned = [.. plan.Evaluations.Where(c => c.IsFineTuned())];
        List<EvalCell> evalOnly = [.. plan.Evaluations.Where(c => c.IsEvalOnly)];
        int runs = fineTuned.Select(c => c.RunName).Distinct(StringComparer.Ordinal).Count();
        int tasks = fineTuned.Select(c => c.TaskName).Distinct(StringComparer.Ordinal).Count();
        List<int> epochs = [.. fineTuned.Select(c => c.Epoch!.Value).Distinct().Order()];
        List<EvalCell> controls = [.. plan.Evaluations.Where(c => c.IsControl)];
        bool uniform = runs * tasks * epochs.Count == fineTuned.Count;
        return new EvaluationShape(runs, tasks, epochs, controls.Select(c => c.RunName).Distinct(StringComparer.Ordinal).Count(), controls.Count, uniform)
        {
            EvalOnlyRuns = evalOnly.Select(c => c.RunName).Distinct(StringComparer.Ordinal).Count(),
            EvalOnlyEvaluations = evalOnly.Count,
        };
    }

    public string Describe()
    {
        string text = $"{Count(Runs, "run")} × {Count(Tasks, "task")} × {Count(Epochs.Count, "epoch")}";
        if (!Uniform)
        {
            text += " (selective)";
        }

        if (Controls > 0)
        {
            text += $" + {Count(Controls, "control")} ({Count(ControlEvaluations, "evaluation")})";
        }

        if (EvalOnlyRuns > 0)
        {
            text += $" + {Count(EvalOnlyRuns, "eval-only run")} ({Count(EvalOnlyEvaluations, "evaluation")})";
        }

        return text;
    }

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
