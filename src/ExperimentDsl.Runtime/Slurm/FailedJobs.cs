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

    /// <summary>The scripts among <paramref name="jobs"/> to re-submit, by relative path.</summary>
    public static IReadOnlySet<string> ToRetry(IReadOnlyList<PlannedJob> jobs, SlurmStateFile state)
    {
        var retry = new HashSet<string>(StringComparer.Ordinal);
        foreach (PlannedJob job in jobs)
        {
            if (state.Jobs.TryGetValue(job.Script, out SlurmJobRecord? record) && record.JobId is not null
                && SlurmJobStates.Failed.Contains(record.State) && record.RetriesExhausted is null)
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
