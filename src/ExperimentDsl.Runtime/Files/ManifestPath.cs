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

        foreach (string segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return "a path that is not normalized or leaves the experiment directory ('', '.' or '..' segment)";
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="hash"/> is a SHA-256 as <see cref="ContentHash"/> writes it.</summary>
    public static bool IsHash(string? hash) =>
        hash is { Length: 64 } && hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
