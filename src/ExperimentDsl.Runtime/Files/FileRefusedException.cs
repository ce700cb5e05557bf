namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// A file the tool will not read or write: reached through a symbolic link that leaves the experiment
/// directory, not a regular file (a FIFO, a device, a directory), or larger than its size cap. The
/// message names the path, what is wrong and what to do.
/// </summary>
public sealed class FileRefusedException(string message) : Exception(message);
