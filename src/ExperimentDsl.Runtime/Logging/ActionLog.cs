using System.Globalization;
using System.Text;

namespace ExperimentDsl.Runtime.Logging;

/// <summary>
/// An append-only action log in the seed format:
/// <code>
/// [YYYY-MM-DD HH:MM:SS] ACTION_TYPE
/// Details: what happened
/// (optional extra lines, e.g. File: ...)
/// Result: outcome            (or Duration: N seconds on *_COMPLETE entries)
/// </code>
/// followed by a blank line. Each entry is appended and flushed to disk as it happens, so a crash
/// leaves every finished step on record and a re-run adds to, never truncates, the history.
/// </summary>
public sealed class ActionLog
{
    private readonly string _path;
    private readonly IClock _clock;
    private readonly object _gate = new();

    /// <summary>Opens (without truncating) the log at <paramref name="path"/>.</summary>
    public ActionLog(string path, IClock? clock = null)
    {
        _path = path;
        _clock = clock ?? SystemClock.Instance;
    }

    /// <summary>The log file's path.</summary>
    public string Path => _path;

    /// <summary>Appends an entry with a Result line.</summary>
    /// <param name="action">The action type, e.g. <c>CREATE_RUN_DIRS</c>.</param>
    /// <param name="details">What happened (one line; newlines are folded).</param>
    /// <param name="result">The outcome.</param>
    /// <param name="extraLines">Lines between Details and Result, e.g. <c>File: ...</c> or a check's pass/fail.</param>
    public void Write(string action, string details, string result, IEnumerable<string>? extraLines = null) =>
        Append(Format(action, details, extraLines, "Result: " + OneLine(result)));

    /// <summary>Appends a <c>*_COMPLETE</c> entry, which ends with <c>Duration: N seconds</c>.</summary>
    public void WriteComplete(string action, string details, TimeSpan duration, IEnumerable<string>? extraLines = null)
    {
        long seconds = (long)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero);
        Append(Format(action, details, extraLines, "Duration: " + seconds.ToString(CultureInfo.InvariantCulture) + " seconds"));
    }

    private string Format(string action, string details, IEnumerable<string>? extraLines, string lastLine)
    {
        var entry = new StringBuilder();
        entry.Append('[').Append(_clock.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append("] ")
             .Append(OneLine(action)).Append('\n');
        entry.Append("Details: ").Append(OneLine(details)).Append('\n');
        if (extraLines is not null)
        {
            foreach (string line in extraLines)
            {
                entry.Append(OneLine(line)).Append('\n');
            }
        }

        entry.Append(lastLine).Append("\n\n");
        return entry.ToString();
    }

    // A value with a newline (a hostile system prompt in an error message) must not forge entries.
    private static string OneLine(string text) =>
        text.Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);

    private void Append(string entry)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(entry);
        lock (_gate)
        {
            string? dir = System.IO.Path.GetDirectoryName(_path);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }
}
