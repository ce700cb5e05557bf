namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The largest file of each kind the tool reads (docs/FILES.md lists them). Each is far above what a
/// real file of that kind holds, and low enough that a hostile or mistaken file (a 100 MB system
/// prompt, a log that inflates to gigabytes) is refused with a message instead of taking the
/// machine's memory. A file above its cap is an input error.
/// </summary>
public static class FileLimits
{
    private const long MiB = 1024 * 1024;

    /// <summary>A plan (experiment_summary.md or .yaml): a 10,000-run plan is under 3 MiB.</summary>
    public const long Plan = 16 * MiB;

    /// <summary>A settings file (experimentdsl.yaml, --settings, .claude/settings.local.json).</summary>
    public const long Settings = 1 * MiB;

    /// <summary>A base model's tokenizer_config.json, read by preflight for its chat template (a few KiB; some carry added tokens).</summary>
    public const long TokenizerConfig = 16 * MiB;

    /// <summary>scaffold-environment.json.</summary>
    public const long RecordedEnvironment = 1 * MiB;

    /// <summary>slurm-state.json: a few hundred bytes per job.</summary>
    public const long SlurmState = 64 * MiB;

    /// <summary>The scaffold manifest and its journal: about a hundred bytes per file.</summary>
    public const long Manifest = 64 * MiB;

    /// <summary>A file the scaffold writes and reads back to compare (configs, scripts, the summaries).</summary>
    public const long GeneratedFile = 64 * MiB;

    /// <summary>An inspect-ai <c>.json</c> log, which holds every sample.</summary>
    public const long InspectJsonLog = 256 * MiB;

    /// <summary>One member of an inspect-ai <c>.eval</c> log, inflated (the header or start record: no samples).</summary>
    public const long InspectEvalMember = 64 * MiB;

    /// <summary>What the parallel reading of logs may hold at once, whatever the number of cores.</summary>
    public const long LogReadingBudget = 512 * MiB;
}
