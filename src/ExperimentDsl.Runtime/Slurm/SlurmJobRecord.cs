using System.Text.Json.Serialization;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>What the state file knows about one batch script.</summary>
public sealed record SlurmJobRecord
{
    /// <summary>What the script does.</summary>
    [JsonPropertyName("kind")]
    public required SlurmJobKind Kind { get; init; }

    /// <summary>The run (or control) the script belongs to.</summary>
    [JsonPropertyName("run")]
    public required string Run { get; init; }

    /// <summary>The SLURM job id, or <see langword="null"/> when the script has no job (not submitted, refused, blocked).</summary>
    [JsonPropertyName("jobId")]
    public string? JobId { get; init; }

    /// <summary>The last known state: a SLURM state name or one of <see cref="SlurmJobStates"/>' own.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>Local time of the (last) sbatch call, <c>yyyy-MM-ddTHH:mm:ss</c>.</summary>
    [JsonPropertyName("submitTime")]
    public string? SubmitTime { get; init; }

    /// <summary>The <c>--dependency</c> value the job was submitted with, e.g. <c>afterok:123</c>.</summary>
    [JsonPropertyName("dependency")]
    public string? Dependency { get; init; }

    /// <summary>Why the script has no job, or why the job failed (sbatch's stderr, SLURM's reason).</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    /// <summary>SLURM's <c>ExitCode</c> (<c>exit:signal</c>) once the job ended.</summary>
    [JsonPropertyName("exitCode")]
    public string? ExitCode { get; init; }

    /// <summary>SLURM's <c>StartTime</c> once known.</summary>
    [JsonPropertyName("startTime")]
    public string? StartTime { get; init; }

    /// <summary>SLURM's <c>EndTime</c> once the job ended.</summary>
    [JsonPropertyName("endTime")]
    public string? EndTime { get; init; }

    /// <summary>SLURM's <c>Reason</c> (why it waits, or why it ended), when not <c>None</c>.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>
    /// What the state was read from once SLURM had forgotten the job (e.g. the exit-code file the batch
    /// script wrote, or the checkpoints a fine-tune left); <see langword="null"/> when SLURM said it.
    /// </summary>
    [JsonPropertyName("evidence")]
    public string? Evidence { get; init; }

    /// <summary>
    /// The script's earlier jobs, oldest first, when it was re-submitted (<c>submit --retry-failed</c>):
    /// the current job is the record itself.
    /// </summary>
    [JsonPropertyName("previousAttempts")]
    public IReadOnlyList<SlurmJobAttempt>? PreviousAttempts { get; init; }

    /// <summary>
    /// The <c>batch_size</c> the current job of a fine-tune runs with, when an out-of-memory retry changed
    /// it from the plan's; <see langword="null"/>: the plan's value.
    /// </summary>
    [JsonPropertyName("batchSize")]
    public int? BatchSize { get; init; }

    /// <summary>The <c>gradient_accumulation_steps</c> that goes with <see cref="BatchSize"/>.</summary>
    [JsonPropertyName("gradientAccumulationSteps")]
    public int? GradientAccumulationSteps { get; init; }

    /// <summary>
    /// Why the failed job is not re-submitted any more (e.g. out of memory at batch size 1, or after the
    /// most retries allowed), once that was decided and logged.
    /// </summary>
    [JsonPropertyName("retriesExhausted")]
    public string? RetriesExhausted { get; init; }

    /// <summary>The <c>--comment</c> the current job was submitted with (see <see cref="SubmissionIntent"/>).</summary>
    [JsonPropertyName("submitToken")]
    public string? SubmitToken { get; init; }

    /// <summary>Every job id the script has had, oldest first.</summary>
    [JsonIgnore]
    public IEnumerable<string> AllJobIds =>
        (PreviousAttempts ?? []).Select(a => a.JobId).Concat(JobId is null ? [] : [JobId]);
}
