using System.Text.RegularExpressions;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// Removes the hidden temporary files a killed atomic write leaves behind (see <see cref="AtomicFile"/>),
/// and nothing else: only in the directories the scaffold writes to, only names of the exact form
/// <c>.{file}.{32 hex digits}.tmp</c>, and never through a symbolic link.
/// </summary>
public static partial class InterruptedWrites
{
    /// <summary>Removes leftover temporary files from <paramref name="relativeDirectories"/> of <paramref name="experimentDir"/>.</summary>
    /// <param name="experimentDir">The experiment directory.</param>
    /// <param name="relativeDirectories">Directories the scaffold writes to ("" for the experiment directory itself).</param>
    public static void Remove(string experimentDir, IEnumerable<string> relativeDirectories)
    {
        foreach (string relative in relativeDirectories.Distinct(StringComparer.Ordinal))
        {
            if (relative.Length > 0 && (ManifestPath.Problem(relative) is not null || SymbolicLinks.FirstLinkOnPath(experimentDir, relative) is not null))
            {
                continue;
            }

            string directory = relative.Length == 0 ? experimentDir : Path.Combine(experimentDir, relative);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (string path in Directory.EnumerateFiles(directory, ".*.tmp", SearchOption.TopDirectoryOnly))
            {
                if (IsOurs(Path.GetFileName(path)) && !SymbolicLinks.IsLink(path))
                {
                    File.Delete(path);
                }
            }
        }
    }

    /// <summary>Whether a file name is exactly the form of <see cref="AtomicFile"/>'s temporary files.</summary>
    public static bool IsOurs(string fileName) => TemporaryName().IsMatch(fileName);

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryName();
}
