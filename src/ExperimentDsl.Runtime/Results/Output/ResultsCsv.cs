using System.Text;

namespace ExperimentDsl.Runtime.Results.Output;

/// <summary>
/// results.csv: one row per planned cell and metric (RFC 4180; header first): run, each varying axis,
/// task, epoch, status, scorer, metric, value, stderr, samples, log_file, kind (fine-tuned, control or
/// eval-only) and label (the run's vis label, else its name).
/// </summary>
public static class ResultsCsv
{
    /// <summary>The file's name under results/.</summary>
    public const string FileName = "results.csv";

    /// <summary>The CSV text.</summary>
    public static string Write(CollectedResults results)
    {
        var text = new StringBuilder();
        Line(text, ["run", .. results.Plan.VaryingAxes, "task", "epoch", "status", "scorer", "metric", "value", "stderr", "samples", "log_file", "kind", "label"]);
        foreach (ResultRow row in results.Rows)
        {
            Line(text, [
                row.Run, .. row.AxisValues, row.Task, ResultNumbers.Exact(row.Epoch), CellStatusText.Of(row.Status),
                row.Scorer ?? "", row.Metric ?? "", ResultNumbers.Exact(row.Value), ResultNumbers.Exact(row.Stderr),
                ResultNumbers.Exact(row.Samples), row.LogFile ?? "", row.Kind, row.Label,
            ]);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(Field(fields[i]));
        }

        text.Append('\n');
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
