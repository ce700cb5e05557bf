namespace ExperimentDsl;

/// <summary>
/// The pattern that names each run (and its directory), with <c>{Member}</c> placeholders for
/// properties of the experiment, e.g. <c>"{Model}_r{LoraRank}_lr{LearningRate}"</c>. <c>{{</c> and
/// <c>}}</c> write literal braces. Without this attribute only the axes that vary appear,
/// abbreviated (<c>r</c> LoRA rank, <c>lr</c> learning rate, <c>b</c> batch size, the model by its
/// short name) and joined by <c>_</c>, e.g. <c>r8_lr1e-5</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class RunNameAttribute : Attribute
{
    /// <summary>Declares the run-name pattern.</summary>
    /// <param name="pattern">Text with <c>{Member}</c> placeholders.</param>
    public RunNameAttribute(string pattern) => Pattern = pattern;

    /// <summary>The pattern.</summary>
    public string Pattern { get; }
}
