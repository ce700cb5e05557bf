namespace ExperimentDsl.Runtime.Results.Logs;

/// <summary>
/// Finds the inspect logs of an experiment: every <c>.eval</c> and <c>.json</c> file under a run's
/// <c>eval/logs/</c> (where the eval scripts point <c>--log-dir</c>), in ordinal path order.
/// </summary>
public static class EvalLogFinder
{
    // inspect keeps an index of a log directory in logs.json; it is not a log.
    private const string LogDirectoryIndex = "logs.json";

    /// <summary>The log files under <paramref name="experimentDir"/>, relative to it with '/' separators.</summary>
    public static IReadOnlyList<string> Find(string experimentDir)
    {
        var found = new List<string>();
        foreach (string runDir in Directory.EnumerateDirectories(experimentDir))
        {
            string logs = Path.Combine(runDir, "eval", "logs");
            if (!Directory.Exists(logs))
            {
                continue;
            }

            foreach (string path in Directory.EnumerateFiles(logs, "*", SearchOption.AllDirectories))
            {
                string name = Path.GetFileName(path);
                if (InspectLogReader.IsLogFileName(name) && name != LogDirectoryIndex && !name.StartsWith('.'))
                {
                    found.Add(Path.GetRelativePath(experimentDir, path).Replace('\\', '/'));
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }
}
