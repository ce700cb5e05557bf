namespace ExperimentDsl.Runtime.Slurm;

/// <summary>What SLURM says about one job (from squeue, scontrol or sacct).</summary>
/// <param name="State">Normalized state name, e.g. <c>COMPLETED</c>.</param>
/// <param name="Reason">Why it waits or ended, or <see langword="null"/> for <c>None</c>.</param>
/// <param name="ExitCode"><c>exit:signal</c>, when known.</param>
/// <param name="StartTime">Start time as SLURM prints it, when known.</param>
/// <param name="EndTime">End time as SLURM prints it, when known.</param>
internal sealed record SlurmJobInfo(string State, string? Reason, string? ExitCode, string? StartTime, string? EndTime)
{
    /// <summary>Parses one line of <c>scontrol show job -o</c>; <see langword="null"/> when it has no JobState.</summary>
    public static SlurmJobInfo? FromScontrol(string line)
    {
        IReadOnlyDictionary<string, string> fields = ScontrolFields(line);
        if (!fields.TryGetValue("JobState", out string? state))
        {
            return null;
        }

        return new SlurmJobInfo(
            SlurmJobStates.Normalize(state),
            Known(fields.GetValueOrDefault("Reason")),
            Known(fields.GetValueOrDefault("ExitCode")),
            Known(fields.GetValueOrDefault("StartTime")),
            Known(fields.GetValueOrDefault("EndTime")));
    }

    /// <summary>
    /// Splits <c>Key=Value Key=Value</c>. A value may hold spaces (a command path, a reason): a word
    /// without '=' belongs to the value before it.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> ScontrolFields(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = null;
        foreach (string word in line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && word[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '/' or ':' or '-'))
            {
                key = word[..equals];
                fields[key] = word[(equals + 1)..];
            }
            else if (key is not null)
            {
                fields[key] += " " + word;
            }
        }

        return fields;
    }

    /// <summary>SLURM's placeholders for "nothing": <c>None</c>, <c>Unknown</c>, <c>N/A</c>, <c>(null)</c>, empty.</summary>
    internal static string? Known(string? value) =>
        value is null or "" or "None" or "Unknown" or "N/A" or "(null)" ? null : value;
}
