using System.Diagnostics;
using System.Text;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>
/// One Python process fed on stdin, in UTF-8 both ways whatever the machine's locale: how the tests
/// ask a real consumer (PyYAML, OmegaConf) what it makes of our files.
/// </summary>
internal static class PythonProcess
{
    /// <summary>Runs <paramref name="python"/> with <paramref name="arguments"/>, writes <paramref name="stdin"/>, waits for it.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The interpreter cannot be started.</exception>
    public static (int ExitCode, string Stdout, string Stderr) Run(
        string python, IEnumerable<string> arguments, string stdin, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment["PYTHONUTF8"] = "1";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
