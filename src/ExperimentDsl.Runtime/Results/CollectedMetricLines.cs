using System.Globalization;
using ExperimentDsl.Runtime.Results.Logs;
using ExperimentDsl.Runtime.Results.Output;

namespace ExperimentDsl.Runtime.Results;

/// <summary>
/// What <c>status</c> shows of the results: per run that has a log, the first metric of each of its
/// evaluated cells (<c>capitalization@1 accuracy=0.82</c>), read from the logs without writing anything.
/// </summary>
public static class CollectedMetricLines
{
    /// <summary>One line per run with at least one log; empty when no log exists yet.</summary>
    public static IReadOnlyList<string> For(ExperimentPlan plan, string experimentDir)
    {
        if (!Directory.Exists(experimentDir))
        {
            return [];
        }

        IReadOnlyList<string> files = EvalLogFinder.Find(experimentDir);
        if (files.Count == 0)
        {
            return [];
        }

        CollectedResults results = CollectedResults.Assemble(plan, LogReading.ReadAll(experimentDir, files));
        var lines = new List<string>();
        foreach (IGrouping<string, CellResult> run in results.Cells.Where(c => c.Counted is not null).GroupBy(c => c.Cell.RunName))
        {
            lines.Add(run.Key + ": " + string.Join(", ", run.Select(Describe)));
        }

        return lines;
    }

    private static string Describe(CellResult cell)
    {
        string where = cell.Cell.TaskName + (cell.Cell.Epoch is int epoch ? "@" + epoch.ToString(CultureInfo.InvariantCulture) : "");
        if (cell.Status != CellStatus.Success)
        {
            return where + " " + CellStatusText.Of(cell.Status);
        }

        LogMetric? metric = cell.Counted!.Scores.SelectMany(s => s.Metrics).FirstOrDefault(m => m.Name != CollectedResults.StderrMetric);
        return metric?.Value is double value ? where + " " + metric.Name + "=" + ResultNumbers.Readable(value) : where + " success";
    }
}
