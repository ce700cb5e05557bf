namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The files of one scaffold of one experiment directory. Every write goes through <see cref="Put"/>,
/// which compares the wanted content with the disk and with the manifest of the previous scaffold:
/// unchanged files are not touched, files edited by hand are kept unless forced, and everything
/// else is written atomically. At the end, <see cref="SaveManifest"/> records what was written.
/// </summary>
public sealed class ScaffoldFiles : IDisposable
{
    private readonly ScaffoldManifest _previous;
    // Sized for the files expected (see ExpectedFiles): grown by doubling, 70,000 entries cost a
    // dozen arrays on the large-object heap, and each time those exceeded its budget the GC made a
    // full collection of the whole heap.
    private readonly PathHashMap _next;

    // The stamps the stamp cache records next (see FileStamp, ScaffoldStamps): only of files this
    // session found, by a read or by a stamp that still matched, to hold exactly their recorded hash.
    private readonly Dictionary<string, Stamp> _nextStamps;

    // See UseStamps.
    private string _inputs = "";
    private ScaffoldStamps? _stamps;
    private bool _trustStamps;
    private bool _sameInputs;
    private long? _clock;
    private int _notRead;

    // Files decided for writing but not yet written; see PutPrepared and FlushWrites.
    private readonly List<PreparedFile> _pendingWrites = [];

    // Announces each batch of writes before it happens, so a scaffold stopped before its manifest
    // leaves files the next one recognises (null in a dry run, which writes nothing).
    private readonly ScaffoldJournal? _journal;

    // Directories already checked to be real directories, not links (thousands of files share a few).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _checkedDirectories;

    /// <summary>Starts a scaffold session over <paramref name="experimentDir"/>.</summary>
    /// <param name="experimentDir">The experiment directory.</param>
    /// <param name="previous">The manifest of the previous scaffold (empty for a first one).</param>
    /// <param name="force">Overwrite files edited by hand.</param>
    /// <param name="dryRun">Classify only; write nothing.</param>
    /// <param name="expectedFiles">How many files the session will put, if known (the collections are sized for it).</param>
    public ScaffoldFiles(string experimentDir, ScaffoldManifest previous, bool force, bool dryRun, int expectedFiles = 0)
    {
        ExpectedFiles = Math.Max(expectedFiles, previous.Files.Count);
        ExperimentDir = Path.GetFullPath(experimentDir);
        _previous = previous;
        _next = new PathHashMap(ExpectedFiles);
        _nextStamps = new Dictionary<string, Stamp>(ExpectedFiles, StringComparer.Ordinal);
        _checkedDirectories = new(Environment.ProcessorCount, ExpectedFiles / 3, StringComparer.Ordinal);
        Force = force;
        DryRun = dryRun;
        _journal = dryRun ? null : new ScaffoldJournal(ExperimentDir);
    }

    /// <summary>The experiment directory.</summary>
    public string ExperimentDir { get; }

    /// <summary>How many files this session expects to put: as many as it was told, or the previous scaffold recorded.</summary>
    internal int ExpectedFiles { get; }

    /// <summary>Whether hand-edited files are overwritten.</summary>
    public bool Force { get; }

    /// <summary>Whether nothing is written.</summary>
    public bool DryRun { get; }

    /// <summary>
    /// Lets this session use and record <see cref="FileStamp"/>s (in <see cref="ScaffoldStamps"/>).
    /// <paramref name="inputs"/> is the hash of everything the files are made from, recorded with the
    /// stamps; when the cache holds the same, <see cref="TryUnchanged"/> may skip emitting a file at all.
    /// Without <paramref name="trust"/> (--verify) every file is read, and stamps are only recorded.
    /// <paramref name="clock"/> is the file-system clock read before anything was read
    /// (<see cref="FileStamp.ReadClock"/>); without it no new stamp is recorded.
    /// </summary>
    internal void UseStamps(string inputs, bool trust, long? clock) =>
        UseStamps(inputs, trust, clock, ScaffoldStamps.Load(ExperimentDir, _previous.Files));

    /// <summary>As <see cref="UseStamps(string, bool, long?)"/>, with the stamp cache already loaded for the previous manifest.</summary>
    internal void UseStamps(string inputs, bool trust, long? clock, ScaffoldStamps stamps)
    {
        _inputs = inputs;
        _stamps = stamps;
        _trustStamps = trust;
        _sameInputs = trust && inputs.Length > 0 && string.Equals(inputs, _stamps.Inputs, StringComparison.Ordinal);
        _clock = clock;
    }

