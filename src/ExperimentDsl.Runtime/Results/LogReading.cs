using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Results.Logs;

namespace ExperimentDsl.Runtime.Results;

/// <summary>One log file and what reading it gave: the log, or why it could not be read.</summary>
/// <param name="File">The file, relative to the experiment directory.</param>
/// <param name="Log">The log, when it could be read.</param>
/// <param name="Error">Why it could not be read.</param>
public sealed record LogReading(string File, InspectLog? Log, string? Error)
{
    /// <summary>
    /// Reads every file of <paramref name="files"/> (relative to <paramref name="experimentDir"/>) in
    /// parallel, in input order. The readers share one memory budget
    /// (<see cref="FileLimits.LogReadingBudget"/>), so more cores read faster but never hold more.
    /// </summary>
    public static IReadOnlyList<LogReading> ReadAll(string experimentDir, IReadOnlyList<string> files) =>
        ReadAll(experimentDir, files, new ByteBudget(FileLimits.LogReadingBudget));

    /// <summary>Reads as <see cref="ReadAll(string, IReadOnlyList{string})"/> within <paramref name="budget"/>.</summary>
    public static IReadOnlyList<LogReading> ReadAll(string experimentDir, IReadOnlyList<string> files, ByteBudget budget)
    {
        var readings = new LogReading[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            string file = files[i];
            try
            {
                readings[i] = new LogReading(file, InspectLogReader.Read(Path.Combine(experimentDir, file), file, experimentDir, budget), null);
            }
            catch (Exception e) when (e is LogReadException or IOException or UnauthorizedAccessException)
            {
                readings[i] = new LogReading(file, null, e.Message);
            }
        });
        return readings;
    }
}
