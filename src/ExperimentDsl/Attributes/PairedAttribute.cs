namespace ExperimentDsl;

/// <summary>
/// Pairs sweep axes so that their values advance together (zip) instead of forming a grid:
/// the i-th run of the group takes the i-th value of every listed axis. All listed axes must have
/// the same number of values.
/// </summary>
/// <example><c>[Paired(nameof(LoraRank), nameof(LearningRate))]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PairedAttribute : Attribute
{
    /// <summary>Pairs the named sweep axes.</summary>
    /// <param name="members">Names of swept properties; use <c>nameof</c>.</param>
    public PairedAttribute(params string[] members) => Members = members;

    /// <summary>The paired axes, in declaration order.</summary>
    public string[] Members { get; }
}