    /// <summary>
    /// The file at <paramref name="relativePath"/> prepared as unchanged without emitting or reading
    /// it, when that is certain: the previous scaffold had the same inputs, recorded its hash, and its
    /// stat still matches the stamp taken when it was last read. Null otherwise (emit and put it).
    /// Safe to call from several threads at once. The caller must not put the same path twice.
    /// </summary>
    internal PreparedFile? TryUnchanged(string relativePath, bool executable)
    {
        if (!_sameInputs || !_previous.Files.TryGetValue(relativePath, out string? hash) || StampStillMatches(relativePath) is not { } stamp)
        {
            return null;
        }

        Interlocked.Increment(ref _notRead);
        return new PreparedFile(new FileChange(relativePath, FileStatus.Unchanged, null, null), hash, executable, null, stamp, StampShortcut.NotEmitted);
    }

    // The previous stamp of the file when its stat still matches it (the file then holds its recorded hash).
    private Stamp? StampStillMatches(string relativePath)
    {
        if (!_trustStamps || _stamps!.StampOf(relativePath) is not { } recorded)
        {
            return null;
        }

        EnsureNoLinkedDirectory(relativePath);
        return FileStamp.Of(Absolute(relativePath)) == recorded ? recorded : null;
    }

    /// <summary>How many files were classified by their stamp, without reading them.</summary>
    public int NotRead => _notRead;

    /// <summary>Classifies <paramref name="relativePath"/> against the disk and the previous manifest.</summary>
    public FileChange Classify(string relativePath, string desired)
    {
        byte[]? bytes = DesiredBytes.Of(desired);
        return Classify(relativePath, desired, bytes, bytes is null ? ContentHash.Of(desired) : ContentHash.Of(bytes)).Change;
    }

    private (FileChange Change, Stamp? Stamp, bool ByStamp) Classify(string relativePath, string desired, byte[]? desiredBytes, string desiredHash)
    {
        EnsureNoLinkedDirectory(relativePath);
        string full = Absolute(relativePath);

        // Untouched since it was last read as its recorded hash, and that is still what is wanted: no
        // read. (A stamp is only ever of a regular file, so a link never matches one.)
        if (StampStillMatches(relativePath) is { } stamp
            && string.Equals(_previous.Files[relativePath], desiredHash, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _notRead);
            return (new FileChange(relativePath, FileStatus.Unchanged, desired, desired), stamp, true);
        }

        if (!ExistsRefusingLink(relativePath, full))
        {
            return (new FileChange(relativePath, FileStatus.Create, desired, null), null, false);
        }

        // The stat before and after the read: equal (and older than the clock), they describe the
        // content read, and become the file's stamp if that content is the wanted one.
        Stamp? before = _clock is { } clock ? FileStamp.Of(full, clock) : null;

        // Comparing bytes first spares decoding the file (most of a re-scaffold's reading cost); equal
        // bytes decode to exactly the wanted text (see DesiredBytes), so the outcome is the same.
        byte[] raw = GuardedFile.ReadCheckedPath(full, FileLimits.GeneratedFile);
        if (desiredBytes is not null && raw.AsSpan().SequenceEqual(desiredBytes))
        {
            return (new FileChange(relativePath, FileStatus.Unchanged, desired, desired), StampAfterRead(full, before), false);
        }

        string onDisk = DesiredBytes.DecodeAsReadAllText(raw);
        if (string.Equals(onDisk, desired, StringComparison.Ordinal))
        {
            // Equal text from other bytes (a byte-order mark): the hash recorded is of the wanted
            // text, not of the bytes on disk, so no stamp.
            return (new FileChange(relativePath, FileStatus.Unchanged, desired, onDisk), null, false);
        }

        bool wroteItLast = _previous.Files.TryGetValue(relativePath, out string? recorded)
            && string.Equals(recorded, ContentHash.Of(onDisk), StringComparison.Ordinal);
        return (new FileChange(relativePath, wroteItLast ? FileStatus.Changed : FileStatus.EditedByHand, desired, onDisk), null, false);
    }

    // File.Exists after refusing a link at the path: one statx where available (a readlink and a
    // stat, 140,000 calls in a 10,000-run scaffold, before), the two calls elsewhere.
    private bool ExistsRefusingLink(string relativePath, string full)
    {
        if (!UnixFileCalls.Available)
        {
            EnsureNoLink(relativePath);
            return File.Exists(full);
        }

        return UnixFileCalls.TypeOf(full) switch
        {
            UnixFileCalls.LinkType => throw LinkRefused(relativePath),
            null or UnixFileCalls.DirectoryType => false,
            _ => true,
        };
    }

