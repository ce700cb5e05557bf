namespace ExperimentDsl.Runtime.Results;

/// <summary>
/// One line of results.csv / results.json: a planned cell with one scorer's metric, or the cell alone
/// (scorer, metric and value empty) when it has no successful log.
/// </summary>
/// <param name="Run">The run's name (a control's directory name for a control, the name of an eval-only run).</param>
/// <param name="AxisValues">The run's value on each varying axis of the plan ("" for a control or an eval-only run).</param>
/// <param name="Task">The task.</param>
/// <param name="Epoch">The 0-indexed epoch; <see langword="null"/> for a control or an eval-only run.</param>
/// <param name="Status">The cell's status.</param>
/// <param name="Scorer">The score's name.</param>
/// <param name="Metric">The metric's name.</param>
/// <param name="Value">The metric's value.</param>
/// <param name="Stderr">The score's <c>stderr</c> metric, where the scorer reports one.</param>
/// <param name="Samples">Completed samples of the counted log.</param>
/// <param name="LogFile">The counted log, relative to the experiment directory.</param>
public sealed record ResultRow(
    string Run,
    IReadOnlyList<string> AxisValues,
    string Task,
    int? Epoch,
    CellStatus Status,
    string? Scorer,
    string? Metric,
    double? Value,
    double? Stderr,
    int? Samples,
    string? LogFile)
{
    /// <summary>Whether the row is of an eval-only run (a checkpoint trained elsewhere).</summary>
    public bool IsEvalOnly { get; init; }

    /// <summary>Whether the row is of a control (base model).</summary>
    public bool IsControl => Epoch is null && !IsEvalOnly;

    /// <summary>Whether the row is of a run this experiment fine-tunes.</summary>
    public bool IsFineTuned => Epoch is not null && !IsEvalOnly;

    /// <summary>The run's [VisLabel], or null.</summary>
    public string? VisLabel { get; init; }

    /// <summary>The name tables and plots show: the vis label when set, else <see cref="Run"/>.</summary>
    public string Label => VisLabel ?? Run;

    /// <summary>The kind as results files spell it: <c>fine-tuned</c>, <c>control</c> or <c>eval-only</c> (cruijff_kit's run types).</summary>
    public string Kind => IsEvalOnly ? "eval-only" : IsControl ? "control" : "fine-tuned";
}
