using System.ComponentModel;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>Options of <c>scaffold</c>.</summary>
public sealed class ScaffoldVerbOptions : EnvironmentOptions
{
    /// <summary>Overwrite hand-edited files.</summary>
    [CommandOption("--force")]
    [Description("Overwrite files edited by hand since the last scaffold (each is logged)")]
    public bool Force { get; init; }

    /// <summary>Delete orphans.</summary>
    [CommandOption("--prune")]
    [Description("Delete files of runs and evaluations no longer in the experiment")]
    public bool Prune { get; init; }

    /// <summary>Read back and check every file in full.</summary>
    [CommandOption("--verify")]
    [Description("Read back and parse every file the scaffold validates, and ignore the recorded file stamps. By default a file the built-in emitters wrote (or found byte-identical) is not parsed back, and a file whose stamp (size, times, inode) is unchanged is not read; hand edits, setup-command output and changed stamps are always read")]
    public bool Verify { get; init; }

    /// <summary>Classify only.</summary>
    [CommandOption("--dry-run")]
    [Description("Show what would be written (like 'plan') and write nothing")]
    public bool DryRun { get; init; }

    /// <summary>External setup command.</summary>
    [CommandOption("--setup-command <COMMAND>")]
    [Description("Run this command (e.g. 'python /path/setup_finetune.py') in each run directory to produce finetune.yaml and finetune.slurm instead of the built-in emitters")]
    public string? SetupCommand { get; init; }

    /// <summary>Setup command timeout.</summary>
    [CommandOption("--setup-timeout <SECONDS>")]
    [Description("Timeout of the setup command per run, in seconds (default 120)")]
    [DefaultValue(120)]
    public int SetupTimeoutSeconds { get; init; } = 120;

    /// <summary>Lock timeout.</summary>
    [CommandOption("--lock-timeout <SECONDS>")]
    [Description("How long to wait for another scaffold or submit of the same directory (default 30)")]
    [DefaultValue(30)]
    public int LockTimeoutSeconds { get; init; } = 30;

    /// <inheritdoc />
    public override Spectre.Console.ValidationResult Validate()
    {
        if (SetupTimeoutSeconds <= 0 || LockTimeoutSeconds < 0)
        {
            return Spectre.Console.ValidationResult.Error("--setup-timeout must be positive and --lock-timeout not negative.");
        }

        return base.Validate();
    }
}