    private Stamp? StampAfterRead(string full, Stamp? before) =>
        before is not null && FileStamp.Of(full, _clock) == before ? before : null;

    /// <summary>
    /// Puts one file: writes it when it is new or changed (or edited by hand and <see cref="Force"/> is
    /// set), and leaves it alone otherwise. Returns the classification and whether it was written.
    /// </summary>
    public FileOutcome Put(string relativePath, string desired, bool executable = false)
    {
        FileOutcome outcome = PutPrepared(Prepare(relativePath, desired, executable));
        FlushWrites();
        return outcome;
    }

    /// <summary>
    /// The read-only half of <see cref="Put(string, string, bool)"/>: classifies the file and hashes
    /// its wanted content. Safe to call from several threads at once; nothing is written or recorded.
    /// </summary>
    internal PreparedFile Prepare(string relativePath, string desired, bool executable)
    {
        byte[]? bytes = DesiredBytes.Of(desired);
        string hash = bytes is null ? ContentHash.Of(desired) : ContentHash.Of(bytes);
        (FileChange change, Stamp? stamp, bool byStamp) = Classify(relativePath, desired, bytes, hash);
        return new PreparedFile(change, hash, executable, bytes, stamp, byStamp ? StampShortcut.NotRead : StampShortcut.None);
    }

    /// <summary>
    /// The deciding half of <see cref="Put(string, string, bool)"/>, for a file prepared by
    /// <see cref="Prepare"/>; not thread-safe. A file to write is queued: it is on disk once
    /// <see cref="FlushWrites"/> has returned, which a scaffold calls before each action-log entry (so
    /// before a stage reads back its files, which happens after the entry of the stage that put them).
    /// </summary>
    internal FileOutcome PutPrepared(PreparedFile file)
    {
        if (_next.ContainsKey(file.Change.RelativePath))
        {
            // Put twice in one scaffold: the first put may have written the file since it was
            // prepared, so classify it again against what is on disk now, as a sequential put would.
            FlushWrites();
            file = Prepare(
                file.Change.RelativePath,
                file.Change.Desired ?? throw new InvalidOperationException(file.Change.RelativePath + " was prepared as unchanged without its content and put twice."),
                file.Executable);
        }

        FileChange change = file.Change;
        string relativePath = change.RelativePath;

        bool write = change.Status switch
        {
            FileStatus.Create or FileStatus.Changed => true,
            FileStatus.EditedByHand => Force,
            _ => false,
        };

        if (change.Status == FileStatus.EditedByHand && !Force)
        {
            // Keep the old record so the file keeps being recognised as edited by hand.
            // Its stamp is not kept: it described the recorded content, which the file no longer holds.
            if (_previous.Files.TryGetValue(relativePath, out string? old))
            {
                _next[relativePath] = old;
            }

            _nextStamps.Remove(relativePath);
            return new FileOutcome(change, Written: false, Refused: true);
        }

        if (write && !DryRun)
        {
            _pendingWrites.Add(file);
        }

        _next[relativePath] = file.DesiredHash;
        if (!write && change.Status == FileStatus.Unchanged && file.Stamp is { } stamp)
        {
            _nextStamps[relativePath] = stamp;
        }
        else
        {
            // Written now: its change time is this scaffold's, so it is read (and stamped) next time.
            _nextStamps.Remove(relativePath);
        }

        return new FileOutcome(change, write, Refused: false);
    }

