using System.Globalization;
using System.Text.Json;

namespace ExperimentDsl.Runtime.Results.Logs;

/// <summary>
/// Turns the JSON of an inspect-ai log into an <see cref="InspectLog"/>, following the pydantic models
/// of <c>inspect_ai/log/_log.py</c> (EvalLog, EvalSpec, EvalResults, EvalScore, EvalMetric): the fields
/// that model requires must be there with their types, or the file is refused with the field named.
/// </summary>
internal static class InspectLogJson
{
    /// <summary>Reads an <c>EvalLog</c> document: a <c>.json</c> log or an <c>.eval</c>'s <c>header.json</c>.</summary>
    public static InspectLog ReadLog(ReadOnlySpan<byte> json, string file)
    {
        using JsonDocument document = Parse(json);
        JsonElement root = Object(document.RootElement, "the document");
        RequireVersion(root);
        EvalLogStatus status = root.TryGetProperty("status", out JsonElement statusElement)
            ? ParseStatus(statusElement)
            : EvalLogStatus.Started;
        return Build(root, status, file);
    }

    /// <summary>Reads an <c>.eval</c>'s <c>_journal/start.json</c> (a <c>LogStart</c>: version, eval, plan) of an unfinished run.</summary>
    public static InspectLog ReadStart(ReadOnlySpan<byte> json, string file)
    {
        using JsonDocument document = Parse(json);
        JsonElement root = Object(document.RootElement, "the document");
        RequireVersion(root);
        return Build(root, EvalLogStatus.Started, file);
    }

    private static InspectLog Build(JsonElement root, EvalLogStatus status, string file)
    {
        JsonElement eval = Object(Required(root, "eval", "the log"), "eval");
        string task = String(Required(eval, "task", "eval"), "eval.task");
        string model = String(Required(eval, "model", "eval.model"), "eval.model");
        string createdText = String(Required(eval, "created", "eval"), "eval.created");
        if (!DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset created))
        {
            throw new LogReadException($"eval.created '{createdText}' is not a timestamp");
        }

        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (eval.TryGetProperty("metadata", out JsonElement metadataElement) && metadataElement.ValueKind != JsonValueKind.Null)
        {
            foreach (JsonProperty property in Object(metadataElement, "eval.metadata").EnumerateObject())
            {
                if (ScalarText(property.Value) is { } text)
                {
                    metadata[property.Name] = text;
                }
            }
        }

        int? total = null;
        int? completed = null;
        var scores = new List<LogScore>();
        if (root.TryGetProperty("results", out JsonElement results) && results.ValueKind != JsonValueKind.Null)
        {
            Object(results, "results");
            total = OptionalInt(results, "total_samples", "results.total_samples");
            completed = OptionalInt(results, "completed_samples", "results.completed_samples");
            if (results.TryGetProperty("scores", out JsonElement scoreList))
            {
                if (scoreList.ValueKind != JsonValueKind.Array)
                {
                    throw new LogReadException("results.scores is not a list");
                }

                int index = 0;
                foreach (JsonElement score in scoreList.EnumerateArray())
                {
                    scores.Add(ReadScore(score, $"results.scores[{index++}]"));
                }
            }
        }

        string? error = null;
        if (root.TryGetProperty("error", out JsonElement errorElement) && errorElement.ValueKind == JsonValueKind.Object
            && errorElement.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String)
        {
            error = message.GetString();
        }

        return new InspectLog(file, status, task, model, created, metadata, total, completed, scores, error);
    }

    private static LogScore ReadScore(JsonElement score, string where)
    {
        Object(score, where);
        string name = String(Required(score, "name", where), where + ".name");
        string scorer = String(Required(score, "scorer", where), where + ".scorer");
        var metrics = new List<LogMetric>();
        if (score.TryGetProperty("metrics", out JsonElement metricMap))
        {
            foreach (JsonProperty entry in Object(metricMap, where + ".metrics").EnumerateObject())
            {
                string at = where + ".metrics." + entry.Name;
                JsonElement metric = Object(entry.Value, at);
                string metricName = String(Required(metric, "name", at), at + ".name");
                JsonElement value = Required(metric, "value", at);
                double? number = value.ValueKind switch
                {
                    // A number beyond double's range (1e999) reads as infinity; like the NaN and infinity inspect
                    // itself writes as null, it is no value, so every table and plot shows the same: nothing.
                    JsonValueKind.Number => value.TryGetDouble(out double parsed) && double.IsFinite(parsed) ? parsed : null,
                    JsonValueKind.Null => null,
                    _ => throw new LogReadException($"{at}.value is {Describe(value)}, not a number"),
                };
                metrics.Add(new LogMetric(metricName, number));
            }
        }

        return new LogScore(name, scorer, metrics);
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new LogReadException("it is not valid JSON (" + e.Message + ")", e);
        }
    }

    private static void RequireVersion(JsonElement root)
    {
        JsonElement version = Required(root, "version", "the log");
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out _))
        {
            throw new LogReadException($"version is {Describe(version)}, not an integer");
        }
    }

    private static EvalLogStatus ParseStatus(JsonElement status) => status.ValueKind == JsonValueKind.String
        ? status.GetString() switch
        {
            "started" => EvalLogStatus.Started,
            "success" => EvalLogStatus.Success,
            "cancelled" => EvalLogStatus.Cancelled,
            "error" => EvalLogStatus.Error,
            string other => throw new LogReadException($"status '{other}' is none of started, success, cancelled, error"),
            null => throw new LogReadException("status is missing"),
        }
        : throw new LogReadException($"status is {Describe(status)}, not a string");

    private static JsonElement Required(JsonElement parent, string name, string where) =>
        parent.TryGetProperty(name, out JsonElement value)
            ? value
            : throw new LogReadException($"{where} has no '{name}' field: not an inspect-ai log");

    private static JsonElement Object(JsonElement element, string where) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new LogReadException($"{where} is {Describe(element)}, not an object");

    private static string String(JsonElement element, string where) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new LogReadException($"{where} is {Describe(element)}, not a string");

    private static int? OptionalInt(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number
            : throw new LogReadException($"{where} is {Describe(value)}, not an integer");
    }

    // inspect YAML-parses each --metadata value, so epoch=1 arrives as the number 1 and run=r8 as a string.
    private static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string '{element.GetString()}'",
        JsonValueKind.Null => "null",
        _ => element.GetRawText(),
    };
}
