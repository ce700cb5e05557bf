namespace ExperimentDsl.Runtime.Results.Logs;

/// <summary>The <c>status</c> of an inspect-ai log (<c>EvalStatus</c> in <c>inspect_ai/log/_log.py</c>).</summary>
public enum EvalLogStatus
{
    /// <summary>Running, or crashed before it finished (an <c>.eval</c> with only <c>_journal/start.json</c>).</summary>
    Started,

    /// <summary>Finished and scored.</summary>
    Success,

    /// <summary>Cancelled by the user.</summary>
    Cancelled,

    /// <summary>Stopped by an error.</summary>
    Error,
}

/// <summary>What the results need from one inspect-ai log: identity, status, metadata, sample counts, scores.</summary>
/// <param name="File">The log file, relative to the experiment directory ('/' separators).</param>
/// <param name="Status">The log's status.</param>
/// <param name="Task">eval.task.</param>
/// <param name="Model">eval.model.</param>
/// <param name="Created">eval.created.</param>
/// <param name="Metadata">eval.metadata, scalars as text (what <c>--metadata key=value</c> stored).</param>
/// <param name="TotalSamples">results.total_samples, when the log has results.</param>
/// <param name="CompletedSamples">results.completed_samples, when the log has results.</param>
/// <param name="Scores">results.scores.</param>
/// <param name="Error">error.message of a failed run.</param>
public sealed record InspectLog(
    string File,
    EvalLogStatus Status,
    string Task,
    string Model,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Metadata,
    int? TotalSamples,
    int? CompletedSamples,
    IReadOnlyList<LogScore> Scores,
    string? Error);

/// <summary>One entry of results.scores: a scorer's metrics.</summary>
/// <param name="Name">The score's name (the scorer's, unless renamed).</param>
/// <param name="Scorer">The scorer.</param>
/// <param name="Metrics">Its metrics in log order (accuracy, stderr, ...).</param>
public sealed record LogScore(string Name, string Scorer, IReadOnlyList<LogMetric> Metrics);

/// <summary>One metric of a score.</summary>
/// <param name="Name">The metric's name, e.g. <c>accuracy</c>.</param>
/// <param name="Value">Its value, always finite; <see langword="null"/> when inspect wrote NaN or infinity (as JSON null) or the number is beyond double's range.</param>
public sealed record LogMetric(string Name, double? Value);
