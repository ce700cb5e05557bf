namespace ExperimentDsl;

/// <summary>
/// Removes from the sweep every run that matches all of the given member/value pairs.
/// </summary>
/// <example><c>[Exclude(nameof(LoraRank), 16, nameof(LearningRate), 5e-5)]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ExcludeAttribute : Attribute
{
    /// <summary>Excludes the combination given as alternating member names and values.</summary>
    /// <param name="memberValuePairs">Alternating swept-property names and values: name, value, name, value, ...</param>
    public ExcludeAttribute(params object[] memberValuePairs) => MemberValuePairs = memberValuePairs;

    /// <summary>Alternating member names and values.</summary>
    public object[] MemberValuePairs { get; }
}
