using System.Globalization;
using System.Text;
using ExperimentDsl.Runtime.Files;

namespace ExperimentDsl.Runtime.Logging;

/// <summary>
/// An append-only action log in the seed format:
/// <code>
/// [YYYY-MM-DD HH:MM:SS] ACTION_TYPE
/// Details: what happened
/// (optional extra lines, e.g. File: ...)
/// Result: outcome            (or Duration: N seconds on *_COMPLETE entries)
/// </code>
/// followed by a blank line. Each entry is appended as it happens, so a killed process leaves every
/// finished step on record and a re-run adds to, never truncates, the history. By default each
/// entry is also flushed to disk (a submit records job ids that must survive a power loss); a
/// scaffold, whose files are not flushed one by one either, flushes its logs once at the end.
/// </summary>
public sealed class ActionLog
{
    private readonly string _path;
    private readonly string _within;
    private readonly IClock _clock;
    private readonly bool _flushEachEntry;
    private readonly Action? _beforeEntry;
    private readonly object _gate = new();

    // The entry being appended, as UTF-8 (see Append); reused from entry to entry.
    private readonly Encoder _encoder = Encoding.UTF8.GetEncoder();
    private byte[] _buffer = new byte[4096];
    private int _length;

    // The open log while an entry is appended (see Append); chunks of this size are written as they fill.
    private FileStream? _stream;
    private const int ChunkBytes = 32 * 1024;

    /// <summary>Opens (without truncating) the log at <paramref name="path"/>.</summary>
    /// <param name="path">The log file.</param>
    /// <param name="clock">The clock of the entries' timestamps.</param>
    /// <param name="flushEachEntry">
    /// Flush every entry to disk as it is appended; when false, entries reach the file (and survive a
    /// killed process) at once but reach the disk at <see cref="FlushToDisk"/>. Each flush stalls both
    /// cores of a small machine for milliseconds, fifteen times per scaffold.
    /// </param>
    /// <param name="beforeEntry">
    /// Runs before each entry is formatted: a scaffold writes the files it has queued, so that no entry
    /// names a file that is not on disk yet.
    /// </param>
    /// <param name="within">
    /// The experiment directory the log belongs to (by default the log's own directory): the log is
    /// opened through <see cref="GuardedFile"/>, so a log that is a link leaving it, or a FIFO, is refused
    /// instead of growing a file elsewhere or blocking.
    /// </param>
    public ActionLog(string path, IClock? clock = null, bool flushEachEntry = true, Action? beforeEntry = null, string? within = null)
    {
        _path = path;
        _within = within ?? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        _clock = clock ?? SystemClock.Instance;
        _flushEachEntry = flushEachEntry;
        _beforeEntry = beforeEntry;
    }

    /// <summary>The log file's path.</summary>
    public string Path => _path;

    /// <summary>Appends an entry with a Result line.</summary>
    /// <param name="action">The action type, e.g. <c>CREATE_RUN_DIRS</c>.</param>
    /// <param name="details">What happened (one line; newlines are folded).</param>
    /// <param name="result">The outcome.</param>
    /// <param name="extraLines">Lines between Details and Result, e.g. <c>File: ...</c> or a check's pass/fail.</param>
    public void Write(string action, string details, string result, IEnumerable<string>? extraLines = null) =>
        Append(action, details, extraLines, "Result: ", OneLine(result));

    /// <summary>Appends a <c>*_COMPLETE</c> entry, which ends with <c>Duration: N seconds</c>.</summary>
    public void WriteComplete(string action, string details, TimeSpan duration, IEnumerable<string>? extraLines = null)
    {
        long seconds = (long)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero);
        Append(action, details, extraLines, "Duration: ", seconds.ToString(CultureInfo.InvariantCulture) + " seconds");
    }

    // A value with a newline (a hostile system prompt in an error message) must not forge entries.
    private static string OneLine(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') < 0
            ? text
            : text.Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);

    // The entry is encoded piece by piece into one reused buffer, written out each time it holds
    // ChunkBytes: an entry of a 10,000-run scaffold lists 40,000 files, and as a text, then a string,
    // then bytes it took 30 MB of memory the collector only reclaims late (large objects); a buffer
    // grown to the whole entry (5 MB) was still a dozen large arrays per scaffold, each able to start
    // a full collection. One encoder across the pieces gives exactly the bytes of encoding the whole
    // text at once.
    private void Append(string action, string details, IEnumerable<string>? extraLines, string lastLabel, string lastValue)
    {
        _beforeEntry?.Invoke();
        lock (_gate)
        {
            using FileStream stream = GuardedFile.OpenAppend(_path, _within);
            _stream = stream;
            _length = 0;
            _encoder.Reset();
            Add("[");
            Add(_clock.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            Add("] ");
            Add(OneLine(action));
            Add("\nDetails: ");
            Add(OneLine(details));
            Add("\n");
            if (extraLines is not null)
            {
                foreach (string line in extraLines)
                {
                    Add(OneLine(line));
                    Add("\n");
                }
            }

            Add(lastLabel);
            Add(lastValue);
            Add("\n\n", flush: true);

            stream.Write(_buffer, 0, _length);
            _length = 0;
            _stream = null;
            stream.Flush(flushToDisk: _flushEachEntry);
        }
    }

    private void Add(string text, bool flush = false)
    {
        if (_length >= ChunkBytes && _stream is { } stream)
        {
            stream.Write(_buffer, 0, _length);
            _length = 0;
        }

        int most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_buffer.Length - _length < most)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + most));
        }

        _length += _encoder.GetBytes(text, _buffer.AsSpan(_length), flush);
    }

    /// <summary>Flushes the entries appended so far to disk (for a log opened without <c>flushEachEntry</c>).</summary>
    public void FlushToDisk()
    {
        lock (_gate)
        {
            if (File.Exists(_path))
            {
                using FileStream stream = GuardedFile.OpenAppend(_path, _within);
                stream.Flush(flushToDisk: true);
            }
        }
    }
}
