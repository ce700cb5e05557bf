using System.Globalization;
using System.Text;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>
/// The file an unexpected exception is written to, so the terminal gets one line and the maintainers
/// get the command line, the version and the full exception.
/// </summary>
internal static class BugReport
{
    /// <summary>Writes the report into the temp directory and returns its path (or a note when even that fails).</summary>
    public static string Write(string[] args, Exception exception)
    {
        string path = Path.Combine(
            Path.GetTempPath(),
            $"experimentdsl-bug-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}.log");
        var text = new StringBuilder()
            .Append("ExperimentDsl ").Append(Scaffold.Scaffolder.ToolVersion).Append('\n')
            .Append("Command line: ").Append(string.Join(' ', args.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"))).Append('\n')
            .Append("Working directory: ").Append(Directory.GetCurrentDirectory()).Append('\n')
            .Append('\n').Append(exception).Append('\n');
        try
        {
            File.WriteAllText(path, text.ToString());
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(could not write {path}: {e.Message})";
        }
    }
}
