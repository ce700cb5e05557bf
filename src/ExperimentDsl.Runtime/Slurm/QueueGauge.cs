namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// Counts this experiment's jobs that are still in the queue (pending, running, completing), so the
/// submitter can hold back before it exceeds the cap. It counts locally after each submission and
/// asks squeue only when the local count says the queue is full.
/// </summary>
internal sealed class QueueGauge
{
    private readonly ISlurmCommands _slurm;
    private readonly Action<TimeSpan> _sleep;
    private readonly TimeSpan _pollInterval;
    private readonly HashSet<string> _ours;
    private int? _active;

    public QueueGauge(ISlurmCommands slurm, Action<TimeSpan> sleep, TimeSpan pollInterval, IEnumerable<string> activeJobIds)
    {
        _slurm = slurm;
        _sleep = sleep;
        _pollInterval = pollInterval;
        _ours = new HashSet<string>(activeJobIds, StringComparer.Ordinal);
        _active = _ours.Count == 0 ? 0 : null;
    }

    /// <summary>Jobs of ours squeue reported as queued at the last poll, by id, with their state.</summary>
    public IReadOnlyDictionary<string, string> LastSeen { get; private set; } = new Dictionary<string, string>();

    public void Add(string jobId)
    {
        _ours.Add(jobId);
        _active = (_active ?? 0) + 1;
    }

    /// <summary>Returns once fewer than <paramref name="max"/> of our jobs are queued (at once when max &lt;= 0).</summary>
    public void WaitForRoom(int max)
    {
        if (max <= 0)
        {
            return;
        }

        _active ??= Poll();
        while (_active >= max)
        {
            _sleep(_pollInterval);
            _active = Poll();
        }
    }

    private int Poll()
    {
        // Only this user's jobs, in squeue's default states (pending, running, completing, ...).
        SlurmCommandResult result = _slurm.Squeue(["--noheader", "--me", "--format=%i|%T"]);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"squeue failed (exit {result.ExitCode}), so the queue cap cannot be enforced: {result.StandardError.Trim()}");
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split('|');
            if (fields.Length >= 2 && _ours.Contains(fields[0]))
            {
                seen[fields[0]] = SlurmJobStates.Normalize(fields[1]);
            }
        }

        LastSeen = seen;
        _ours.IntersectWith(seen.Keys);
        return seen.Values.Count(SlurmJobStates.IsActive);
    }
}
