namespace ExperimentDsl;

/// <summary>
/// An eval-only run: a checkpoint trained elsewhere (e.g. by an earlier experiment), evaluated as it
/// is. It trains nothing; its evaluations load <see cref="CheckpointPath"/>.
/// </summary>
/// <param name="Name">The run's name (a safe directory name, unique in the experiment).</param>
/// <param name="Settings">Settings of the run; the model (the checkpoint's base), dataset and prompts are used.</param>
/// <param name="CheckpointPath">The existing checkpoint directory, absolute or relative to the plan's base directory.</param>
public sealed record EvalOnlyRun(string Name, RunSettings Settings, string CheckpointPath);
