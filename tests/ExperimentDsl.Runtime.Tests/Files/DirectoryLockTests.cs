using System.Diagnostics;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Files;

public sealed class DirectoryLockTests
{
    [Fact]
    public void Second_holder_waits_then_gets_a_clear_message()
    {
        using var dir = new TempDirectory();
        using DirectoryLock first = DirectoryLock.Acquire(dir.Path, TimeSpan.Zero, "scaffold");

        var e = Assert.Throws<DirectoryLockedException>(() => DirectoryLock.Acquire(dir.Path, TimeSpan.FromMilliseconds(300), "submit"));

        Assert.Contains("in use by another ExperimentDsl process", e.Message, StringComparison.Ordinal);
        Assert.Contains("--lock-timeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lock_is_free_again_after_release()
    {
        using var dir = new TempDirectory();
        DirectoryLock.Acquire(dir.Path, TimeSpan.Zero, "scaffold").Dispose();

        using DirectoryLock again = DirectoryLock.Acquire(dir.Path, TimeSpan.Zero, "scaffold");
    }

    [Fact]
    public void Lock_of_a_killed_process_is_taken()
    {
        using var dir = new TempDirectory();
        string lockFile = Path.Combine(dir.Path, DirectoryLock.FileName);
        // flock(1) takes the same kind of lock .NET takes for FileShare.None; the holder is then killed.
        using var holder = Process.Start(new ProcessStartInfo("bash", ["-c", $"exec 9>>'{lockFile}'; flock -x 9; echo locked; sleep 60"])
        {
            RedirectStandardOutput = true,
        })!;
        Assert.Equal("locked", holder.StandardOutput.ReadLine());
        Assert.Throws<DirectoryLockedException>(() => DirectoryLock.Acquire(dir.Path, TimeSpan.FromMilliseconds(200), "scaffold"));

        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();

        using DirectoryLock taken = DirectoryLock.Acquire(dir.Path, TimeSpan.FromSeconds(5), "scaffold");
    }
}
