using ExperimentDsl.Runtime.Files;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// Closes the window between an accepted sbatch and the state file recording its job id: a submit or
/// watcher killed there (SIGKILL, a lost node) would otherwise submit the script again next time.
/// Before sbatch the record is saved as <see cref="State"/> with a token that is also passed to sbatch
/// as the job's <c>--comment</c>; the next submit looks for a job with that comment in squeue and adopts
/// it, or submits when there is none.
/// </summary>
internal static class SubmissionIntent
{
    /// <summary>Ours: sbatch is being called for the script; the job id is not known yet.</summary>
    public const string State = "SUBMITTING";

    /// <summary>The token of one submission of <paramref name="script"/>: unique per experiment, script and attempt.</summary>
    public static string Token(string experimentDir, string script, int attempt) =>
        "exd:" + ContentHash.Of(experimentDir + "\n" + script + "\n" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture))[..20];

    /// <summary>
    /// Settles every record left in <see cref="State"/>: the job SLURM has with its token becomes the
    /// record's job; without one the script was never queued and has no job.
    /// </summary>
    /// <returns>Whether any record changed.</returns>
    public static bool Settle(SlurmStateFile state, ISlurmCommands slurm)
    {
        KeyValuePair<string, SlurmJobRecord>[] pending = [.. state.Jobs.Where(j => j.Value.State == State)];
        if (pending.Length == 0)
        {
            return false;
        }

        SlurmCommandResult result = slurm.Squeue(["--noheader", "--me", "--states=all", "--format=%i|%k"]);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                "squeue failed while checking whether an interrupted submission reached SLURM: " + result.StandardError.Trim() + ". Run submit again once squeue answers.");
        }

        var byToken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split('|', 2);
            if (fields.Length == 2 && fields[1].StartsWith("exd:", StringComparison.Ordinal))
            {
                byToken[fields[1]] = fields[0];
            }
        }

        foreach ((string script, SlurmJobRecord record) in pending)
        {
            state.Jobs[script] = record.SubmitToken is { } token && byToken.TryGetValue(token, out string? jobId)
                ? record with { JobId = jobId, State = SlurmJobStates.Pending, Error = null }
                : record with { State = SlurmJobStates.NotSubmitted, Error = "an interrupted submission that never reached SLURM" };
        }

        return true;
    }
}
