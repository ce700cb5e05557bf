namespace ExperimentDsl.Runtime.Slurm;

/// <summary>One batch script of the scaffold, as the submitter sees it.</summary>
/// <param name="Script">Path relative to the experiment directory, e.g. <c>r8/eval/cap_epoch0.slurm</c>.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Run">The run (or control) it belongs to.</param>
/// <param name="Label">Its name in the run logs: the run for a fine-tune, <c>{run}/{task}_epoch{N}</c> for an eval.</param>
/// <param name="DependsOn">The script whose job must complete first (an eval's fine-tune), or <see langword="null"/>.</param>
internal sealed record PlannedJob(string Script, SlurmJobKind Kind, string Run, string Label, string? DependsOn)
{
    /// <summary>The script's directory (relative), where sbatch runs.</summary>
    public string Directory => Script[..Script.LastIndexOf('/')];

    /// <summary>The script's file name.</summary>
    public string FileName => Script[(Script.LastIndexOf('/') + 1)..];
}
