namespace ExperimentDsl;

/// <summary>
/// The epochs (0-indexed) at which fine-tuned runs are evaluated: a list, the last epoch or all
/// epochs. Without this attribute the last epoch is evaluated.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EvalEpochsAttribute : Attribute
{
    /// <summary>Evaluate at the listed epochs (0-indexed, each below the run's epoch count).</summary>
    /// <param name="epochs">The epochs.</param>
    public EvalEpochsAttribute(params int[] epochs)
    {
        Epochs = epochs;
        Selection = EpochSelection.List;
    }

    /// <summary>Evaluate at the last epoch or at every epoch.</summary>
    /// <param name="selection"><see cref="EpochSelection.Last"/> or <see cref="EpochSelection.All"/>.</param>
    public EvalEpochsAttribute(EpochSelection selection)
    {
        Epochs = [];
        Selection = selection;
    }

    /// <summary>The listed epochs when <see cref="Selection"/> is <see cref="EpochSelection.List"/>.</summary>
    public int[] Epochs { get; }

    /// <summary>How the epochs are chosen.</summary>
    public EpochSelection Selection { get; }
}
