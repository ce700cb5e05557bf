using System.Diagnostics;
using System.Globalization;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// Runs a user's setup command (cruijff_kit's <c>python setup_finetune.py</c>) in one run directory
/// through bash, with a timeout; its output is kept for the action log.
/// </summary>
internal sealed class ExternalSetupCommand(string command, TimeSpan timeout)
{
    public sealed record Outcome(bool Succeeded, string? Failure, IReadOnlyList<string> LogLines);

    public Outcome RunIn(string runDirectory)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = runDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new Outcome(false, "could not start bash: " + e.Message, []);
        }

        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Outcome(false, $"timed out after {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", Lines("stderr", stderr.Result));
        }

        var lines = new List<string>();
        lines.AddRange(Lines("stdout", stdout.Result));
        lines.AddRange(Lines("stderr", stderr.Result));
        return process.ExitCode == 0
            ? new Outcome(true, null, lines)
            : new Outcome(false, $"exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}" + LastLine(stderr.Result), lines);
    }

    private static List<string> Lines(string stream, string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(20).Select(l => stream + ": " + l)];

    private static string LastLine(string text)
    {
        string? last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return last is null ? "" : ": " + last;
    }
}
