using System.Diagnostics;
using System.Globalization;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// An exclusive lock on an experiment directory, so two scaffolds (or a scaffold and a submit) never
/// interleave their writes. It is an OS file lock on <c>.experimentdsl.lock</c>: the kernel releases it
/// when the holder dies, so a lock left by a killed process is simply taken by the next one.
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string FileName = ".experimentdsl.lock";

    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>
    /// Takes the lock, waiting up to <paramref name="timeout"/> for another holder to finish.
    /// </summary>
    /// <exception cref="DirectoryLockedException">Another process still holds it after the timeout.</exception>
    public static DirectoryLock Acquire(string experimentDir, TimeSpan timeout, string purpose)
    {
        Directory.CreateDirectory(experimentDir);
        string path = Path.Combine(experimentDir, FileName);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None makes .NET take an advisory flock on Unix; a second opener fails at once.
                // Nothing is written into the file: a no-op re-scaffold must not change any mtime.
                return new DirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && !IsHeldByAnother(e))
            {
                // Not a lock held by someone: the file cannot be opened at all (a read-only mount, no
                // permission). Waiting would not help, and blaming another process would mislead.
                throw new IOException($"Cannot create or open the lock file {path}: {e.Message}. The experiment directory must be writable.", e);
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                Thread.Sleep(100);
            }
            catch (IOException e)
            {
                throw new DirectoryLockedException(
                    $"{experimentDir} is in use by another ExperimentDsl process (a scaffold or submit; this one wanted to {purpose}); waited {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s. " +
                    "Wait for it to finish, or raise --lock-timeout.", e);
            }
        }
    }

    // .NET reports a lock held elsewhere as an IOException carrying the errno of flock's EWOULDBLOCK
    // (a sharing violation on Windows); any other failure (EROFS, EACCES, EISDIR) is not the lock.
    private static bool IsHeldByAnother(Exception e) =>
        e is IOException && e.GetType() == typeof(IOException) && e.HResult == (OperatingSystem.IsWindows() ? unchecked((int)0x80070020) : OperatingSystem.IsMacOS() ? 35 : 11);

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}

/// <summary>The experiment directory is locked by another process.</summary>
public sealed class DirectoryLockedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DirectoryLockedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
