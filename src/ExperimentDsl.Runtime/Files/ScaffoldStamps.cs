using System.Text;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// <c>.scaffold-stamps</c>: a cache beside the manifest, never needed for correctness. Its first line
/// is the inputs hash of the scaffold that wrote it (see <c>ScaffoldInputs</c>); then, per file, the
/// hash the file was found to hold and the <see cref="FileStamp"/> it had then. It describes the disk
/// (inodes, times), so it is kept out of <c>scaffold-manifest.json</c>, which stays the same bytes for
/// the same experiment. A missing, damaged or stale cache only makes files read again: an entry
/// counts only while its hash is the one the manifest records for the file.
/// </summary>
internal sealed class ScaffoldStamps
{
    /// <summary>The cache's file name in the experiment directory.</summary>
    public const string FileName = ".scaffold-stamps";

    private const string InputsPrefix = "inputs ";

    private readonly Dictionary<string, (string Hash, string Stamp)> _entries;
    private readonly string _text;

    private ScaffoldStamps(string inputs, Dictionary<string, (string Hash, string Stamp)> entries, string text)
    {
        Inputs = inputs;
        _entries = entries;
        _text = text;
    }

    /// <summary>The inputs hash recorded with the stamps ("" when there is none).</summary>
    public string Inputs { get; }

    /// <summary>The stamp of <paramref name="relativePath"/> taken when it held <paramref name="hash"/>, if any.</summary>
    public string? StampOf(string relativePath, string hash) =>
        _entries.TryGetValue(relativePath, out (string Hash, string Stamp) entry) && string.Equals(entry.Hash, hash, StringComparison.Ordinal) ? entry.Stamp : null;

    /// <summary>The cache of <paramref name="experimentDir"/>; empty when absent, a link, or not readable.</summary>
    public static ScaffoldStamps Load(string experimentDir)
    {
        string path = Path.Combine(experimentDir, FileName);
        var entries = new Dictionary<string, (string Hash, string Stamp)>(StringComparer.Ordinal);
        string text;
        try
        {
            if (!File.Exists(path) || SymbolicLinks.IsLink(path))
            {
                return new ScaffoldStamps("", entries, "");
            }

            text = GuardedFile.ReadAllText(path, experimentDir, FileLimits.Manifest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FileRefusedException)
        {
            return new ScaffoldStamps("", entries, "");
        }

        string[] lines = text.Split('\n');
        string inputs = lines[0].StartsWith(InputsPrefix, StringComparison.Ordinal) && ManifestPath.IsHash(lines[0][InputsPrefix.Length..])
            ? lines[0][InputsPrefix.Length..]
            : "";
        foreach (string line in lines.Skip(1))
        {
            // "{hash} {size} {mode} {inode} {ctime} {mtime} {path}"; a line that does not parse is skipped.
            string[] parts = line.Split(' ', 7);
            if (parts.Length == 7 && ManifestPath.IsHash(parts[0]) && ManifestPath.Problem(parts[6]) is null)
            {
                string stamp = string.Join(' ', parts, 1, 5);
                if (FileStamp.IsStamp(stamp))
                {
                    entries[parts[6]] = (parts[0], stamp);
                }
            }
        }

        return new ScaffoldStamps(inputs, entries, text);
    }

    /// <summary>
    /// Writes the cache for <paramref name="inputs"/> and <paramref name="stamps"/> (path, hash,
    /// stamp), in path order, unless it already holds exactly that.
    /// </summary>
    public void SaveIfChanged(string experimentDir, string inputs, IEnumerable<(string Path, string Hash, string Stamp)> stamps)
    {
        var text = new StringBuilder(InputsPrefix).Append(inputs).Append('\n');
        int count = 0;
        foreach ((string path, string hash, string stamp) in stamps.OrderBy(s => s.Path, StringComparer.Ordinal))
        {
            text.Append(hash).Append(' ').Append(stamp).Append(' ').Append(path).Append('\n');
            count++;
        }

        // A first scaffold has nothing to stamp (it wrote every file): no cache yet.
        string next = text.ToString();
        if ((count > 0 || _text.Length > 0) && !string.Equals(next, _text, StringComparison.Ordinal))
        {
            // A cache: losing it to a power cut only makes the next scaffold read every file.
            AtomicFile.WriteAllText(Path.Combine(experimentDir, FileName), next, flushToDisk: false);
        }
    }
}
