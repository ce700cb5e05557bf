namespace ExperimentDsl;

/// <summary>
/// Adds one explicit run after the sweep's runs. Members not listed take the first value of their
/// sweep (or their fixed value when they are not swept).
/// </summary>
/// <example><c>[ExtraRun(nameof(LoraRank), 64, nameof(LearningRate), 1e-4)]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ExtraRunAttribute : Attribute
{
    /// <summary>Adds a run given as alternating member names and values.</summary>
    /// <param name="memberValuePairs">Alternating property names and values: name, value, name, value, ...</param>
    public ExtraRunAttribute(params object[] memberValuePairs) => MemberValuePairs = memberValuePairs;

    /// <summary>Alternating member names and values.</summary>
    public object[] MemberValuePairs { get; }
}
