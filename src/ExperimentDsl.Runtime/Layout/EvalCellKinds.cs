namespace ExperimentDsl.Runtime.Layout;

/// <summary>The kind of an evaluation, where the runtime treats the three differently.</summary>
internal static class EvalCellKinds
{
    /// <summary>Whether the cell evaluates a checkpoint this experiment trains (not a control or an eval-only run).</summary>
    public static bool IsFineTuned(this EvalCell cell) => cell.Epoch is not null && !cell.IsEvalOnly;

    /// <summary>How logs and messages name the kind: "run", "control" or "eval-only run".</summary>
    public static string KindName(this EvalCell cell) => cell.IsEvalOnly ? "eval-only run" : cell.IsControl ? "control" : "run";
}
