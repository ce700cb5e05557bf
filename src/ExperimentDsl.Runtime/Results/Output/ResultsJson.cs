using System.Text;
using System.Text.Json;
using ExperimentDsl.Runtime.Results.Logs;

namespace ExperimentDsl.Runtime.Results.Output;

/// <summary>
/// results.json: the same rows as results.csv (axis values by axis name), then every planned cell with
/// its status and logs (the counted one and re-runs), then every log file found with its outcome.
/// </summary>
public static class ResultsJson
{
    /// <summary>The file's name under results/.</summary>
    public const string FileName = "results.json";

    /// <summary>The JSON text (indented, <c>\n</c> line ends).</summary>
    public static string Write(CollectedResults results)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("experiment", results.Plan.Name);
            json.WriteBoolean("complete", results.Complete);
            json.WriteStartArray("axes");
            foreach (string axis in results.Plan.VaryingAxes)
            {
                json.WriteStringValue(axis);
            }

            json.WriteEndArray();
            json.WriteStartArray("rows");
            foreach (ResultRow row in results.Rows)
            {
                WriteRow(json, results.Plan, row);
            }

            json.WriteEndArray();
            json.WriteStartArray("cells");
            foreach (CellResult cell in results.Cells)
            {
                WriteCell(json, cell);
            }

            json.WriteEndArray();
            json.WriteStartArray("logs");
            foreach (LogOutcome log in results.Logs)
            {
                json.WriteStartObject();
                json.WriteString("file", log.File);
                json.WriteBoolean("used", !log.IsProblem);
                json.WriteString("outcome", log.Outcome);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteRow(Utf8JsonWriter json, ExperimentPlan plan, ResultRow row)
    {
        json.WriteStartObject();
        json.WriteString("run", row.Run);
        json.WriteStartObject("axes");
        for (int i = 0; i < plan.VaryingAxes.Count; i++)
        {
            json.WriteString(plan.VaryingAxes[i], row.AxisValues[i]);
        }

        json.WriteEndObject();
        json.WriteString("task", row.Task);
        WriteNumber(json, "epoch", row.Epoch);
        json.WriteBoolean("control", row.IsControl);
        json.WriteBoolean("eval_only", row.IsEvalOnly);
        json.WriteString("label", row.Label);
        json.WriteString("status", CellStatusText.Of(row.Status));
        WriteString(json, "scorer", row.Scorer);
        WriteString(json, "metric", row.Metric);
        WriteNumber(json, "value", row.Value);
        WriteNumber(json, "stderr", row.Stderr);
        WriteNumber(json, "samples", row.Samples);
        WriteString(json, "log_file", row.LogFile);
        json.WriteEndObject();
    }

    private static void WriteCell(Utf8JsonWriter json, CellResult cell)
    {
        json.WriteStartObject();
        json.WriteString("run", cell.Cell.RunName);
        json.WriteString("task", cell.Cell.TaskName);
        WriteNumber(json, "epoch", cell.Cell.Epoch);
        json.WriteString("status", CellStatusText.Of(cell.Status));
        WriteString(json, "reason", cell.Reason);
        WriteString(json, "log_file", cell.Counted?.File);
        json.WriteStartArray("other_logs");
        foreach (InspectLog other in cell.Others)
        {
            json.WriteStartObject();
            json.WriteString("file", other.File);
            json.WriteString("status", other.Status.ToString().ToLowerInvariant());
            json.WriteString("created", other.Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (ResultNumbers.IsNumber(value))
        {
            json.WriteNumber(name, value!.Value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, int? value)
    {
        if (value is int v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
