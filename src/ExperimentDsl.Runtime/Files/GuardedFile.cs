using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The one way the runtime opens the files of an experiment (action logs, slurm-state.json,
/// scaffold-environment.json, inspect logs, results) and the plan and settings files named on the
/// command line. It refuses, with a <see cref="FileRefusedException"/> naming the path:
/// <list type="bullet">
/// <item>a path that reaches through a symbolic link leaving the experiment directory (a link that
/// stays inside is followed);</item>
/// <item>anything but a regular file: a FIFO is never waited on, a device never read;</item>
/// <item>a file above the size cap of its kind (<see cref="FileLimits"/>), reading no more than the cap.</item>
/// </list>
/// </summary>
/// <remarks>
/// What is guaranteed, and where races remain: on Linux the last component is opened with
/// <c>O_NOFOLLOW | O_NONBLOCK</c> and checked with <c>statx</c> on the open descriptor, so a link or
/// FIFO swapped in at the last moment fails the open or is refused after it, and no open or read
/// blocks. The directories on the way are resolved and checked just before the open; a directory
/// replaced by a link between that check and the open (by someone who can write to the experiment
/// directory while the tool runs) is not detected. Elsewhere than Linux only the checks by path are made.
/// </remarks>
public static class GuardedFile
{
    private const int MaxLinkHops = 40;
    private const int NoSuchFile = 2;

    /// <summary>Whether something (a file, a link, a FIFO) is at <paramref name="path"/>, without following a link.</summary>
    public static bool Exists(string path) => File.Exists(path) || SymbolicLinks.IsLink(path);

    /// <summary>The bytes of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="within">The experiment directory it must not leave through a link; <see langword="null"/> for a file named on the command line.</param>
    /// <param name="maxBytes">Its kind's size cap.</param>
    /// <exception cref="FileRefusedException">A link out of <paramref name="within"/>, not a regular file, or above the cap.</exception>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    public static byte[] ReadAllBytes(string path, string? within, long maxBytes)
    {
        using FileStream stream = OpenRead(path, within, maxBytes);
        return ReadBounded(stream, path, maxBytes);
    }

    /// <summary>The text of <paramref name="path"/> as UTF-8 (a byte-order mark is dropped); see <see cref="ReadAllBytes"/>.</summary>
    public static string ReadAllText(string path, string? within, long maxBytes) => Utf8Text(ReadAllBytes(path, within, maxBytes));

    /// <summary>The text of <paramref name="path"/> as UTF-8; see <see cref="ReadCheckedPath"/>.</summary>
    public static string ReadCheckedPathText(string path, long maxBytes) => Utf8Text(ReadCheckedPath(path, maxBytes));

    private static string Utf8Text(byte[] bytes)
    {
        ReadOnlySpan<byte> text = bytes.AsSpan();
        return Encoding.UTF8.GetString(text.StartsWith(Encoding.UTF8.Preamble) ? text[Encoding.UTF8.Preamble.Length..] : text);
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading after the checks of <see cref="ReadAllBytes"/>; the size
    /// cap is checked against the size when opened (a caller reading a part of it reads no more).
    /// </summary>
    public static FileStream OpenRead(string path, string? within, long maxBytes) =>
        OpenLastComponent(within is null ? RealPath(path) : ResolveInside(path, within), path, maxBytes);

    /// <summary>
    /// The bytes of <paramref name="path"/>, whose directories the caller has already checked for links
    /// (the scaffold checks every path it touches): only the last component is guarded, at the cost of
    /// a plain read. A link, FIFO, device or file above <paramref name="maxBytes"/> is refused.
    /// </summary>
    public static byte[] ReadCheckedPath(string path, long maxBytes)
    {
        using FileStream stream = OpenLastComponent(path, path, maxBytes);
        return ReadBounded(stream, path, maxBytes);
    }

    private static FileStream OpenLastComponent(string target, string path, long maxBytes)
    {
        if (!UnixFileCalls.Available)
        {
            RefuseIfNotRegular(path, new FileInfo(target));
            var fallback = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            RefuseIfTooLarge(path, fallback.Length, maxBytes);
            return fallback;
        }

        UnixFileCalls.Opened opened = UnixFileCalls.OpenForReading(target);
        SafeFileHandle handle = Checked(opened, path);
        return AsStream(handle, path, maxBytes, FileAccess.Read);
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it (mode 666 less the umask) and its
    /// directories when missing. Refuses a link out of <paramref name="within"/> anywhere on the path
    /// and anything but a regular file.
    /// </summary>
    public static FileStream OpenAppend(string path, string within)
    {
        EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!, within);
        string target = ResolveInside(path, within);
        if (!UnixFileCalls.Available)
        {
            if (File.Exists(target))
            {
                RefuseIfNotRegular(path, new FileInfo(target));
            }

            return new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }

        UnixFileCalls.Opened opened = UnixFileCalls.OpenForAppending(target);
        if (opened.Failure == UnixFileCalls.OpenFailure.NoReader)
        {
            throw NotRegular(path);
        }

        return AsStream(Checked(opened, path), path, long.MaxValue, FileAccess.Write);
    }

    /// <summary>
    /// Creates <paramref name="directory"/> (and its parents) under <paramref name="within"/>, or
    /// checks the existing one: no link on the way may leave <paramref name="within"/>, and the
    /// directory itself (unless it is <paramref name="within"/>) must not be a link at all, so that
    /// what is written into it stays where the experiment is.
    /// </summary>
    public static void EnsureDirectory(string directory, string within)
    {
        string full = Path.GetFullPath(directory);
        if (!SamePath(full, Path.GetFullPath(within)) && SymbolicLinks.IsLink(full))
        {
            throw new FileRefusedException(
                $"{directory} is a symbolic link; the tool writes only into real directories of the experiment. Remove the link (a new directory is created in its place).");
        }

        Directory.CreateDirectory(ResolveInside(directory, within));
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link resolved, checked to stay inside
    /// <paramref name="within"/> (whose own links are resolved first: an experiment directory may itself
    /// live behind a link). The last component, if it does not exist yet, is kept as it is.
    /// </summary>
    /// <exception cref="FileRefusedException">A link on the way leads outside <paramref name="within"/>.</exception>
    public static string ResolveInside(string path, string within)
    {
        string root = RealPath(within);
        string full = Path.GetFullPath(path);
        string relative = Path.GetRelativePath(Path.GetFullPath(within), full);
        if (relative == ".")
        {
            return root;
        }

        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new FileRefusedException($"{path} is outside the experiment directory {within}; the tool reads and writes only inside it.");
        }

        string current = root;
        foreach (string part in relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            if (SymbolicLinks.IsLink(next))
            {
                int hops = 0;
                string resolved = RealPath(next, ref hops);
                if (!IsUnder(resolved, root))
                {
                    throw new FileRefusedException(
                        $"{path} is reached through the symbolic link {next}, which leads to {resolved}, outside the experiment directory {within}; " +
                        "the tool neither reads nor writes through it. Put the file itself in the experiment directory instead of the link.");
                }

                next = resolved;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Reads <paramref name="stream"/> to its end, refusing it as soon as it passes <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadBounded(Stream stream, string path, long maxBytes)
    {
        // The size found when opened is almost always the size read: one buffer of it, no copy.
        long announced = stream.CanSeek ? stream.Length - stream.Position : 0;
        if (announced > maxBytes)
        {
            throw TooLarge(path, maxBytes);
        }

        var buffer = new byte[announced];
        int count = Fill(stream, buffer, 0);
        if (count < buffer.Length)
        {
            return buffer[..count];
        }

        // Longer than announced (growing, or a stream without a length): read on, in doubling steps, to the cap.
        var probe = new byte[1];
        if (stream.Read(probe, 0, 1) == 0)
        {
            return buffer;
        }

        var grown = new byte[(int)Math.Min(Math.Max(4096, buffer.Length * 2L), Math.Min(maxBytes + 1, Array.MaxLength))];
        buffer.CopyTo(grown, 0);
        grown[count++] = probe[0];
        while (true)
        {
            count = Fill(stream, grown, count);
            if (count < grown.Length)
            {
                return grown[..count];
            }

            if (count > maxBytes || grown.Length == Array.MaxLength)
            {
                throw TooLarge(path, maxBytes);
            }

            Array.Resize(ref grown, (int)Math.Min(Math.Min(grown.Length * 2L, maxBytes + 1), Array.MaxLength));
        }
    }

    private static int Fill(Stream stream, byte[] buffer, int count)
    {
        int read;
        while (count < buffer.Length && (read = stream.Read(buffer, count, buffer.Length - count)) > 0)
        {
            count += read;
        }

        return count;
    }

    private static SafeFileHandle Checked(UnixFileCalls.Opened opened, string path) => opened.Failure switch
    {
        UnixFileCalls.OpenFailure.None => opened.Handle!,
        UnixFileCalls.OpenFailure.Link => throw new FileRefusedException(
            $"{path} became a symbolic link while it was being opened; the tool does not follow it. Replace the link with the file itself."),
        _ when opened.Errno == NoSuchFile => throw new FileNotFoundException($"{path} does not exist.", path),
        _ => throw new IOException($"{path} cannot be opened (errno {opened.Errno.ToString(CultureInfo.InvariantCulture)})."),
    };

    private static FileStream AsStream(SafeFileHandle handle, string path, long maxBytes, FileAccess access)
    {
        try
        {
            (bool regular, long size) = UnixFileCalls.Describe(handle);
            if (!regular)
            {
                throw NotRegular(path);
            }

            RefuseIfTooLarge(path, size, maxBytes);
            return new FileStream(handle, access, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void RefuseIfNotRegular(string path, FileInfo info)
    {
        if (!info.Exists && !Directory.Exists(info.FullName))
        {
            throw new FileNotFoundException($"{path} does not exist.", path);
        }

        if (info.Attributes.HasFlag(FileAttributes.Directory) || info.Attributes.HasFlag(FileAttributes.Device))
        {
            throw NotRegular(path);
        }
    }

    private static void RefuseIfTooLarge(string path, long size, long maxBytes)
    {
        if (size > maxBytes)
        {
            throw TooLarge(path, maxBytes);
        }
    }

    private static FileRefusedException NotRegular(string path) =>
        new($"{path} is not a regular file (a FIFO, a device or a directory); the tool reads and writes only regular files. Remove it or put a regular file in its place.");

    private static FileRefusedException TooLarge(string path, long maxBytes) =>
        new($"{path} is larger than {(maxBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB, the most the tool reads of a file of this kind (docs/FILES.md); it was not read.");

    private static string RealPath(string path)
    {
        int hops = 0;
        return RealPath(path, ref hops);
    }

    // The path with every link resolved, component by component (a link's target may hold links too).
    private static string RealPath(string path, ref int hops)
    {
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        foreach (string part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new FileRefusedException($"{path} goes through more than {MaxLinkHops.ToString(CultureInfo.InvariantCulture)} symbolic links (a loop?); it was not opened.");
                }

                next = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), ref hops);
            }

            current = next;
        }

        return current;
    }

    private static bool IsUnder(string path, string root) =>
        SamePath(path, root) || path.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), StringComparison.Ordinal);
}
