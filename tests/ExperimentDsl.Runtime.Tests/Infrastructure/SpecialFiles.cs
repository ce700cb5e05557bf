using System.Diagnostics;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>Files .NET cannot create: FIFOs (mkfifo(1)).</summary>
internal static class SpecialFiles
{
    public static void Fifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "mkfifo " + path + ": " + process.StandardError.ReadToEnd());
    }

    /// <summary>
    /// Runs <paramref name="action"/> with a deadline: an open that blocks (on a FIFO) fails the test
    /// instead of hanging the run. The blocked thread is left behind; the test host ends it.
    /// </summary>
    public static T WithinSeconds<T>(int seconds, Func<T> action)
    {
        Task<T> task = Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(task.Wait(TimeSpan.FromSeconds(seconds)), $"did not finish within {seconds} s (blocked on a FIFO?)");
        return task.Result;
    }

    /// <summary>The mode a file the tool creates gets: 777 or 666 less the umask.</summary>
    public static UnixFileMode CreatedMode(bool executable) =>
        (UnixFileMode)Convert.ToInt32(executable ? "777" : "666", 8) & ~Umask();

    /// <summary>The process's umask, from /proc/self/status.</summary>
    public static UnixFileMode Umask() =>
        (UnixFileMode)Convert.ToInt32(File.ReadLines("/proc/self/status").Single(l => l.StartsWith("Umask:", StringComparison.Ordinal))["Umask:".Length..].Trim(), 8);
}
