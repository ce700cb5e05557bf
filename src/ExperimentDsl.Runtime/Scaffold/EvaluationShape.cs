using System.Globalization;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>The evaluation matrix summarised as the seed's logs say it: "4 runs × 2 tasks × 2 epochs".</summary>
internal sealed record EvaluationShape(int Runs, int Tasks, IReadOnlyList<int> Epochs, int Controls, int ControlEvaluations, bool Uniform)
{
    public static EvaluationShape Of(ExperimentPlan plan)
    {
        List<EvalCell> fineTuned = [.. plan.Evaluations.Where(c => !c.IsControl)];
        int runs = fineTuned.Select(c => c.RunName).Distinct(StringComparer.Ordinal).Count();
        int tasks = fineTuned.Select(c => c.TaskName).Distinct(StringComparer.Ordinal).Count();
        List<int> epochs = [.. fineTuned.Select(c => c.Epoch!.Value).Distinct().Order()];
        List<EvalCell> controls = [.. plan.Evaluations.Where(c => c.IsControl)];
        bool uniform = runs * tasks * epochs.Count == fineTuned.Count;
        return new EvaluationShape(runs, tasks, epochs, controls.Select(c => c.RunName).Distinct(StringComparer.Ordinal).Count(), controls.Count, uniform);
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

        return text;
    }

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
