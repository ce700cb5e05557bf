namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// A script's text seen as its '\n'-separated lines, searched in place: the checks look for two or
/// three lines per script, and splitting four thousand scripts into arrays of lines was a tenth of a
/// re-scaffold's allocations. A '\r' stays part of its line, as bash would read it.
/// </summary>
internal sealed class ScriptLines(string text)
{
    /// <summary>The first line, without its '\n'.</summary>
    public string First
    {
        get
        {
            int end = text.IndexOf('\n', StringComparison.Ordinal);
            return end < 0 ? text : text[..end];
        }
    }

    /// <summary>Whether some line is exactly <paramref name="line"/>.</summary>
    public bool Contains(string line) => FindLine(line, wholeLine: true) >= 0;

    /// <summary>The first line that starts with <paramref name="prefix"/>, or null.</summary>
    public string? FirstStartingWith(string prefix)
    {
        int start = FindLine(prefix, wholeLine: false);
        if (start < 0)
        {
            return null;
        }

        int end = text.IndexOf('\n', start);
        return end < 0 ? text[start..] : text[start..end];
    }

    // The start of the first line that begins with (or, whole, equals) the given text, or -1.
    private int FindLine(string value, bool wholeLine)
    {
        int start = 0;
        while (start <= text.Length)
        {
            int end = text.IndexOf('\n', start);
            int length = (end < 0 ? text.Length : end) - start;
            ReadOnlySpan<char> line = text.AsSpan(start, length);
            if (wholeLine ? line.SequenceEqual(value) : line.StartsWith(value, StringComparison.Ordinal))
            {
                return start;
            }

            if (end < 0)
            {
                return -1;
            }

            start = end + 1;
        }

        return -1;
    }
}
