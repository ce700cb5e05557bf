namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// Rewrites some scaffolded files outside a scaffold (an out-of-memory retry changes a run's batch
/// size) through the scaffold's own machinery: a file edited by hand since the scaffold wrote it is
/// refused, writes are atomic and journalled, and the manifest then records the new content, so the
/// next scaffold recognises the file as its own. Every other record of the manifest is kept as it was.
/// The caller holds the experiment's directory lock.
/// </summary>
internal static class ScaffoldedFileUpdate
{
    /// <summary>
    /// Writes every file of <paramref name="files"/> (paths relative to the experiment directory), or
    /// none of them when one was edited by hand.
    /// </summary>
    /// <returns>The files refused because they were edited by hand; empty when everything was written.</returns>
    public static IReadOnlyList<string> Put(string experimentDir, IReadOnlyList<(string Path, string Text)> files)
    {
        ScaffoldManifest previous = ScaffoldManifest.Load(experimentDir);
        using var scaffold = new ScaffoldFiles(experimentDir, previous, force: false, dryRun: false);
        string[] refused = [.. files.Where(f => scaffold.Classify(f.Path, f.Text).Status == FileStatus.EditedByHand).Select(f => f.Path)];
        if (refused.Length > 0)
        {
            return refused;
        }

        foreach (string path in previous.Files.Keys)
        {
            scaffold.KeepPreviousRecord(path);
        }

        foreach ((string path, string text) in files)
        {
            scaffold.Put(path, text);
        }

        scaffold.SaveManifest(scaffold.NextManifest(previous.ToolVersion, previous.PlanHash));
        return [];
    }
}
