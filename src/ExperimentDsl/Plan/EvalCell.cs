namespace ExperimentDsl;

/// <summary>One evaluation: a run (or control) on a task, at an epoch for fine-tuned runs.</summary>
/// <param name="RunName">The fine-tuned run's name, or the control's name.</param>
/// <param name="TaskName">The task's name.</param>
/// <param name="Epoch">The 0-indexed epoch, or <see langword="null"/> for a control.</param>
public sealed record EvalCell(string RunName, string TaskName, int? Epoch)
{
    /// <summary>Whether this evaluates a control (base model).</summary>
    public bool IsControl => Epoch is null;
}
