using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>One planned run while the builder works: the value of every dimension (axes and members set by extra runs).</summary>
internal sealed class Row
{
    public Row(IReadOnlyList<MemberInfo> dimensions, Dictionary<MemberInfo, Value> values)
    {
        Dimensions = dimensions;
        Values = values;
    }

    /// <summary>The members that runs may set, in declaration order (shared by all rows).</summary>
    public IReadOnlyList<MemberInfo> Dimensions { get; }

    public Dictionary<MemberInfo, Value> Values { get; }

    /// <summary>How a diagnostic names this run: its position and values, e.g. <c>#2 (LoraRank=8, LearningRate=5e-5)</c>.</summary>
    public string Describe(int index) =>
        "#" + (index + 1).ToString(CultureInfo.InvariantCulture)
        + (Dimensions.Count == 0 ? string.Empty : " (" + string.Join(", ", Dimensions.Select(d => d.Name + "=" + Values[d].Text)) + ")");
}
