namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// Finds symbolic links on the way to a file under the experiment directory. Deleting or writing
/// through a link would touch a file outside the directory, which the scaffold never does.
/// </summary>
public static class SymbolicLinks
{
    /// <summary>
    /// The first component of <paramref name="relativePath"/> under <paramref name="root"/> (the file
    /// itself included) that is a symbolic link, as a relative path; <see langword="null"/> when none is.
    /// </summary>
    public static string? FirstLinkOnPath(string root, string relativePath)
    {
        string current = root;
        string[] segments = relativePath.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (IsLink(current))
            {
                return string.Join('/', segments.Take(i + 1));
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="path"/> exists and is a symbolic link (dangling ones included).</summary>
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
