namespace ExperimentDsl.Generators.Extraction;

/// <summary>
/// A compile-time value of a property: the raw constant (for range checks), its C# literal and
/// how it reads in run names.
/// </summary>
/// <param name="Raw">int, long, double, bool, string, the enum member's name, or null.</param>
/// <param name="Literal">C# source that produces exactly this value; also the equality key.</param>
/// <param name="Text">The value in run names and axis values (canonical name for a model).</param>
/// <param name="ShortText">The value in default run names (the short name for a model).</param>
internal sealed record Value(object? Raw, string Literal, string Text, string ShortText);
