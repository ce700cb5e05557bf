namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>How a scaffold runs.</summary>
public sealed record ScaffoldOptions
{
    /// <summary>Overwrite files that were edited by hand since the last scaffold.</summary>
    public bool Force { get; init; }

    /// <summary>Delete files of runs and evaluations that are no longer in the experiment.</summary>
    public bool Prune { get; init; }

    /// <summary>
    /// An external command (cruijff_kit's <c>python setup_finetune.py</c>) run in each run directory to
    /// produce finetune.yaml and finetune.slurm from setup_finetune.yaml, instead of the built-in emitters.
    /// </summary>
    public string? SetupCommand { get; init; }

    /// <summary>How long one run's setup command may take.</summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long to wait for another process that holds the experiment directory.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Read back and parse every file the scaffold validates, including those whose content is the
    /// built-in emitters' own output (written this scaffold or found byte-identical on disk), and
    /// ignore the recorded file stamps. Without it those files are proven by the emitters' contract
    /// tests and only what could differ is checked: kept hand edits, a setup command's output, modes.
    /// </summary>
    public bool Verify { get; init; }

    /// <summary>Called as runs and evaluations are processed: (stage, done, total).</summary>
    public Action<string, int, int>? Progress { get; init; }
}
