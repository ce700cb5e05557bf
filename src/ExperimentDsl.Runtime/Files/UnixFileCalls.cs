using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The Linux calls .NET does not offer: <c>open(2)</c> with <c>O_NOFOLLOW | O_NONBLOCK</c> (a link
/// as the last component fails instead of being followed; a FIFO opens at once instead of waiting for
/// a writer) and <c>statx(2)</c> on the opened descriptor (whether it is a regular file, and its size)
/// or on a path (the change time and inode, for <see cref="FileStamp"/>).
/// statx is used rather than fstat because its layout is the same on every architecture and glibc
/// exports it (2.28 and later), while glibc before 2.33 exports no fstat symbol at all.
/// </summary>
internal static class UnixFileCalls
{
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const int StatxBufferSize = 256;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;
    private const int InodeOffset = 32;
    private const int CtimeOffset = 96;
    private const int MtimeOffset = 112;
    private const uint StatxMode = 0x2;
    private const uint StatxMtime = 0x40;
    private const uint StatxCtime = 0x80;
    private const uint StatxIno = 0x100;
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int FileTypeMask = 0xF000;
    private const int RegularFileType = 0x8000;

    /// <summary>Whether these calls are available (Linux); elsewhere callers fall back to checks by path.</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux();

    /// <summary>What an open gave: the handle, or why there is none.</summary>
    public readonly record struct Opened(SafeFileHandle? Handle, OpenFailure Failure, int Errno);

    /// <summary>Why an open failed.</summary>
    public enum OpenFailure
    {
        /// <summary>It did not.</summary>
        None,

        /// <summary>The last component is a symbolic link (ELOOP under O_NOFOLLOW).</summary>
        Link,

        /// <summary>A FIFO without a reader, opened for writing (ENXIO under O_NONBLOCK).</summary>
        NoReader,

        /// <summary>Another error; see the errno.</summary>
        Other,
    }

    /// <summary>Opens <paramref name="path"/> for reading, never following a final link and never waiting.</summary>
    public static Opened OpenForReading(string path) => Open(path, LinuxAbi.ReadOnly | LinuxAbi.NoFollow | LinuxAbi.NonBlocking | LinuxAbi.CloseOnExec, 0);

    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it with mode 666 less the umask, never
    /// following a final link and never waiting.
    /// </summary>
    public static Opened OpenForAppending(string path) =>
        Open(path, LinuxAbi.WriteOnly | LinuxAbi.Create | LinuxAbi.Append | LinuxAbi.NoFollow | LinuxAbi.NonBlocking | LinuxAbi.CloseOnExec, Convert.ToInt32("666", 8));

    /// <summary>Whether the open descriptor is a regular file, and its size.</summary>
    public static (bool Regular, long Size) Describe(SafeFileHandle handle)
    {
        var buffer = new byte[StatxBufferSize];
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxType | StatxSize, buffer) != 0)
            {
                throw new IOException("statx failed with errno " + Marshal.GetLastPInvokeError().ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        int mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(ModeOffset));
        long size = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(SizeOffset));
        return ((mode & FileTypeMask) == RegularFileType, size);
    }

    /// <summary>
    /// The type bits of <paramref name="path"/> itself (a final link is not followed), from one
    /// <c>statx(2)</c>: <see cref="TypeOf"/> and its constants; null when it cannot be stat'ed (missing,
    /// not allowed, or not Linux).
    /// </summary>
    public static int? TypeOf(string path)
    {
        if (!Available)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[StatxBufferSize];
        return statxSpan(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0
            ? null
            : BinaryPrimitives.ReadUInt16LittleEndian(buffer[ModeOffset..]) & FileTypeMask;
    }

    /// <summary>The type bits of a symbolic link (see <see cref="TypeOf"/>).</summary>
    public const int LinkType = 0xA000;

    /// <summary>The type bits of a directory (see <see cref="TypeOf"/>).</summary>
    public const int DirectoryType = 0x4000;

    /// <summary>
    /// What <c>statx(2)</c> says of <paramref name="path"/> itself (a final link is not followed):
    /// whether it is a regular file, its mode bits, inode, size and change and modification times in
    /// nanoseconds; null when it cannot be stat'ed (missing, or not Linux).
    /// </summary>
    public static (bool Regular, int Mode, ulong Inode, long Size, long ChangedNs, long ModifiedNs)? StatPath(string path)
    {
        if (!Available)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[StatxBufferSize];
        if (statxSpan(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxType | StatxMode | StatxMtime | StatxCtime | StatxIno | StatxSize, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }

        int mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[ModeOffset..]);
        return (
            (mode & FileTypeMask) == RegularFileType,
            mode & 0xFFF,
            BinaryPrimitives.ReadUInt64LittleEndian(buffer[InodeOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(buffer[SizeOffset..]),
            Nanoseconds(buffer[CtimeOffset..]),
            Nanoseconds(buffer[MtimeOffset..]));
    }

    // A statx_timestamp: seconds (int64) then nanoseconds (uint32).
    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
        (BinaryPrimitives.ReadInt64LittleEndian(timestamp) * 1_000_000_000L) + BinaryPrimitives.ReadUInt32LittleEndian(timestamp[8..]);

    private static Opened Open(string path, int flags, int mode)
    {
        int fd = open(path, flags, mode);
        if (fd >= 0)
        {
            return new Opened(new SafeFileHandle(fd, ownsHandle: true), OpenFailure.None, 0);
        }

        int errno = Marshal.GetLastPInvokeError();
        return new Opened(null, errno switch { LinuxAbi.Eloop => OpenFailure.Link, LinuxAbi.Enxio => OpenFailure.NoReader, _ => OpenFailure.Other }, errno);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int statxSpan(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref byte buffer);
}
