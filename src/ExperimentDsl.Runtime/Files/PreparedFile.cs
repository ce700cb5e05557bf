namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// A file classified ahead of being put: its classification and the manifest hash of its wanted
/// content. Preparing only reads, so many files can be prepared at once on all cores while the
/// puts (the writes, the manifest, the log) stay sequential and in order.
/// </summary>
/// <param name="Change">The classification against the disk and the previous manifest.</param>
/// <param name="DesiredHash">The hash the manifest records for the wanted content.</param>
/// <param name="Executable">Whether the file gets mode 755 when written.</param>
/// <param name="DesiredBytes">The wanted content as the bytes written, when <see cref="Files.DesiredBytes.Of"/> gives them.</param>
/// <param name="Stamp">The <see cref="FileStamp"/> that shows the file on disk holds <paramref name="DesiredHash"/>, when there is one.</param>
/// <param name="Shortcut">What its stamp spared: nothing, reading the file, or emitting and reading it.</param>
internal sealed record PreparedFile(FileChange Change, string DesiredHash, bool Executable, byte[]? DesiredBytes, Stamp? Stamp = null, StampShortcut Shortcut = StampShortcut.None);

/// <summary>What a matching <see cref="FileStamp"/> spared in preparing a file.</summary>
internal enum StampShortcut
{
    /// <summary>Nothing: the file was read (or is new).</summary>
    None,

    /// <summary>Reading it: emitted, and its hash equals the one the stamp vouches for.</summary>
    NotRead,

    /// <summary>Emitting and reading it: same inputs as the last scaffold, and the stamp matches.</summary>
    NotEmitted,
}
