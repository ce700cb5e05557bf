using System.Collections.Generic;
using ExperimentDsl.Generators.Catalog;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>What the builder knows about one instance property of the experiment record.</summary>
internal sealed class MemberInfo
{
    public MemberInfo(IPropertySymbol symbol, int order, ValueShape shape)
    {
        Symbol = symbol;
        Order = order;
        Shape = shape;
    }

    public IPropertySymbol Symbol { get; }

    public string Name => Symbol.Name;

    /// <summary>Declaration order among the record's properties.</summary>
    public int Order { get; }

    public ValueShape Shape { get; }

    /// <summary>The RunSettings setting it sets, when its name and type match one.</summary>
    public Setting? Setting { get; set; }

    /// <summary>Its value when it is not swept: the constant initializer or the type's default; null when unknown.</summary>
    public Value? Fixed { get; set; }

    /// <summary>Where the fixed value is written (the initializer), for range diagnostics.</summary>
    public Location? FixedLocation { get; set; }

    /// <summary>The sweep values, when the property is an axis.</summary>
    public List<Value>? Sweep { get; set; }

    /// <summary>The property's [Sweep], even when its values were rejected.</summary>
    public AttributeData? SweepAttribute { get; set; }

    public bool IsAxis => Sweep is not null;

    public bool IsSettable => Symbol.SetMethod is not null && !Symbol.IsStatic;

    /// <summary>The value used in default run names and in messages describing runs.</summary>
    public string Prefix => Setting?.NamePrefix ?? Name.ToLowerInvariant();
}
