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
internal sealed record PreparedFile(FileChange Change, string DesiredHash, bool Executable, byte[]? DesiredBytes);
