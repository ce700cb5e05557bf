namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// Which jobs <c>submit --retry-failed</c> re-submits (SPEC 13): every selected script whose job ended
/// without success, and the evals of a re-submitted fine-tune that have not completed or are not
/// still queued (SLURM cancelled them with their fine-tune, or they were never submitted).
/// </summary>
internal static class FailedJobs
{
    /// <summary>What an attempt re-submitted by <c>--retry-failed</c> records as its reason.</summary>
    public const string RetryFailedReason = "retry-failed";

    /// <summary>What a TIMEOUT fine-tune re-submitted by the watcher records as its reason.</summary>
    public const string TimeoutReason = "timeout";

    /// <summary>
    /// The scripts among <paramref name="jobs"/> to re-submit, by relative path: those whose job failed
    /// and that <paramref name="eligible"/> accepts (every one when it is null), with their evals.
    /// </summary>
    public static IReadOnlySet<string> ToRetry(IReadOnlyList<PlannedJob> jobs, SlurmStateFile state, Func<PlannedJob, SlurmJobRecord, bool>? eligible = null)
    {
        var retry = new HashSet<string>(StringComparer.Ordinal);
        foreach (PlannedJob job in jobs)
        {
            if (state.Jobs.TryGetValue(job.Script, out SlurmJobRecord? record) && record.JobId is not null
                && SlurmJobStates.Failed.Contains(record.State) && record.RetriesExhausted is null
                && (eligible is null || eligible(job, record)))
            {
                retry.Add(job.Script);
            }
        }

        foreach (PlannedJob job in jobs)
        {
            if (job.DependsOn is not null && retry.Contains(job.DependsOn)
                && state.Jobs.TryGetValue(job.Script, out SlurmJobRecord? record) && record.JobId is not null
                && record.State != SlurmJobStates.Completed && !SlurmJobStates.IsActive(record.State))
            {
                retry.Add(job.Script);
            }
        }

        return retry;
    }

    /// <summary>How many times the script was already re-submitted for <paramref name="reason"/>.</summary>
    public static int Retries(SlurmJobRecord record, string reason) =>
        record.PreviousAttempts?.Count(a => a.RetriedBecause == reason) ?? 0;

    /// <summary>
    /// <paramref name="record"/> without a current job: its job moved to the earlier attempts, ready
    /// for the next submission, which runs with the same batch size unless the caller changes it.
    /// </summary>
    public static SlurmJobRecord Archive(SlurmJobRecord record, string because) => new()
    {
        Kind = record.Kind,
        Run = record.Run,
        State = SlurmJobStates.NotSubmitted,
        BatchSize = record.BatchSize,
        GradientAccumulationSteps = record.GradientAccumulationSteps,
        PreviousAttempts = [.. record.PreviousAttempts ?? [], SlurmJobAttempt.Of(record, because)],
    };
}
