namespace ExperimentDsl;

/// <summary>
/// Makes a property a sweep axis with the listed values. Axes form a grid (cartesian product),
/// the first declared axis outermost, unless they are paired with <see cref="PairedAttribute"/>.
/// </summary>
/// <example><c>[Sweep(8, 16)] public int LoraRank { get; init; }</c></example>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SweepAttribute : Attribute
{
    /// <summary>Declares the values of the axis, in the order the runs should take them.</summary>
    /// <param name="values">Values convertible to the property's type (numbers, strings, enum members, booleans).</param>
    public SweepAttribute(params object[] values) => Values = values;

    /// <summary>The values of the axis.</summary>
    public object[] Values { get; }
}
