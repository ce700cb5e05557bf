using System.Diagnostics;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>
/// Runs real bash and shellcheck on generated scripts. bash is always present; shellcheck is
/// optional, and tests that need it skip (not pass) when it is missing.
/// </summary>
internal static class ShellTools
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static string? ShellcheckPath { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "shellcheck"))
            .FirstOrDefault(File.Exists);

    /// <summary>Skips the calling <c>[SkippableFact]</c> when shellcheck is not installed.</summary>
    public static void RequireShellcheck() =>
        Skip.If(ShellcheckPath is null, "shellcheck is not installed");

    /// <summary>The syntax errors <c>bash -n</c> reports for <paramref name="scriptText"/>; empty when there are none.</summary>
    public static string BashSyntaxErrors(string scriptText) =>
        WithTempScript(scriptText, path =>
        {
            Result result = Run("bash", ["-n", path]);
            return result.ExitCode == 0 && result.Stderr.Length == 0 ? "" : $"exit {result.ExitCode}: {result.Stderr}";
        });

    /// <summary>shellcheck's findings (every severity, gcc format) for <paramref name="scriptText"/>; empty when clean.</summary>
    public static string ShellcheckFindings(string scriptText) =>
        WithTempScript(scriptText, path =>
        {
            Result result = Run(ShellcheckPath ?? throw new InvalidOperationException("shellcheck is not installed"), ["-s", "bash", "-f", "gcc", path]);
            return result.ExitCode == 0 && result.Stdout.Length == 0 ? "" : $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}";
        });

    /// <summary>Runs <paramref name="program"/> with exactly <paramref name="arguments"/> as argv and waits.</summary>
    public static Result Run(
        string program,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            // A clean environment: no exported shell functions (module) or BASH_ENV leak into the script.
            start.Environment.Clear();
            foreach ((string key, string value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within 60 s");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string WithTempScript(string scriptText, Func<string, string> check)
    {
        string path = Path.Combine(Path.GetTempPath(), $"exd-script-{Guid.NewGuid():N}.slurm");
        File.WriteAllText(path, scriptText);
        try
        {
            return check(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
