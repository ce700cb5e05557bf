namespace ExperimentDsl;

/// <summary>
/// Marks a <c>partial record</c> as an experiment: a sweep of LoRA fine-tuning runs and their evaluations.
/// The source generator adds the typed run list, the evaluation matrix and the plan to the record.
/// </summary>
/// <remarks>
/// Properties of the record whose names match a setting of <see cref="RunSettings"/> (for example
/// <c>LoraRank</c>, <c>LearningRate</c>, <c>Epochs</c>, <c>Model</c>) set that setting; their
/// initializer is the fixed value and a <see cref="SweepAttribute"/> turns them into an axis.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExperimentAttribute : Attribute
{
    /// <summary>Declares an experiment.</summary>
    /// <param name="name">The experiment's name; it becomes a directory name, so it must be a safe one.</param>
    public ExperimentAttribute(string name) => Name = name;

    /// <summary>The experiment's name (its directory name).</summary>
    public string Name { get; }
}
