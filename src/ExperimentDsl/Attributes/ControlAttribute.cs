namespace ExperimentDsl;

/// <summary>
/// Adds a control: the base (not fine-tuned) model, evaluated once per task. Its directory is
/// <c>{model name}_base</c>. Without an argument the control uses the experiment's model.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ControlAttribute : Attribute
{
    /// <summary>A control of the experiment's own model.</summary>
    public ControlAttribute() { }

    /// <summary>A control of the given base model.</summary>
    /// <param name="model">The base model to evaluate.</param>
    public ControlAttribute(Model model) => Model = model;

    /// <summary>The base model, or <see langword="null"/> for the experiment's model.</summary>
    public Model? Model { get; }
}
