namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// SLURM job state names (as <c>squeue %T</c> and <c>scontrol</c> print them) and the two states
/// of our own for scripts that never became a job.
/// </summary>
public static class SlurmJobStates
{
    /// <summary>Ours: sbatch refused the script (the record's error says why).</summary>
    public const string SubmitFailed = "SUBMIT_FAILED";

    /// <summary>Ours: an eval not submitted because its fine-tune has no job.</summary>
    public const string Blocked = "BLOCKED";

    /// <summary>Ours: the script has never been submitted.</summary>
    public const string NotSubmitted = "NOT_SUBMITTED";

    /// <summary>
    /// Ours: SLURM no longer knows the job id, and neither its end nor any evidence of it (exit-code
    /// file, checkpoints) was seen. Not a failure, and not final: the next refresh looks again.
    /// </summary>
    public const string Unknown = "UNKNOWN";

    /// <summary>Finished successfully.</summary>
    public const string Completed = "COMPLETED";

    /// <summary>Waiting for resources or a dependency.</summary>
    public const string Pending = "PENDING";

    /// <summary>The states that mean a job ended without success (SLURM's, and ours).</summary>
    public static IReadOnlySet<string> Failed { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "DEADLINE", "BOOT_FAIL",
        "PREEMPTED", "REVOKED", "SPECIAL_EXIT", SubmitFailed, Blocked,
    };

    /// <summary>Whether a job in <paramref name="state"/> will not change any more (on its own).</summary>
    public static bool IsFinal(string state) => state == Completed || Failed.Contains(state);

    /// <summary>Whether a job in <paramref name="state"/> is still in the queue (pending, running, completing...).</summary>
    public static bool IsActive(string state) => !IsFinal(state) && state != NotSubmitted && state != Unknown;

    /// <summary>
    /// The state name from a SLURM state field: <c>CANCELLED by 0</c> -> <c>CANCELLED</c>,
    /// <c>COMPLETED+</c> -> <c>COMPLETED</c>.
    /// </summary>
    public static string Normalize(string state)
    {
        string trimmed = state.Trim();
        int end = 0;
        while (end < trimmed.Length && (char.IsAsciiLetterUpper(trimmed[end]) || trimmed[end] == '_'))
        {
            end++;
        }

        return end == 0 ? trimmed : trimmed[..end];
    }
}
