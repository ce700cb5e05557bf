namespace ExperimentDsl.Runtime.Slurm;

/// <summary>What happened to one batch script in a submission.</summary>
public enum SubmissionStatus
{
    /// <summary>sbatch accepted it; it has a job id.</summary>
    Submitted,

    /// <summary>It already had a job from an earlier submission; nothing was done.</summary>
    AlreadySubmitted,

    /// <summary>sbatch refused it (or the script is missing); the error is recorded.</summary>
    Failed,

    /// <summary>An eval not submitted because its fine-tune has no job.</summary>
    Blocked,

    /// <summary>Dry run: the command that would run.</summary>
    DryRun,
}

/// <summary>The outcome for one batch script.</summary>
/// <param name="Script">Path relative to the experiment directory.</param>
/// <param name="Kind">What the script does.</param>
/// <param name="Run">Its run (or control).</param>
/// <param name="Status">What happened.</param>
/// <param name="Command">The sbatch command (run, or that would run); <see langword="null"/> when none was built.</param>
/// <param name="JobId">The job id (new or earlier), if any.</param>
/// <param name="Error">Why it failed or is blocked.</param>
public sealed record SubmissionOutcome(
    string Script,
    SlurmJobKind Kind,
    string Run,
    SubmissionStatus Status,
    SbatchCommand? Command,
    string? JobId,
    string? Error);

/// <summary>The outcome of <see cref="Submitter.Submit"/>, in submission order.</summary>
/// <param name="Outcomes">One per selected batch script.</param>
public sealed record SubmitResult(IReadOnlyList<SubmissionOutcome> Outcomes)
{
    /// <summary>Scripts submitted by this call.</summary>
    public int Submitted => Count(SubmissionStatus.Submitted);

    /// <summary>Scripts skipped because they already had a job.</summary>
    public int AlreadySubmitted => Count(SubmissionStatus.AlreadySubmitted);

    /// <summary>Scripts sbatch refused.</summary>
    public int Failed => Count(SubmissionStatus.Failed);

    /// <summary>Evals not submitted because their fine-tune has no job.</summary>
    public int Blocked => Count(SubmissionStatus.Blocked);

    /// <summary>Whether nothing failed or was blocked (the exit code a CLI should turn into 0).</summary>
    /// <summary>How many scripts had a failed job and were submitted again (<see cref="SubmitOptions.RetryFailed"/>).</summary>
    public int Retried { get; init; }

    /// <summary>Whether nothing failed or was blocked.</summary>
    public bool Success => Failed == 0 && Blocked == 0;

    /// <summary>The sbatch commands of a dry run (or of the submissions made), one shell line each.</summary>
    public IReadOnlyList<string> CommandLines =>
        [.. Outcomes.Where(o => o.Command is not null && o.Status is SubmissionStatus.DryRun or SubmissionStatus.Submitted)
                    .Select(o => o.Command!.ToString())];

    private int Count(SubmissionStatus status) => Outcomes.Count(o => o.Status == status);
}
