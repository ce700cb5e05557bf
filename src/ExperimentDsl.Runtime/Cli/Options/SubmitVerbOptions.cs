using System.ComponentModel;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>Options of <c>submit</c>.</summary>
public sealed class SubmitVerbOptions : EnvironmentOptions
{
    /// <summary>Runs to submit.</summary>
    [CommandOption("--runs <NAME>")]
    [Description("Submit only these runs (or controls); repeat for several (default: all)")]
    public string[]? Runs { get; init; }

    /// <summary>Kinds to submit.</summary>
    [CommandOption("--only <KIND>")]
    [Description("Submit only 'finetune' or only 'eval' jobs (default: both)")]
    public string? Only { get; init; }

    /// <summary>Queue cap.</summary>
    [CommandOption("--max-queued <N>")]
    [Description("At most N of this experiment's jobs queued or running at once; waits for room (default 25, 0 = no cap)")]
    [DefaultValue(25)]
    public int MaxQueued { get; init; } = 25;

    /// <summary>Stagger.</summary>
    [CommandOption("--stagger <SECONDS>")]
    [Description("Pause between two submissions, in seconds (default 5)")]
    [DefaultValue(5.0)]
    public double StaggerSeconds { get; init; } = 5;

    /// <summary>Poll interval.</summary>
    [CommandOption("--poll <SECONDS>")]
    [Description("How often squeue is polled while waiting for room in the queue, and how often --watch refreshes (default 30)")]
    [DefaultValue(30.0)]
    public double PollSeconds { get; init; } = 30;

    /// <summary>Dry run.</summary>
    [CommandOption("--dry-run")]
    [Description("Print the exact sbatch command lines and submit nothing")]
    public bool DryRun { get; init; }

    /// <summary>Watch.</summary>
    [CommandOption("--watch")]
    [Description("Submit under the cap, then stay until every job has ended: refresh states as 'status' does, keep the queue fed, re-submit a fine-tune that ran out of memory (smaller batch, same effective batch; --max-oom-retries) or timed out (--max-timeout-retries; it resumes from its last complete epoch), print a line per state count and per event. SIGINT, SIGTERM or a file named .detach in the experiment directory detach it (exit 0, jobs keep running); run it again to re-attach. --poll sets how often it refreshes")]
    public bool Watch { get; init; }

    /// <summary>Time-out retries.</summary>
    [CommandOption("--max-timeout-retries <N>")]
    [Description("With --watch: how many times a fine-tune that hit its time limit is re-submitted; each resumes from its last complete epoch (default 1)")]
    [DefaultValue(1)]
    public int MaxTimeoutRetries { get; init; } = 1;

    /// <summary>Re-submit failures.</summary>
    [CommandOption("--retry-failed")]
    [Description("Refresh the jobs' states, then submit again every job that ended without success (FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED, ...) and the evals of a re-submitted fine-tune; earlier job ids stay in slurm-state.json. A fine-tune resumes from its last complete epoch")]
    public bool RetryFailed { get; init; }

    /// <summary>Out-of-memory retries.</summary>
    [CommandOption("--max-oom-retries <N>")]
    [Description("With --retry-failed or --watch: a fine-tune that ran out of memory (OUT_OF_MEMORY, or FAILED with CUDA's out-of-memory error in its output) is re-submitted with batch_size halved and gradient_accumulation_steps doubled, keeping the effective batch, at most N times and down to batch size 1 (default 3)")]
    [DefaultValue(3)]
    public int MaxOomRetries { get; init; } = 3;

    /// <summary>Lock timeout.</summary>
    [CommandOption("--lock-timeout <SECONDS>")]
    [Description("How long to wait for another scaffold or submit of the same directory (default 30)")]
    [DefaultValue(30)]
    public int LockTimeoutSeconds { get; init; } = 30;

    /// <inheritdoc />
    public override Spectre.Console.ValidationResult Validate()
    {
        if (Only is not null and not "finetune" and not "eval")
        {
            return Spectre.Console.ValidationResult.Error($"--only takes 'finetune' or 'eval', not '{Only}'.");
        }

        if (Watch && (DryRun || RetryFailed))
        {
            return Spectre.Console.ValidationResult.Error("--watch cannot be combined with --dry-run or --retry-failed (the watcher applies its own retry rules).");
        }

        if (MaxTimeoutRetries < 0)
        {
            return Spectre.Console.ValidationResult.Error($"--max-timeout-retries must not be negative, not {MaxTimeoutRetries}.");
        }

        if (MaxOomRetries < 0)
        {
            return Spectre.Console.ValidationResult.Error($"--max-oom-retries must not be negative, not {MaxOomRetries}.");
        }

        if (StaggerSeconds < 0 || PollSeconds <= 0 || MaxQueued < 0)
        {
            return Spectre.Console.ValidationResult.Error("--stagger must not be negative, --poll must be positive and --max-queued not negative.");
        }

        return base.Validate();
    }
}
