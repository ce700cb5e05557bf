using System.Text;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// Writes files so that a reader (or a killed process) never sees half of one: the content goes to a
/// temporary file in the same directory, then is renamed over the target. Flushing to disk before the
/// rename is the caller's choice (see <see cref="WriteAllBytes"/>).
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="content"/> (UTF-8, no BOM).</summary>
    /// <param name="path">Target path; its directory is created if missing.</param>
    /// <param name="content">The text.</param>
    /// <param name="executable">Whether the file is executable: on Unix mode 777 (otherwise 666) less the umask, as any file a program creates.</param>
    /// <param name="flushToDisk">Whether the content is forced to the disk before the rename (see <see cref="WriteAllBytes"/>).</param>
    public static void WriteAllText(string path, string content, bool executable = false, bool flushToDisk = true) =>
        WriteAllBytes(path, Utf8NoBom.GetBytes(content), executable, flushToDisk);

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    /// <param name="path">Target path; its directory is created if missing.</param>
    /// <param name="bytes">The content.</param>
    /// <param name="executable">Whether the file is executable: on Unix mode 777 (otherwise 666) less the umask, as any file a program creates.</param>
    /// <param name="flushToDisk">
    /// Whether the content is forced to the disk (fsync) before the rename. Without it the write is
    /// still atomic for every reader and against a killed process, because the rename is what makes
    /// the file appear and the kernel has the content by then; only a power loss or kernel crash
    /// could leave an empty or old file behind. The flush costs a disk round trip per file, which
    /// dominated a 7,000-file scaffold, so regenerable output skips it and records that cannot be
    /// rebuilt (manifest, submission state) keep it.
    /// </param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool executable = false, bool flushToDisk = true)
    {
        string full = IsNormalizedFullPath(path) ? path : Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        string fileName = Path.GetFileName(full);
        if (UnixFileWrites.Available)
        {
            WriteThroughCalls(full, directory, fileName, bytes, executable, flushToDisk);
            return;
        }

        string temp = Path.Combine(directory, TemporaryName(fileName));
        try
        {
            using (FileStream stream = CreateNew(temp, directory, executable))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    // The same steps as the FileStream path (a new temporary file, the whole content, the rename),
    // four system calls in all (see UnixFileWrites). A name another process already holds is not
    // overwritten (O_EXCL): the next name is tried.
    private static void WriteThroughCalls(string full, string directory, string fileName, ReadOnlySpan<byte> bytes, bool executable, bool flushToDisk)
    {
        int mode = executable ? ModeExecutable : ModeRegular;
        string temp;
        UnixFileWrites.Created created;
        int attempts = 0;
        do
        {
            temp = directory + Path.DirectorySeparatorChar + TemporaryName(fileName);
            created = UnixFileWrites.CreateExclusive(temp, mode);
            if (created.DirectoryMissing)
            {
                Directory.CreateDirectory(directory);
                created = UnixFileWrites.CreateExclusive(temp, mode);
            }
        }
        while (created.NameTaken && ++attempts < 16);

        if (created.Descriptor < 0)
        {
            throw UnixFileWrites.Failure(created.Errno, temp);
        }

        try
        {
            UnixFileWrites.WriteAndClose(created.Descriptor, bytes, flushToDisk, temp);
            UnixFileWrites.Rename(temp, full);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    // A rooted path without "." or ".." components or doubled separators is what GetFullPath would
    // return unchanged; the scaffold's paths (its directory, made full once, and generated names) are.
    // A NUL goes to GetFullPath, which refuses it: the system calls would cut the path there.
    private static bool IsNormalizedFullPath(string path) =>
        !OperatingSystem.IsWindows()
        && path.StartsWith('/')
        && !path.Contains('\0', StringComparison.Ordinal)
        && !path.Contains("//", StringComparison.Ordinal)
        && !path.Contains("/.", StringComparison.Ordinal)
        && !path.EndsWith('/');

    // ".{name}.{32 hex}.tmp", the form InterruptedWrites removes. The name is cut so that a file name
    // near the system's limit (255 bytes) still gets a temporary name within it. The 32 hex digits
    // are a random number drawn once per process and a counter: unique within the process, not
    // guessable from outside it, and without a read of the random device per file (a Guid's).
    internal static string TemporaryName(string fileName)
    {
        ulong sequence = (ulong)Interlocked.Increment(ref _temporarySequence);
        return string.Create(
            null,
            stackalloc char[MaxNameInTemporary + 38],
            $".{(fileName.Length > MaxNameInTemporary ? fileName.AsSpan(0, MaxNameInTemporary) : fileName.AsSpan())}.{ProcessRandom:x16}{sequence:x16}.tmp");
    }

    private static readonly ulong ProcessRandom = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    private static long _temporarySequence;

    private const int MaxNameInTemporary = 48;

    // The directory almost always exists (the scaffold creates run directories first): creating the
    // file straight away spares a stat per file, and a missing directory is created on the one miss.
    // The mode is given to open(2), which takes the umask off it: a researcher whose umask keeps
    // files private (077) or shares them with the group (002) gets files that do so.
    private static FileStream CreateNew(string temp, string directory, bool executable)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = executable ? CreateModeExecutable : CreateModeRegular;
        }

        try
        {
            return new FileStream(temp, options);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(directory);
            return new FileStream(temp, options);
        }
    }

    // 666 and 777 for open(2), which takes the umask off them.
    private const int ModeRegular = 0x1B6;

    private const int ModeExecutable = 0x1FF;

    // 777 and 666: what the umask is taken from.
    private const UnixFileMode CreateModeRegular =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private const UnixFileMode CreateModeExecutable =
        CreateModeRegular | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
