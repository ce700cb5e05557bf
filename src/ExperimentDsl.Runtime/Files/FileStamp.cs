using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// What a stat says of a file the scaffold has read and found to hold exactly what the manifest
/// records (size, mode, inode, change and modification times to the nanosecond), so a later scaffold
/// can tell "untouched since" without reading it. The change time is the key: no program can set it
/// (<c>touch -d</c> and <c>cp -p</c> set the modification time, and thereby change the change time),
/// and any write, rename over the file or chmod moves it.
/// </summary>
/// <remarks>
/// A stamp is only taken from a file whose change time is strictly before the file-system clock read
/// at the start of the scaffold that read it (<see cref="ReadClock"/>): its content, read after that
/// moment, is then the content of that state, and any later change gets a later change time. A file
/// changed during the same clock tick (the racy case: a file the scaffold or someone else has just
/// written) gets no stamp and is read again next time. Stamps are Linux only; elsewhere every file is
/// read, as before.
/// </remarks>
internal static class FileStamp
{
    /// <summary>
    /// The stamp of <paramref name="path"/>, or null when it is not a regular file, cannot be stat'ed,
    /// or (with <paramref name="clock"/>) was changed at or after that clock reading.
    /// </summary>
    public static Stamp? Of(string path, long? clock = null)
    {
        if (UnixFileCalls.StatPath(path) is not { Regular: true } stat || (clock is { } before && stat.ChangedNs >= before))
        {
            return null;
        }

        return new Stamp(stat.Size, stat.Mode, stat.Inode, stat.ChangedNs, stat.ModifiedNs);
    }

    /// <summary>
    /// The file-system clock now: the change time of a file created for the purpose in
    /// <paramref name="directory"/> (and removed), so it is the clock the file system stamps files
    /// with, even on a network file system. Null when the directory does not exist or stamps are
    /// unavailable.
    /// </summary>
    public static long? ReadClock(string directory)
    {
        if (!UnixFileCalls.Available || !Directory.Exists(directory))
        {
            return null;
        }

        // The temporary-file form InterruptedWrites removes if a kill leaves it behind; CreateNew
        // never follows a link planted under the name.
        string probe = Path.Combine(directory, ".scaffold-clock." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
            }

            return UnixFileCalls.StatPath(probe)?.ChangedNs;
        }
        finally
        {
            File.Delete(probe);
        }
    }
}

/// <summary>One file's stat as a <see cref="FileStamp"/> records it; text: "size mode inode ctime mtime".</summary>
/// <remarks>
/// A class, not a struct: the maps of 70,000 stamps are then the framework's shared, pre-compiled
/// dictionary code; over a struct each process compiled its own at run time and ran it unoptimised
/// for most of an unchanged re-scaffold.
/// </remarks>
internal sealed record Stamp(long Size, int Mode, ulong Inode, long ChangedNs, long ModifiedNs)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Size} {Mode} {Inode} {ChangedNs} {ModifiedNs}");

    /// <summary>Reads the form <see cref="ToString"/> writes; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out Stamp? stamp)
    {
        stamp = null;
        Span<Range> parts = stackalloc Range[6];
        if (text.Split(parts, ' ') != 5)
        {
            return false;
        }

        const NumberStyles digits = NumberStyles.None;
        CultureInfo invariant = CultureInfo.InvariantCulture;
        if (!long.TryParse(text[parts[0]], digits, invariant, out long size) || !int.TryParse(text[parts[1]], digits, invariant, out int mode)
            || !ulong.TryParse(text[parts[2]], digits, invariant, out ulong inode) || !long.TryParse(text[parts[3]], digits, invariant, out long changed)
            || !long.TryParse(text[parts[4]], digits, invariant, out long modified))
        {
            return false;
        }

        stamp = new Stamp(size, mode, inode, changed, modified);
        return true;
    }
}
