using System.Text.Json.Serialization;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// An earlier job of a batch script that was re-submitted (SPEC 13): its id and how it ended, kept in
/// the state file so that every attempt of a script stays findable (its output file, its logs).
/// </summary>
public sealed record SlurmJobAttempt
{
    /// <summary>The SLURM job id of the attempt.</summary>
    [JsonPropertyName("jobId")]
    public required string JobId { get; init; }

    /// <summary>The state it ended in.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>SLURM's <c>ExitCode</c>, when known.</summary>
    [JsonPropertyName("exitCode")]
    public string? ExitCode { get; init; }

    /// <summary>Local time of its sbatch call.</summary>
    [JsonPropertyName("submitTime")]
    public string? SubmitTime { get; init; }

    /// <summary>SLURM's <c>EndTime</c>, when known.</summary>
    [JsonPropertyName("endTime")]
    public string? EndTime { get; init; }

    /// <summary>The fine-tune's <c>batch_size</c> in this attempt, when not the plan's.</summary>
    [JsonPropertyName("batchSize")]
    public int? BatchSize { get; init; }

    /// <summary>The fine-tune's <c>gradient_accumulation_steps</c> in this attempt, when not the plan's.</summary>
    [JsonPropertyName("gradientAccumulationSteps")]
    public int? GradientAccumulationSteps { get; init; }

    /// <summary>Why it was re-submitted (e.g. <c>retry-failed</c>, <c>out-of-memory</c>).</summary>
    [JsonPropertyName("retriedBecause")]
    public string? RetriedBecause { get; init; }

    /// <summary>The attempt of <paramref name="record"/>'s current job, re-submitted for <paramref name="because"/>.</summary>
    public static SlurmJobAttempt Of(SlurmJobRecord record, string because) => new()
    {
        JobId = record.JobId!,
        State = record.State,
        ExitCode = record.ExitCode,
        SubmitTime = record.SubmitTime,
        EndTime = record.EndTime,
        BatchSize = record.BatchSize,
        GradientAccumulationSteps = record.GradientAccumulationSteps,
        RetriedBecause = because,
    };
}
