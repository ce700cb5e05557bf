using System.Text;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// <c>.scaffold-stamps</c>: a cache beside the manifest, never needed for correctness. Its first line
/// is the inputs hash of the scaffold that wrote it (see <c>ScaffoldInputs</c>); then, one line per
/// file in path order, the hash the file was found to hold and the <see cref="FileStamp"/> it had
/// then. It describes the disk (inodes, times), so it is kept out of <c>scaffold-manifest.json</c>,
/// which stays the same bytes for the same experiment. A missing, damaged or stale cache only makes
/// files read again: an entry counts only while its hash is the one the manifest records.
/// </summary>
internal sealed class ScaffoldStamps
{
    /// <summary>The cache's file name in the experiment directory.</summary>
    public const string FileName = ".scaffold-stamps";

    private const string InputsPrefix = "inputs ";

    // Keyed by the manifest's own path strings: 70,000 entries cost a few megabytes for the stamps,
    // not the tens a dictionary of the file's own strings would.
    private readonly Dictionary<string, Stamp> _entries;

    private ScaffoldStamps(string inputs, Dictionary<string, Stamp> entries)
    {
        Inputs = inputs;
        _entries = entries;
    }

    /// <summary>The inputs hash recorded with the stamps ("" when there is none).</summary>
    public string Inputs { get; }

    /// <summary>The stamp of <paramref name="relativePath"/>, taken when it held the hash the manifest records.</summary>
    public Stamp? StampOf(string relativePath) => _entries.TryGetValue(relativePath, out Stamp? stamp) ? stamp : null;

    /// <summary>
    /// The cache of <paramref name="experimentDir"/>, keeping only entries whose hash is the one
    /// <paramref name="recorded"/> (the manifest) holds; empty when absent, a link, or not readable.
    /// </summary>
    public static ScaffoldStamps Load(string experimentDir, PathHashMap recorded)
    {
        string path = Path.Combine(experimentDir, FileName);
        var entries = new Dictionary<string, Stamp>(recorded.Count, StringComparer.Ordinal);
        string inputs = "";
        try
        {
            if (!File.Exists(path) || SymbolicLinks.IsLink(path))
            {
                return new ScaffoldStamps("", entries);
            }

            // Streamed: the cache of 70,000 files is 12 MB of text.
            using var reader = new StreamReader(GuardedFile.OpenRead(path, experimentDir, FileLimits.Manifest), Encoding.UTF8);
            string? first = reader.ReadLine();
            if (first is null || !first.StartsWith(InputsPrefix, StringComparison.Ordinal) || !ManifestPath.IsHash(first[InputsPrefix.Length..]))
            {
                return new ScaffoldStamps("", entries);
            }

            inputs = first[InputsPrefix.Length..];

            // Both are in ordinal path order, so one pass pairs each line with its manifest record.
            using IEnumerator<KeyValuePair<string, string>> record = recorded.GetEnumerator();
            bool more = record.MoveNext();
            while (more && reader.ReadLine() is { } line)
            {
                // "{hash} {size} {mode} {inode} {ctime} {mtime} {path}"; a line that does not parse is skipped.
                ReadOnlySpan<char> text = line;
                int afterStamp = NthSpace(text, 6);
                if (afterStamp < 0 || text.IndexOf(' ') != 64 || !Stamp.TryParse(text[65..afterStamp], out Stamp? stamp))
                {
                    continue;
                }

                ReadOnlySpan<char> file = text[(afterStamp + 1)..];
                while (more && record.Current.Key.AsSpan().SequenceCompareTo(file) < 0)
                {
                    more = record.MoveNext();
                }

                if (more && file.SequenceEqual(record.Current.Key) && text[..64].SequenceEqual(record.Current.Value))
                {
                    entries[record.Current.Key] = stamp;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FileRefusedException)
        {
            return new ScaffoldStamps("", new Dictionary<string, Stamp>(StringComparer.Ordinal));
        }

        return new ScaffoldStamps(inputs, entries);
    }

    private static int NthSpace(ReadOnlySpan<char> text, int n)
    {
        int at = -1;
        for (int i = 0; i < n; i++)
        {
            int next = text[(at + 1)..].IndexOf(' ');
            if (next < 0)
            {
                return -1;
            }

            at += next + 1;
        }

        return at;
    }

    /// <summary>
    /// Writes the cache for <paramref name="inputs"/> and <paramref name="stamps"/> (path -> stamp, each
    /// paired with its hash in <paramref name="hashes"/>), unless it already holds exactly that.
    /// <paramref name="sameHashes"/> says the manifest records exactly <paramref name="previousHashes"/>
    /// again, which spares looking each hash up in both (two tree searches per file).
    /// </summary>
    public void SaveIfChanged(string experimentDir, string inputs, IReadOnlyDictionary<string, Stamp> stamps, PathHashMap hashes, PathHashMap previousHashes, bool sameHashes)
    {
        bool same = string.Equals(inputs, Inputs, StringComparison.Ordinal) && stamps.Count == _entries.Count
            && stamps.All(s => _entries.TryGetValue(s.Key, out Stamp? old) && old == s.Value
                && (sameHashes || (previousHashes.TryGetValue(s.Key, out string? before) && string.Equals(before, hashes[s.Key], StringComparison.Ordinal))));
        if (same || (stamps.Count == 0 && _entries.Count == 0 && Inputs.Length == 0 && !File.Exists(Path.Combine(experimentDir, FileName))))
        {
            // Unchanged, or a first scaffold with nothing to stamp yet (it wrote every file): no write.
            return;
        }

        var text = new StringBuilder(InputsPrefix).Append(inputs).Append('\n');
        foreach ((string path, Stamp stamp) in stamps.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append(hashes[path]).Append(' ').Append(stamp.ToString()).Append(' ').Append(path).Append('\n');
        }

        // A cache: losing it to a power cut only makes the next scaffold read every file.
        AtomicFile.WriteAllText(Path.Combine(experimentDir, FileName), text.ToString(), flushToDisk: false);
    }
}
