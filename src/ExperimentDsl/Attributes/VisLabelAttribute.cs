namespace ExperimentDsl;

/// <summary>
/// The label a run (fine-tuned, control or eval-only) is shown under in plots and in cruijff_kit's
/// tools (its <c>vis_label</c>) instead of the run's name.
/// </summary>
/// <example><c>[VisLabel("Llama-3.2-1B-Instruct_r4_lr1e-5", "rank4")]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class VisLabelAttribute : Attribute
{
    /// <summary>Labels one run.</summary>
    /// <param name="run">The run's name.</param>
    /// <param name="label">The label.</param>
    public VisLabelAttribute(string run, string label)
    {
        Run = run;
        Label = label;
    }

    /// <summary>The run's name.</summary>
    public string Run { get; }

    /// <summary>The label.</summary>
    public string Label { get; }
}
