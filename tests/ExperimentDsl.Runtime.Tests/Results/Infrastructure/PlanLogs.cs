using System.Globalization;

namespace ExperimentDsl.Tests.Results;

/// <summary>
/// Writes a finished inspect log for every planned evaluation of a plan, as its eval scripts would
/// (metadata experiment/run/task/epoch; controls by their directory and no epoch), with made-up but
/// plausible accuracies that grow with the epoch and depend on the run. Used by the results tests,
/// the end-to-end test's stand-in, the benchmark and the README's example plot.
/// </summary>
public static class PlanLogs
{
    /// <summary>Writes one log per cell of <paramref name="plan"/> under <paramref name="experimentDir"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(ExperimentPlan plan, string experimentDir, LogFormat format = LogFormat.EvalZstd)
    {
        var paths = new List<string>(plan.Evaluations.Count);
        foreach (EvalCell cell in plan.Evaluations)
        {
            paths.Add(InspectLogWriter.WriteInto(experimentDir, For(plan, cell) with { Format = format }, RunDirectory(plan, cell)));
        }

        return paths;
    }

    /// <summary>The directory a cell's eval script lives in: the run's, or the control's <c>{name}_base</c>.</summary>
    public static string RunDirectory(ExperimentPlan plan, EvalCell cell) =>
        cell.IsControl ? plan.Controls.Single(c => c.Name == cell.RunName).DirectoryName : cell.RunName;

    /// <summary>The successful log of <paramref name="cell"/>: accuracy (with stderr) from the match scorer.</summary>
    public static InspectLogFixture For(ExperimentPlan plan, EvalCell cell)
    {
        double accuracy = Accuracy(plan, cell);
        return new InspectLogFixture
        {
            Experiment = plan.Name,
            Run = RunDirectory(plan, cell),
            Task = cell.TaskName,
            Epoch = cell.Epoch,
            Scores = [InspectLogFixture.Accuracy(accuracy, Math.Round(Math.Sqrt(accuracy * (1 - accuracy) / 50), 4))],
            Samples = 50,
        };
    }

    // Deterministic: a hash of the run name spreads the runs; later epochs score higher; controls lowest.
    private static double Accuracy(ExperimentPlan plan, EvalCell cell)
    {
        if (cell.IsControl)
        {
            return cell.TaskName.Length % 2 == 0 ? 0.42 : 0.35;
        }

        uint hash = 2166136261;
        foreach (char c in cell.RunName + "/" + cell.TaskName)
        {
            hash = (hash ^ c) * 16777619;
        }

        double spread = (hash % 1000) / 1000.0;
        double value = 0.5 + 0.25 * spread + 0.08 * (cell.Epoch ?? 0);
        return Math.Round(Math.Min(value, 0.99), 3);
    }

    /// <summary>Text of an integer, invariant.</summary>
    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
