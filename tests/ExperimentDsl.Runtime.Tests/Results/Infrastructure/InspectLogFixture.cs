using System.Globalization;
using System.Text.Json.Nodes;

namespace ExperimentDsl.Tests.Results;

/// <summary>How a fixture log is stored on disk.</summary>
public enum LogFormat
{
    /// <summary>A <c>.eval</c> zip with zstd members, as inspect-ai writes it at the pinned commit.</summary>
    EvalZstd,

    /// <summary>A <c>.eval</c> zip with deflate members, as earlier inspect-ai versions wrote it.</summary>
    EvalDeflate,

    /// <summary>A <c>.json</c> log (one EvalLog document, samples included).</summary>
    Json,
}

/// <summary>One scorer's entry in results.scores, with its metrics (name -> value).</summary>
public sealed record FixtureScore(string Name, IReadOnlyList<(string Metric, double? Value)> Metrics);

/// <summary>
/// An inspect-ai log to write, shaped after the pydantic models of <c>inspect_ai/log/_log.py</c> at
/// commit 499e615 (EvalLog: version, status, eval, plan, results, stats, error; EvalSpec: eval_id,
/// run_id, created, task, task_id, task_version, task_file, dataset, model, config, metadata, packages;
/// EvalResults: total_samples, completed_samples, scores[] of EvalScore{name, scorer, scored_samples,
/// unscored_samples, params, metrics{key: EvalMetric{name, value, params}}}; EvalError{message,
/// traceback, traceback_ansi}). Metadata is what the eval scripts' <c>--metadata</c> stores.
/// </summary>
public sealed record InspectLogFixture
{
    public required string Experiment { get; init; }
    public required string Run { get; init; }
    public required string Task { get; init; }
    public int? Epoch { get; init; }
    public string Status { get; init; } = "success";
    public DateTimeOffset Created { get; init; } = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    public IReadOnlyList<FixtureScore> Scores { get; init; } = [];
    public string? ErrorMessage { get; init; }
    public int Samples { get; init; } = 10;
    public LogFormat Format { get; init; } = LogFormat.EvalZstd;

    /// <summary>Only <c>_journal/start.json</c>: a run that is still going, or crashed.</summary>
    public bool StartedOnly { get; init; }

    /// <summary>A successful run's score: accuracy and its stderr, as inspect's match/includes scorers report.</summary>
    public static FixtureScore Accuracy(double accuracy, double stderr = 0.05, string scorer = "match") =>
        new(scorer, [("accuracy", accuracy), ("stderr", stderr)]);

    /// <summary>The log's file name as inspect names it: <c>{created}_{task}_{id}.eval|json</c>.</summary>
    public string FileName =>
        Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss", CultureInfo.InvariantCulture) + "+00-00_" + Task + "_" + Id + (Format == LogFormat.Json ? ".json" : ".eval");

    private string Id => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(Experiment + "/" + Run + "/" + Task + "/" + Epoch + "/" + Created.ToString("O", CultureInfo.InvariantCulture))))[..22];

    /// <summary>EvalSpec (<c>eval</c>).</summary>
    public JsonObject EvalSpec()
    {
        var metadata = new JsonObject { ["experiment"] = Experiment, ["run"] = Run, ["task"] = Task };
        if (Epoch is int epoch)
        {
            // inspect YAML-parses --metadata values: epoch=1 is stored as the integer 1.
            metadata["epoch"] = epoch;
        }

        return new JsonObject
        {
            ["eval_id"] = "ev" + Id,
            ["run_id"] = "rn" + Id,
            ["created"] = Created.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
            ["task"] = Task,
            ["task_id"] = "tk" + Id,
            ["task_version"] = 0,
            ["task_file"] = "tasks/" + Task + ".py",
            ["task_registry_name"] = Task,
            ["task_attribs"] = new JsonObject(),
            ["task_args"] = new JsonObject(),
            ["task_args_passed"] = new JsonObject(),
            ["dataset"] = new JsonObject { ["name"] = Task, ["location"] = "/data/" + Task + ".json", ["samples"] = Samples, ["shuffled"] = false },
            ["model"] = "hf/" + Run + (Epoch is int e ? "_epoch" + e.ToString(CultureInfo.InvariantCulture) : ""),
            ["model_generate_config"] = new JsonObject(),
            ["model_args"] = new JsonObject { ["model_path"] = "/outputs/" + Run },
            ["config"] = new JsonObject { ["log_samples"] = true, ["log_images"] = true },
            ["packages"] = new JsonObject { ["inspect_ai"] = "0.3.150" },
            ["metadata"] = metadata,
            ["scorers"] = new JsonArray(Scores.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["options"] = new JsonObject() }).ToArray()),
        };
    }

    /// <summary>EvalPlan (<c>plan</c>).</summary>
    public static JsonObject Plan() => new()
    {
        ["name"] = "plan",
        ["steps"] = new JsonArray(new JsonObject { ["solver"] = "generate", ["params"] = new JsonObject(), ["params_passed"] = new JsonObject() }),
        ["config"] = new JsonObject(),
    };

    /// <summary>LogStart (<c>_journal/start.json</c>).</summary>
    public JsonObject Start() => new() { ["version"] = 2, ["eval"] = EvalSpec(), ["plan"] = Plan() };

    /// <summary>The EvalLog header (<c>header.json</c>, or the <c>.json</c> log without samples).</summary>
    public JsonObject Header()
    {
        var log = new JsonObject
        {
            ["version"] = 2,
            ["status"] = Status,
            ["eval"] = EvalSpec(),
            ["plan"] = Plan(),
            ["stats"] = new JsonObject
            {
                ["started_at"] = Created.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
                ["completed_at"] = Created.AddMinutes(3).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
                ["model_usage"] = new JsonObject(),
            },
            ["invalidated"] = false,
        };
        if (Status != "error" || Scores.Count > 0)
        {
            log["results"] = new JsonObject
            {
                ["total_samples"] = Samples,
                ["completed_samples"] = Samples,
                ["scores"] = new JsonArray([.. Scores.Select(ScoreJson)]),
            };
        }

        if (ErrorMessage is { } message)
        {
            log["error"] = new JsonObject { ["message"] = message, ["traceback"] = "Traceback (most recent call last):\n" + message, ["traceback_ansi"] = message };
        }

        return log;
    }

    /// <summary>One EvalSample, as samples/{id}_epoch_{n}.json holds it (or the .json log's samples list).</summary>
    public JsonObject Sample() => new()
    {
        ["id"] = 1,
        ["epoch"] = 1,
        ["input"] = "hello world",
        ["target"] = "Hello World",
        ["messages"] = new JsonArray(),
        ["output"] = new JsonObject { ["model"] = "hf/" + Run, ["choices"] = new JsonArray() },
        ["scores"] = new JsonObject(),
        ["metadata"] = new JsonObject(),
    };

    private JsonNode ScoreJson(FixtureScore score)
    {
        var metrics = new JsonObject();
        foreach ((string name, double? value) in score.Metrics)
        {
            metrics[name] = new JsonObject { ["name"] = name, ["value"] = value is double v ? JsonValue.Create(v) : null, ["params"] = new JsonObject() };
        }

        return new JsonObject
        {
            ["name"] = score.Name,
            ["scorer"] = score.Name,
            ["scored_samples"] = Samples,
            ["unscored_samples"] = 0,
            ["params"] = new JsonObject(),
            ["metrics"] = metrics,
        };
    }
}
