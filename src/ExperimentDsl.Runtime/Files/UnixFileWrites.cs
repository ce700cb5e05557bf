using System.Runtime.InteropServices;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The four calls an atomic write needs on Linux, made directly: <c>open(2)</c> with
/// <c>O_CREAT | O_EXCL</c>, <c>write(2)</c>, <c>close(2)</c> and <c>rename(2)</c> (with <c>fsync(2)</c>
/// when asked). A <see cref="FileStream"/> adds an advisory lock and its release, a seek, a 4 KB
/// buffer and the copy into it; <see cref="File.Move(string, string, bool)"/> adds an lstat; a
/// <see cref="Guid"/> for the temporary name a read of the random device: nine calls and two
/// allocations per file where four calls do, 350,000 calls in a 10,000-run scaffold.
/// </summary>
internal static class UnixFileWrites
{
    /// <summary>
    /// Whether these calls are used: Linux on x64 or arm64, whose flag values are those of <see cref="LinuxAbi"/>.
    /// Elsewhere <see cref="AtomicFile"/> writes through a <see cref="FileStream"/>.
    /// </summary>
    public static bool Available { get; } =
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>What creating a file gave: its descriptor, or the errno.</summary>
    public readonly record struct Created(int Descriptor, int Errno)
    {
        /// <summary>The file exists already (<c>EEXIST</c>): another name is to be tried.</summary>
        public bool NameTaken => Descriptor < 0 && Errno == LinuxAbi.Eexist;

        /// <summary>The directory is missing (<c>ENOENT</c>).</summary>
        public bool DirectoryMissing => Descriptor < 0 && Errno == LinuxAbi.Enoent;
    }

    /// <summary>Creates <paramref name="path"/>, which must not exist (not even as a link), with <paramref name="mode"/> less the umask.</summary>
    public static Created CreateExclusive(string path, int mode)
    {
        int fd;
        do
        {
            fd = open(path, LinuxAbi.WriteOnly | LinuxAbi.Create | LinuxAbi.Exclusive | LinuxAbi.CloseOnExec, mode);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == LinuxAbi.Eintr);

        return new Created(fd, fd < 0 ? Marshal.GetLastPInvokeError() : 0);
    }

    /// <summary>Writes all of <paramref name="bytes"/> to <paramref name="descriptor"/>, optionally forces them to the disk, and closes it.</summary>
    /// <exception cref="IOException">A write, the flush or the close failed (a full disk, a quota).</exception>
    public static void WriteAndClose(int descriptor, ReadOnlySpan<byte> bytes, bool flushToDisk, string path)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                nint written = write(descriptor, ref MemoryMarshal.GetReference(bytes), (nuint)bytes.Length);
                if (written < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == LinuxAbi.Eintr)
                    {
                        continue;
                    }

                    throw Failure(errno, path);
                }

                bytes = bytes[(int)written..];
            }

            if (flushToDisk && fsync(descriptor) != 0)
            {
                throw Failure(Marshal.GetLastPInvokeError(), path);
            }
        }
        catch
        {
            close(descriptor);
            throw;
        }

        // A close can report a delayed write error (NFS); the file is then not whole.
        if (close(descriptor) != 0 && Marshal.GetLastPInvokeError() is var closeErrno and not LinuxAbi.Eintr)
        {
            throw Failure(closeErrno, path);
        }
    }

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> (atomic within one file system).</summary>
    public static void Rename(string from, string to)
    {
        if (rename(from, to) != 0)
        {
            throw Failure(Marshal.GetLastPInvokeError(), to);
        }
    }

    /// <summary>
    /// The exception .NET's own file calls throw for <paramref name="errno"/>: the command line reports
    /// <see cref="IOException"/> and <see cref="UnauthorizedAccessException"/> as a stop part-way.
    /// </summary>
    public static Exception Failure(int errno, string path) => errno switch
    {
        LinuxAbi.Eacces or LinuxAbi.Eperm => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
        LinuxAbi.Enoent => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
        LinuxAbi.Enametoolong => new PathTooLongException($"The path '{path}' is too long, or a component of the specified path is too long."),
        _ => new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'", errno),
    };

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, ref byte buffer, nuint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);
}
