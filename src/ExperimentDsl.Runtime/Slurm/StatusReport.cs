using System.Text.Json.Serialization;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>The last known status of one batch script.</summary>
/// <param name="Script">Path relative to the experiment directory.</param>
/// <param name="Kind">What it does.</param>
/// <param name="JobId">Its SLURM job id, if it has one.</param>
/// <param name="State">SLURM's state, or one of ours (<see cref="SlurmJobStates"/>).</param>
/// <param name="ExitCode">SLURM's <c>exit:signal</c>, once ended.</param>
/// <param name="StartTime">When it started, as SLURM prints it.</param>
/// <param name="EndTime">When it ended, as SLURM prints it.</param>
/// <param name="Reason">SLURM's reason (e.g. <c>Dependency</c>, <c>DependencyNeverSatisfied</c>).</param>
/// <param name="Error">Why it has no job (sbatch's error, blocked).</param>
public sealed record JobStatus(
    [property: JsonPropertyName("script")] string Script,
    [property: JsonPropertyName("kind")] SlurmJobKind Kind,
    [property: JsonPropertyName("jobId")] string? JobId,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("exitCode")] string? ExitCode,
    [property: JsonPropertyName("startTime")] string? StartTime,
    [property: JsonPropertyName("endTime")] string? EndTime,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("error")] string? Error)
{
    /// <summary>Which attempt the job is (1 unless the script was re-submitted).</summary>
    [JsonPropertyName("attempt")]
    public int Attempt { get; init; } = 1;

    /// <summary>A fine-tune's batch size when an out-of-memory retry changed it from the plan's.</summary>
    [JsonPropertyName("batchSize")]
    public int? BatchSize { get; init; }

    /// <summary>The gradient accumulation that goes with <see cref="BatchSize"/>.</summary>
    [JsonPropertyName("gradientAccumulationSteps")]
    public int? GradientAccumulationSteps { get; init; }

    /// <summary>Whether the job finished successfully.</summary>
    [JsonPropertyName("completed")]
    public bool IsCompleted => State == SlurmJobStates.Completed;

    /// <summary>
    /// Whether it ended (or will end) without success: a failed state, or still pending on a
    /// dependency SLURM says can never be satisfied.
    /// </summary>
    [JsonPropertyName("failed")]
    public bool IsFailed => SlurmJobStates.Failed.Contains(State)
        || (State == SlurmJobStates.Pending && Reason == "DependencyNeverSatisfied");
}

/// <summary>One run's jobs: its fine-tune (none for a control) and its evaluations.</summary>
/// <param name="Run">The run's (or control's) name.</param>
/// <param name="Finetune">The fine-tune job; <see langword="null"/> for a control.</param>
/// <param name="Evals">Its evaluation jobs, in plan order.</param>
public sealed record RunStatus(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("finetune")] JobStatus? Finetune,
    [property: JsonPropertyName("evals")] IReadOnlyList<JobStatus> Evals)
{
    /// <summary>Every job of the run.</summary>
    [JsonIgnore]
    public IEnumerable<JobStatus> Jobs => Finetune is null ? Evals : Evals.Prepend(Finetune);
}

/// <summary>The status of every batch script of an experiment, per run in plan order.</summary>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="Runs">Fine-tuned runs, then controls.</param>
public sealed record StatusReport(
    [property: JsonPropertyName("experiment")] string Experiment,
    [property: JsonPropertyName("runs")] IReadOnlyList<RunStatus> Runs)
{
    /// <summary>Whether every script of the plan has a job that COMPLETED.</summary>
    [JsonPropertyName("allCompleted")]
    public bool AllCompleted => Runs.SelectMany(r => r.Jobs).All(j => j.IsCompleted);

    /// <summary>Whether any job failed, was cancelled, timed out, could not be submitted, or waits on a dependency that can never be met.</summary>
    [JsonPropertyName("anyFailed")]
    public bool AnyFailed => Runs.SelectMany(r => r.Jobs).Any(j => j.IsFailed);

    /// <summary>The jobs that failed, in plan order.</summary>
    [JsonPropertyName("failures")]
    public IReadOnlyList<JobStatus> Failures => [.. Runs.SelectMany(r => r.Jobs).Where(j => j.IsFailed)];

    /// <summary>How many jobs are in each state, ordered by state name.</summary>
    [JsonPropertyName("counts")]
    public IReadOnlyDictionary<string, int> Counts =>
        new SortedDictionary<string, int>(
            Runs.SelectMany(r => r.Jobs).GroupBy(j => j.State).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            StringComparer.Ordinal);
}
