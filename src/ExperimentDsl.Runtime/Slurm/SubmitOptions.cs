namespace ExperimentDsl.Runtime.Slurm;

/// <summary>What to submit and how fast.</summary>
public sealed record SubmitOptions
{
    /// <summary>Runs (or controls) to submit; empty means every run of the plan.</summary>
    public IReadOnlyList<string> Runs { get; init; } = [];

    /// <summary>Which kinds of job to submit.</summary>
    public SubmitKind Only { get; init; } = SubmitKind.All;

    /// <summary>
    /// The most jobs of this experiment that may be queued or running at once; the submitter waits
    /// (polling squeue) before going over it. 0 or less means no cap.
    /// </summary>
    public int MaxQueued { get; init; } = 25;

    /// <summary>Pause between two sbatch calls, so a large sweep does not hammer the controller.</summary>
    public TimeSpan Stagger { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often squeue is polled while waiting for the queue to drain below <see cref="MaxQueued"/>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>List the sbatch command lines without running them or writing anything.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Re-submit the selected scripts whose job ended without success (and the evals of a re-submitted
    /// fine-tune); the earlier job ids stay in the state file. The states must have been refreshed first.
    /// </summary>
    public bool RetryFailed { get; init; }

    /// <summary>
    /// With <see cref="RetryFailed"/>: how many times a fine-tune that ran out of memory is re-submitted
    /// with a smaller batch (and accumulation grown to match) before it is left for the researcher.
    /// </summary>
    public int MaxOomRetries { get; init; } = 3;

    /// <summary>
    /// The watcher's rules instead of <see cref="RetryFailed"/>'s "every failure": when set, only a
    /// fine-tune that ran out of memory, or timed out fewer times than this, is re-submitted (with the
    /// evals waiting on it). <see langword="null"/>: every failure (<c>--retry-failed</c>).
    /// </summary>
    public int? MaxTimeoutRetries { get; init; }
}
