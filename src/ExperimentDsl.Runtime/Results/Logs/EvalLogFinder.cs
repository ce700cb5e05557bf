using ExperimentDsl.Runtime.Files;

namespace ExperimentDsl.Runtime.Results.Logs;

/// <summary>
/// Finds the inspect logs of an experiment: every <c>.eval</c> and <c>.json</c> file under a run's
/// <c>eval/logs/</c> (where the eval scripts point <c>--log-dir</c>), in ordinal path order. A run or
/// log directory that is a symbolic link leading out of the experiment directory is not searched.
/// </summary>
public static class EvalLogFinder
{
    // inspect keeps an index of a log directory in logs.json; it is not a log.
    private const string LogDirectoryIndex = "logs.json";

    /// <summary>The log files under <paramref name="experimentDir"/>, relative to it with '/' separators.</summary>
    public static IReadOnlyList<string> Find(string experimentDir) => Find(experimentDir, []);

    /// <summary>
    /// The log files under <paramref name="experimentDir"/>; each log directory reached through a link
    /// out of the experiment is added to <paramref name="notSearched"/> with the reason instead.
    /// </summary>
    public static IReadOnlyList<string> Find(string experimentDir, ICollection<string> notSearched)
    {
        var found = new List<string>();
        foreach (string runDir in Directory.EnumerateDirectories(experimentDir).Order(StringComparer.Ordinal))
        {
            string logs = Path.Combine(runDir, "eval", "logs");
            try
            {
                GuardedFile.ResolveInside(logs, experimentDir);
            }
            catch (FileRefusedException e)
            {
                notSearched.Add(e.Message);
                continue;
            }

            if (!Directory.Exists(logs))
            {
                continue;
            }

            // Recursion does not enter linked sub-directories; a linked file is listed and refused when read.
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
