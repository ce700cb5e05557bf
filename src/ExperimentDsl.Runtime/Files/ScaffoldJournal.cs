using System.Text;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// <c>.scaffold-journal</c>: the hash and path of every file a scaffold is about to write, appended
/// before the write and removed once the manifest is saved. A scaffold killed or stopped between
/// its first write and its manifest leaves files the manifest does not know; the next scaffold reads
/// the journal and recognises a file whose content is exactly what the journal announced as its own
/// (not as edited by hand). Together, manifest and journal describe the disk at every moment.
/// </summary>
public sealed class ScaffoldJournal : IDisposable
{
    /// <summary>The journal's file name in the experiment directory.</summary>
    public const string FileName = ".scaffold-journal";

    private readonly string _path;
    private FileStream? _stream;

    /// <summary>A journal of <paramref name="experimentDir"/>, opened on the first <see cref="Announce"/>.</summary>
    public ScaffoldJournal(string experimentDir) => _path = Path.Combine(experimentDir, FileName);

    /// <summary>
    /// Appends the files about to be written and hands the lines to the kernel (a killed process
    /// loses nothing the kernel has; only a power loss could, like the writes it announces).
    /// </summary>
    public void Announce(IEnumerable<(string RelativePath, string Hash)> files)
    {
        var text = new StringBuilder();
        foreach ((string relativePath, string hash) in files)
        {
            text.Append(hash).Append(' ').Append(relativePath).Append('\n');
        }

        if (text.Length == 0)
        {
            return;
        }

        _stream ??= GuardedFile.OpenAppend(_path, Path.GetDirectoryName(Path.GetFullPath(_path))!);
        _stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
        _stream.Flush(flushToDisk: false);
    }

    /// <summary>
    /// Whether a previous scaffold stopped between its first write and its manifest: its journal is
    /// still there. Anything at the journal's name counts (a link or a directory too), so a doubt
    /// means yes.
    /// </summary>
    public static bool LeftOver(string experimentDir)
    {
        string path = Path.Combine(experimentDir, FileName);
        return Path.Exists(path) || SymbolicLinks.IsLink(path);
    }

    /// <summary>Removes the journal: the manifest now records everything it announced.</summary>
    public void Complete()
    {
        Dispose();
        File.Delete(_path);
    }

    /// <summary>Closes the journal, leaving it on disk.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>
    /// What a previous, unfinished scaffold announced: path -> hash, the last announcement winning.
    /// Lines that do not parse (a write cut short) or name an unsafe path are ignored: they only ever
    /// add recognition, never remove it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadLeftOver(string experimentDir)
    {
        string path = Path.Combine(experimentDir, FileName);
        var announced = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path) || SymbolicLinks.IsLink(path))
        {
            return announced;
        }

        foreach (string line in GuardedFile.ReadAllText(path, experimentDir, FileLimits.Manifest).Split('\n'))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space != 64 || !ManifestPath.IsHash(line[..space]) || ManifestPath.Problem(line[(space + 1)..]) is not null)
            {
                continue;
            }

            announced[line[(space + 1)..]] = line[..space];
        }

        return announced;
    }
}
