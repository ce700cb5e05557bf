namespace ExperimentDsl;

/// <summary>
/// One evaluation: a fine-tuned run at an epoch, a control (base model), or an eval-only run (an
/// existing checkpoint), on a task.
/// </summary>
/// <param name="RunName">The fine-tuned run's, control's or eval-only run's name.</param>
/// <param name="TaskName">The task's name.</param>
/// <param name="Epoch">The 0-indexed epoch of a fine-tuned run; <see langword="null"/> for a control or an eval-only run.</param>
public sealed record EvalCell(string RunName, string TaskName, int? Epoch)
{
    /// <summary>Whether this evaluates an eval-only run's existing checkpoint (no training in this experiment).</summary>
    public bool IsEvalOnly { get; init; }

    /// <summary>Whether this evaluates a control (base model).</summary>
    public bool IsControl => Epoch is null && !IsEvalOnly;

    /// <summary>
    /// The label plots and cruijff_kit's tools show for this cell (cruijff_kit's <c>vis_label</c>);
    /// <see langword="null"/> means the run's name.
    /// </summary>
    public string? VisLabel { get; init; }
}
