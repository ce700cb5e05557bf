namespace ExperimentDsl;

/// <summary>A control: a base model evaluated without fine-tuning, in directory <see cref="DirectoryName"/>.</summary>
/// <param name="Name">The control's run name (the model's canonical name).</param>
/// <param name="Settings">Settings of the control; the model, dataset and system prompt are used.</param>
public sealed record ControlRun(string Name, RunSettings Settings)
{
    /// <summary>The control's directory: <c>{Name}_base</c>.</summary>
    public string DirectoryName => Name + "_base";
}
