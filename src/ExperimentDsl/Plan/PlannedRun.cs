namespace ExperimentDsl;

/// <summary>One fine-tuning run of an experiment: its directory name, its settings and its axis values.</summary>
/// <param name="Name">The run's name (a safe directory name, unique in the experiment).</param>
/// <param name="Settings">Every setting of the run.</param>
/// <param name="AxisValues">The run's value on each varying axis, in axis order.</param>
public sealed record PlannedRun(string Name, RunSettings Settings, IReadOnlyList<AxisValue> AxisValues);
