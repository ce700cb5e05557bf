using System.Collections.Generic;

namespace ExperimentDsl.Generators.TaskScripts;

/// <summary>
/// Paths compared without touching the file system (analyzers must not): <c>/</c> separators and
/// <c>.</c>/<c>..</c> segments resolved, so <c>lab/../tasks/a.py</c> and the AdditionalFile's full
/// path of <c>tasks/a.py</c> compare equal.
/// </summary>
internal static class ScriptPath
{
    /// <summary>The script's full path as the scaffold resolves it: relative to the declaring file's directory.</summary>
    public static string Resolve(string baseDirectory, string script)
    {
        string path = script.Replace('\\', '/');
        bool rooted = path.StartsWith("/", System.StringComparison.Ordinal) || (path.Length > 1 && path[1] == ':');
        return Normalize(rooted ? path : baseDirectory.TrimEnd('/') + "/" + path);
    }

    public static string Normalize(string path)
    {
        string slashed = path.Replace('\\', '/');
        var segments = new List<string>();
        foreach (string segment in slashed.Split('/'))
        {
            if (segment == "." || (segment.Length == 0 && segments.Count > 0))
            {
                continue;
            }

            if (segment == ".." && segments.Count > 1)
            {
                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return string.Join("/", segments);
    }
}
