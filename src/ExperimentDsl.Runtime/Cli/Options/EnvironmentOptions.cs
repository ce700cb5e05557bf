using System.ComponentModel;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>
/// The environment a scaffold writes into the scripts: paths, Python environment, SLURM placement and
/// resources. <c>scaffold</c> and <c>plan</c> use them; the verbs after a scaffold use the environment
/// recorded in the experiment directory and take these only to refuse one that contradicts it (their
/// help does not list them).
/// </summary>
public class EnvironmentOptions : ExperimentOptions
{
    /// <summary>A settings file.</summary>
    [CommandOption("--settings <FILE>")]
    [Description("Settings file (default: ./experimentdsl.settings.yaml when present, then ./claude.local.md)")]
    public string? SettingsFile { get; init; }

    /// <summary>Checkpoint root.</summary>
    [CommandOption("--output-root <DIR>")]
    [Description("Root of checkpoints: <DIR>/<experiment>/ck-out-<run>/ (default: ./outputs)")]
    public string? OutputRoot { get; init; }

    /// <summary>Models directory.</summary>
    [CommandOption("--models-dir <DIR>")]
    [Description("Directory with one sub-directory per base model (default: ./models)")]
    public string? ModelsDir { get; init; }

    /// <summary>W&amp;B project.</summary>
    [CommandOption("--wandb-project <NAME>")]
    [Description("Weights & Biases project (default: experimentdsl)")]
    public string? WandbProject { get; init; }

    /// <summary>Conda environment.</summary>
    [CommandOption("--conda-env <NAME>")]
    [Description("Conda environment activated by every job (default: ttenv)")]
    public string? CondaEnv { get; init; }

    /// <summary>Virtual environment.</summary>
    [CommandOption("--venv <DIR>")]
    [Description("Python virtual environment activated instead of conda")]
    public string? Venv { get; init; }

    /// <summary>Modules.</summary>
    [CommandOption("--module <MODULE>")]
    [Description("Environment module loaded by every job (repeat for several)")]
    public string[]? Modules { get; init; }

    /// <summary>SLURM account.</summary>
    [CommandOption("--account <ACCOUNT>")]
    [Description("SLURM --account")]
    public string? Account { get; init; }

    /// <summary>SLURM partition.</summary>
    [CommandOption("--partition <PARTITION>")]
    [Description("SLURM --partition")]
    public string? Partition { get; init; }

    /// <summary>SLURM constraint.</summary>
    [CommandOption("--constraint <CONSTRAINT>")]
    [Description("SLURM --constraint")]
    public string? Constraint { get; init; }

    /// <summary>Mail user.</summary>
    [CommandOption("--mail-user <EMAIL>")]
    [Description("Send SLURM job mail to this address")]
    public string? MailUser { get; init; }

    /// <summary>cruijff_kit generation.</summary>
    [CommandOption("--cruijff-kit-version <VERSION>")]
    [Description("The cruijff_kit generation whose setup_finetune.py --setup-command runs: seed (default) or 0.3.4; picks the setup_finetune.yaml dialect")]
    public string? CruijffKitVersion { get; init; }

    /// <summary>Fine-tune memory.</summary>
    [CommandOption("--mem <MEM>")]
    [Description("--mem of fine-tune jobs, overriding the model's default (e.g. 4G)")]
    public string? Memory { get; init; }

    /// <summary>Fine-tune CPUs.</summary>
    [CommandOption("--cpus-per-task <N>")]
    [Description("--cpus-per-task of fine-tune jobs")]
    public string? Cpus { get; init; }

    /// <summary>Fine-tune time.</summary>
    [CommandOption("--time <TIME>")]
    [Description("--time of fine-tune jobs (e.g. 01:00:00)")]
    public string? Time { get; init; }

    /// <summary>Eval memory.</summary>
    [CommandOption("--eval-mem <MEM>")]
    [Description("--mem of evaluation jobs")]
    public string? EvalMemory { get; init; }

    /// <summary>Eval CPUs.</summary>
    [CommandOption("--eval-cpus-per-task <N>")]
    [Description("--cpus-per-task of evaluation jobs")]
    public string? EvalCpus { get; init; }

    /// <summary>Eval time.</summary>
    [CommandOption("--eval-time <TIME>")]
    [Description("--time of evaluation jobs (e.g. 0:30:00)")]
    public string? EvalTime { get; init; }
}
