using ExperimentDsl.Runtime.Files;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>What a scaffold did: counts for the summary table and the failures that decide the exit code.</summary>
public sealed class ScaffoldReport
{
    /// <summary>The experiment directory.</summary>
    public required string ExperimentDir { get; init; }

    /// <summary>Fine-tuned runs in the plan.</summary>
    public int Runs { get; set; }

    /// <summary>Evaluations in the plan.</summary>
    public int Evaluations { get; set; }

    /// <summary>Evaluations whose scripts were generated and validated.</summary>
    public int EvaluationsReady { get; set; }

    /// <summary>Failures, each naming the run, evaluation or file and the reason.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Every file the scaffold classified: its path and status (the contents are not kept).</summary>
    public List<FileChange> Files { get; } = [];

    /// <summary>Files found unchanged by their recorded stamp (.scaffold-stamps), without reading them.</summary>
    public int NotRead { get; set; }

    /// <summary>Files of runs no longer in the experiment (kept unless pruned).</summary>
    public List<FileChange> Orphans { get; } = [];

    /// <summary>Orphans deleted by --prune.</summary>
    public List<string> Pruned { get; } = [];

    /// <summary>Runs whose files were generated and validated.</summary>
    public HashSet<string> FailedRuns { get; } = new(StringComparer.Ordinal);

    /// <summary>Number of files with the given status.</summary>
    public int Count(FileStatus status) => Files.Count(f => f.Status == status);

    /// <summary>0 when everything succeeded, 1 when some run, evaluation or file failed.</summary>
    public int ExitCode => Failures.Count == 0 ? 0 : 1;
}
