// What statx says of a file (UnixFileCalls.StatPath): the identity a read-ahead is checked against.
using FileIdentity = (bool Regular, int Mode, ulong Inode, long Size, long ChangedNs, long ModifiedNs);

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The previous scaffold's manifest (reconciled with its journal) and stamp cache, read on other
/// cores. A scaffold starts them before it takes the directory lock, while it checks the plan on
/// this core: at 10,000 runs reading them is about a quarter of a second that an unchanged
/// re-scaffold would otherwise wait for. What was read before the lock is used only if the files
/// it came from are, under the lock, still the files that were read (<see cref="StillCurrent"/>);
/// otherwise they are read again. <c>plan</c>'s preview starts the same reads while it lists the runs.
/// </summary>
internal sealed class PreviousScaffoldReads
{
    private static readonly string[] SourceNames = [ScaffoldManifest.FileName, ScaffoldJournal.FileName, ScaffoldStamps.FileName];

    private readonly string _experimentDir;
    // What statx said of each source file before it was read (null: absent, or not Linux).
    private readonly FileIdentity?[]? _sources;

    private PreviousScaffoldReads(string experimentDir, FileIdentity?[]? sources)
    {
        _experimentDir = experimentDir;
        _sources = sources;
        Manifest = Task.Run(() => ScaffoldManifest.Load(experimentDir));
        // The stamp cache is paired with that manifest's hashes.
        Stamps = Manifest.ContinueWith(
            loaded => ScaffoldStamps.Load(experimentDir, loaded.GetAwaiter().GetResult().Files), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>The manifest, with whatever a stopped scaffold's journal adds.</summary>
    public Task<ScaffoldManifest> Manifest { get; }

    /// <summary>The stamp cache, paired with <see cref="Manifest"/>.</summary>
    public Task<ScaffoldStamps> Stamps { get; }

    /// <summary>Starts reading while no lock is held; see <see cref="StillCurrent"/>.</summary>
    /// <remarks>
    /// The identity of each file (inode, size, change and modification times) is taken before it is
    /// read, so the reads see that state or a later one. Without file identities (not Linux) nothing
    /// is read ahead.
    /// </remarks>
    public static PreviousScaffoldReads? StartBeforeLock(string experimentDir) =>
        UnixFileCalls.Available ? new PreviousScaffoldReads(experimentDir, IdentitiesIn(experimentDir)) : null;

    /// <summary>Starts reading now, for use as read: under the lock, or by a preview (<c>plan</c>), which takes none.</summary>
    public static PreviousScaffoldReads Start(string experimentDir) => new(experimentDir, sources: null);

    /// <summary>
    /// Whether what was read is what the directory holds now, with the lock held: every file it came
    /// from is still the same file, unchanged, or still absent. The manifest and the stamp cache are
    /// only ever replaced whole (a rename: a new inode) and the journal only grows or goes, so another
    /// scaffold that ran in between, or a hand edit, makes this false.
    /// </summary>
    public bool StillCurrent()
    {
        if (_sources is null)
        {
            return true;
        }

        return _sources.AsSpan().SequenceEqual(IdentitiesIn(_experimentDir));
    }

    private static FileIdentity?[] IdentitiesIn(string experimentDir) =>
        [.. SourceNames.Select(name => UnixFileCalls.StatPath(Path.Combine(experimentDir, name)))];
}