    /// <summary>
    /// Writes every queued file, each atomically, on all cores: creating thousands of files is most
    /// of a first scaffold's time, and files in different run directories do not wait for each other.
    /// </summary>
    internal void FlushWrites()
    {
        if (_pendingWrites.Count == 0)
        {
            return;
        }

        PreparedFile[] writes = [.. _pendingWrites];
        _pendingWrites.Clear();
        _journal?.Announce(writes.Select(w => (w.Change.RelativePath, w.DesiredHash)));
        try
        {
            Parallel.ForEach(writes, Write);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The first failure as it was thrown (a full disk, a read-only directory), not a wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    private void Write(PreparedFile file)
    {
        // No fsync per file: the rename keeps each write atomic against a killed scaffold (what the
        // crash guarantee covers), and the flush was most of a 1,000-run scaffold's time. After a
        // power loss a file may come back empty; the next scaffold then sees content the manifest
        // does not record, keeps it as edited by hand and says so, and --force rewrites it.
        string path = Absolute(file.Change.RelativePath);
        if (file.DesiredBytes is { } bytes)
        {
            AtomicFile.WriteAllBytes(path, bytes, file.Executable, flushToDisk: false);
        }
        else
        {
            AtomicFile.WriteAllText(path, file.Change.Desired!, file.Executable, flushToDisk: false);
        }
    }

    /// <summary>Records a file that another program (an external setup command) wrote, by its content on disk.</summary>
    public void RecordWrittenByOthers(string relativePath)
    {
        string full = Absolute(relativePath);
        if (File.Exists(full))
        {
            _next[relativePath] = ContentHash.Of(GuardedFile.ReadCheckedPath(full, FileLimits.GeneratedFile));
            _nextStamps.Remove(relativePath);
        }
    }

    /// <summary>Keeps the previous scaffold's record of a file this scaffold leaves alone (a kept orphan).</summary>
    public void KeepPreviousRecord(string relativePath)
    {
        if (_previous.Files.TryGetValue(relativePath, out string? hash))
        {
            _next[relativePath] = hash;
            if (_stamps?.StampOf(relativePath) is { } stamp)
            {
                // Still true: a matching stat means the recorded hash.
                _nextStamps[relativePath] = stamp;
            }
        }
    }

    /// <summary>The manifest describing the files after this scaffold.</summary>
    public ScaffoldManifest NextManifest(string toolVersion, string planHash) => new()
    {
        ToolVersion = toolVersion,
        PlanHash = planHash,
        Files = new PathHashMap(_next),
    };

    /// <summary>Writes the manifest, only when it differs from the previous one (so a no-op re-scaffold touches nothing).</summary>
    public bool SaveManifest(ScaffoldManifest manifest)
    {
        FlushWrites();
        if (DryRun)
        {
            return false;
        }

        // A manifest reconciled from a journal differs from the file on disk even when it equals this one.
        bool save = !manifest.SameAs(_previous) || _previous.Reconciled;
        if (save)
        {
            AtomicFile.WriteAllBytes(Absolute(ScaffoldManifest.FileName), manifest.ToUtf8().WrittenSpan);
        }

        // The stamps are paired with the hashes the manifest now records (see ScaffoldStamps).
        _stamps?.SaveIfChanged(ExperimentDir, _inputs, _nextStamps, _next, _previous.Files, sameHashes: _next.SameAs(_previous.Files));
        _journal?.Complete();
        return save;
    }

    /// <summary>Closes the journal; left on disk when the manifest was not saved.</summary>
    public void Dispose() => _journal?.Dispose();

    /// <summary>
    /// Refuses a path that goes through a symbolic link: writing or deleting there would change a file
    /// outside the experiment directory.
    /// </summary>
    /// <exception cref="IOException">A component of the path is a link.</exception>
    public void EnsureNoLink(string relativePath)
    {
        EnsureNoLinkedDirectory(relativePath);
        if (SymbolicLinks.IsLink(Absolute(relativePath)))
        {
            throw LinkRefused(relativePath);
        }
    }

    // The directories of the path only: a stamp is taken without following the last component, so
    // a link there never matches one, and the file is then classified (and refused) as before.
    private void EnsureNoLinkedDirectory(string relativePath)
    {
        int slash = relativePath.LastIndexOf('/');
        string directory = slash < 0 ? "" : relativePath[..slash];
        if (directory.Length > 0 && !_checkedDirectories.ContainsKey(directory))
        {
            if (SymbolicLinks.FirstLinkOnPath(ExperimentDir, directory) is { } link)
            {
                throw LinkRefused(link);
            }

            _checkedDirectories[directory] = true;
        }
    }

    private IOException LinkRefused(string link) =>
        new($"{Absolute(link)} is a symbolic link; the scaffold only writes and deletes files inside {ExperimentDir}. Replace the link with a directory or file of its own.");

    /// <summary>Absolute path of a relative scaffold path.</summary>
    public string Absolute(string relativePath) => Path.Combine(ExperimentDir, relativePath);
}

/// <summary>What <see cref="ScaffoldFiles.Put"/> did with a file.</summary>
/// <param name="Change">Its classification.</param>
/// <param name="Written">Whether the file was (or, in a dry run, would be) written.</param>
/// <param name="Refused">Whether it was left alone because it was edited by hand.</param>
public sealed record FileOutcome(FileChange Change, bool Written, bool Refused);
