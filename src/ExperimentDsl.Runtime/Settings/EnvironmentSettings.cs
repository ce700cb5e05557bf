namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// Per-user, per-cluster settings that do not belong to an experiment: where checkpoints and models
/// live, how jobs activate their Python environment, and SLURM account details. Paths are absolute.
/// </summary>
public sealed record EnvironmentSettings
{
    /// <summary>Root of checkpoints: <c>{OutputRoot}/{experiment}/ck-out-{run}/</c>.</summary>
    public required string OutputRoot { get; init; }

    /// <summary>Directory holding one sub-directory per base model (canonical name).</summary>
    public required string ModelsDir { get; init; }

    /// <summary>Weights and Biases project name.</summary>
    public string WandbProject { get; init; } = "experimentdsl";

    /// <summary>Conda environment activated by every job (used when <see cref="Venv"/> is not set).</summary>
    public string? CondaEnv { get; init; } = "ttenv";

    /// <summary>A Python virtual environment directory activated instead of conda.</summary>
    public string? Venv { get; init; }

    /// <summary>Environment modules loaded by every job after <c>module purge</c>.</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];

    /// <summary>SLURM <c>--account</c>.</summary>
    public string? Account { get; init; }

    /// <summary>SLURM <c>--partition</c>.</summary>
    public string? Partition { get; init; }

    /// <summary>SLURM <c>--constraint</c>.</summary>
    public string? Constraint { get; init; }

    /// <summary>Mail user for job notifications; mail lines are written only when set.</summary>
    public string? MailUser { get; init; }

    /// <summary>Scratch directory (informational, from cruijff_kit's settings).</summary>
    public string? ScratchDir { get; init; }

    /// <summary>
    /// Whether jobs keep the Hugging Face libraries off the Hub (compute nodes often have no
    /// internet); <c>hf_offline: false</c> in the settings file lets them try it.
    /// </summary>
    public bool HubOffline { get; init; } = true;

    /// <summary>
    /// The cruijff_kit generation a <c>--setup-command</c> feeds. Not written to the recorded
    /// environment when it is the seed era, so that file stays as it was before the setting existed.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public CruijffKitVersion CruijffKitVersion { get; init; } = CruijffKitVersion.Seed;

    /// <summary>Resource overrides for fine-tune jobs.</summary>
    public ResourceOverrides Finetune { get; init; } = ResourceOverrides.None;

    /// <summary>Resource overrides for evaluation jobs.</summary>
    public ResourceOverrides Eval { get; init; } = ResourceOverrides.None;

    /// <summary>
    /// The built-in environment used when nothing is configured: everything under
    /// <paramref name="baseDirectory"/> (<c>outputs/</c>, <c>models/</c>), conda env <c>ttenv</c>.
    /// </summary>
    public static EnvironmentSettings DefaultUnder(string baseDirectory)
    {
        string root = Path.GetFullPath(baseDirectory);
        return new EnvironmentSettings
        {
            OutputRoot = Path.Combine(root, "outputs"),
            ModelsDir = Path.Combine(root, "models"),
        };
    }
}
