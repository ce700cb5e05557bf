using System.Text;
using System.Text.RegularExpressions;

namespace ExperimentDsl.Runtime.Results.Output;

/// <summary>
/// results.csv: one row per planned cell and metric (RFC 4180; header first): run, each varying axis,
/// task, epoch, status, scorer, metric, value, stderr, samples, log_file, kind (fine-tuned, control or
/// eval-only) and label (the run's vis label, else its name). A text cell that a spreadsheet would run as
/// a formula starts with an apostrophe; a value that is not a finite number is empty (null in results.json).
/// </summary>
public static partial class ResultsCsv
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

    private static string Field(string value)
    {
        string text = StartsLikeFormula(value) ? "'" + value : value;
        return text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    // Spreadsheets evaluate a cell that starts with = + - @ as a formula (and some skip a leading tab or
    // CR first), so a scorer or metric name from a log could run one. Such a text cell gets a leading
    // apostrophe, which makes it text. A plain decimal number (-0.5, +1e-5) is no formula: it stays a number.
    private static bool StartsLikeFormula(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !PlainNumber().IsMatch(value);

    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
