namespace ExperimentDsl;

/// <summary>
/// Everything the scaffold needs to know about one experiment, as plain data: produced by the
/// source generator from a C# experiment, or read from an <c>experiment_summary.md</c>.
/// </summary>
public sealed record ExperimentPlan
{
    /// <summary>The experiment's name (its directory name).</summary>
    public required string Name { get; init; }

    /// <summary>Where the plan came from, e.g. <c>C# record Lab.CapSweep</c> or a summary file's path.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// Directory that relative dataset and task-script paths are resolved against (the experiment's
    /// source directory, or the summary file's); <see langword="null"/> means the working directory.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>The run-name pattern, e.g. <c>{Model}_r{LoraRank}_lr{LearningRate}</c>.</summary>
    public required string RunNamePattern { get; init; }

    /// <summary>The axes whose value differs between runs, in declaration order.</summary>
    public required IReadOnlyList<string> VaryingAxes { get; init; }

    /// <summary>The fine-tuned runs in deterministic order (first axis outermost).</summary>
    public required IReadOnlyList<PlannedRun> Runs { get; init; }

    /// <summary>The controls (base-model runs).</summary>
    public IReadOnlyList<ControlRun> Controls { get; init; } = [];

    /// <summary>The eval-only runs: existing checkpoints evaluated without training.</summary>
    public IReadOnlyList<EvalOnlyRun> EvalOnlyRuns { get; init; } = [];

    /// <summary>How evaluations generate (temperature, sampling, seed, token and connection caps).</summary>
    public EvaluationSettings Evaluation { get; init; } = EvaluationSettings.Default;

    /// <summary>The evaluation tasks.</summary>
    public IReadOnlyList<EvalTaskSpec> Tasks { get; init; } = [];

    /// <summary>The evaluation matrix: run x task x epoch, then control x task, then eval-only run x task.</summary>
    public IReadOnlyList<EvalCell> Evaluations { get; init; } = [];

    /// <summary>
    /// The Weights and Biases project the plan names (cruijff_kit's <c>output.wandb_project</c>);
    /// <see langword="null"/>: the environment's. A <c>--wandb-project</c> option still wins.
    /// </summary>
    public string? WandbProject { get; init; }
}
