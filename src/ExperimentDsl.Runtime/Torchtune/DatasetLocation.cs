using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// A run's training dataset split the way cruijff_kit and the torchtune config address it: the
/// parent directory (with a trailing '/'), the file name without extension, and the extension.
/// </summary>
/// <param name="Directory">Absolute parent directory, ending with '/'.</param>
/// <param name="Label">File name without extension (<c>dataset_label</c>).</param>
/// <param name="Extension">The extension as written, <c>.json</c> or <c>.parquet</c> (any case).</param>
internal sealed record DatasetLocation(string Directory, string Label, string Extension)
{
    /// <summary>Whether the dataset is a parquet dataset (otherwise JSON).</summary>
    public bool IsParquet => Extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Resolves the run's dataset against the plan's base directory.</summary>
    /// <exception cref="ArgumentException">The dataset is not a <c>.json</c> or <c>.parquet</c> file.</exception>
    public static DatasetLocation Of(PlannedRun run, ExperimentLayout layout)
    {
        string path = layout.ResolveInput(run.Settings.Dataset);
        string extension = Path.GetExtension(path);
        if (!extension.Equals(".json", StringComparison.OrdinalIgnoreCase)
            && !extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"Run '{run.Name}': dataset '{run.Settings.Dataset}' must be a .json or .parquet file.", nameof(run));
        }

        string directory = Path.GetDirectoryName(path) ?? "/";
        if (!directory.EndsWith('/'))
        {
            directory += "/";
        }

        return new DatasetLocation(directory, Path.GetFileNameWithoutExtension(path), extension);
    }
}
