using System.Diagnostics;
using System.Reflection;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>
/// Runs the standalone command line (src/ExperimentDsl.Cli, built before these tests) as a child
/// process: for what an in-process run cannot show, a stack overflow or the process's umask.
/// </summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F2} s\n{Output}\n{Error}";
    }

    private static string Configuration { get; } =
        typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Dll { get; } = Path.Combine(RepoPaths.Root, "src", "ExperimentDsl.Cli", "bin", Configuration, "net10.0", "ExperimentDsl.Cli.dll");

    /// <summary>Runs <c>dotnet ExperimentDsl.Cli.dll args</c>, through <c>sh -c 'umask …; exec …'</c> when a umask is given.</summary>
    public static Result Run(string workingDirectory, string? umask, params string[] args)
    {
        var start = new ProcessStartInfo(umask is null ? "dotnet" : "sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (umask is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("umask " + umask + "; exec dotnet \"$@\"");
            start.ArgumentList.Add("sh");
        }

        start.ArgumentList.Add(Dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"experimentdsl {string.Join(" ", args)} did not finish in 2 minutes.");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }
}
