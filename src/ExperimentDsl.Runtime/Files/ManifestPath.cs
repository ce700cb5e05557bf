namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The paths a manifest (or journal) may record: relative, '/'-separated, normalized and inside the
/// experiment directory. The scaffold deletes and overwrites recorded files, and a manifest is a file
/// anything can edit, so a path that could reach outside (<c>../x</c>, <c>/etc/x</c>) is refused.
/// </summary>
public static class ManifestPath
{
    /// <summary>Why <paramref name="path"/> cannot be a recorded path, or <see langword="null"/> when it can.</summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "an empty path";
        }

        if (path.Contains('\0', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
        {
            return "a path with a NUL or a backslash";
        }

        if (path.StartsWith('/') || Path.IsPathRooted(path))
        {
            return "an absolute path";
        }

        // Segment by segment in place: a manifest of 70,000 paths is checked on every scaffold.
        foreach (Range range in path.AsSpan().Split('/'))
        {
            ReadOnlySpan<char> segment = path.AsSpan(range);
            if (segment.IsEmpty || segment is "." or "..")
            {
                return "a path that is not normalized or leaves the experiment directory ('', '.' or '..' segment)";
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="hash"/> is a SHA-256 as <see cref="ContentHash"/> writes it.</summary>
    public static bool IsHash(string? hash)
    {
        if (hash is not { Length: 64 })
        {
            return false;
        }

        foreach (char c in hash)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
