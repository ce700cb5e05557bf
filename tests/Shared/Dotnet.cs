using System.Diagnostics;

namespace ExperimentDsl.Tests.Shared;

/// <summary>Runs the <c>dotnet</c> CLI as a user would, with a timeout and captured output.</summary>
internal static class Dotnet
{
    /// <param name="Command">The command line, for messages.</param>
    /// <param name="ExitCode">Its exit code.</param>
    /// <param name="Output">Standard output, then standard error.</param>
    /// <param name="StandardOutput">Standard output alone (for output a test parses).</param>
    public sealed record Result(string Command, int ExitCode, string Output, string StandardOutput)
    {
        public Result ShouldSucceed()
        {
            Assert.True(ExitCode == 0, $"'{Command}' exited with {ExitCode}:\n{Output}");
            return this;
        }
    }

    public static Result Run(string workingDirectory, TimeSpan timeout, params string[] args) =>
        Run(workingDirectory, timeout, new Dictionary<string, string>(), args);

    /// <summary>Runs with extra environment variables, e.g. an isolated <c>NUGET_PACKAGES</c>.</summary>
    public static Result Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // 'dotnet test' runs us with MSBuild's variables set for its own build; a nested
        // 'dotnet build' must not inherit them (they point at the outer build's SDK resolution).
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["NO_COLOR"] = "1";
        // No MSBuild nodes left running after the test.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string command = "dotnet " + string.Join(" ", args);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command}' did not finish in {timeout}.");
        }

        process.WaitForExit();
        return new Result(command, process.ExitCode, stdout.Result + stderr.Result, stdout.Result);
    }
}
