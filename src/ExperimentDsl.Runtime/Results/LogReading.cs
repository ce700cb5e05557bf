using ExperimentDsl.Runtime.Results.Logs;

namespace ExperimentDsl.Runtime.Results;

/// <summary>One log file and what reading it gave: the log, or why it could not be read.</summary>
/// <param name="File">The file, relative to the experiment directory.</param>
/// <param name="Log">The log, when it could be read.</param>
/// <param name="Error">Why it could not be read.</param>
public sealed record LogReading(string File, InspectLog? Log, string? Error)
{
    /// <summary>Reads every file of <paramref name="files"/> (relative to <paramref name="experimentDir"/>) in parallel, in input order.</summary>
    public static IReadOnlyList<LogReading> ReadAll(string experimentDir, IReadOnlyList<string> files)
    {
        var readings = new LogReading[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            string file = files[i];
            try
            {
                readings[i] = new LogReading(file, InspectLogReader.Read(Path.Combine(experimentDir, file), file), null);
            }
            catch (Exception e) when (e is LogReadException or IOException or UnauthorizedAccessException)
            {
                readings[i] = new LogReading(file, null, e.Message);
            }
        });
        return readings;
    }
}
