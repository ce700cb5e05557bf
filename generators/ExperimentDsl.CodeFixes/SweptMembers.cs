using System;
using System.Collections.Generic;
using System.Linq;
using ExperimentDsl.Generators;
using ExperimentDsl.Generators.Extraction;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.CodeFixes;

/// <summary>The properties of an experiment whose <c>[Sweep]</c> gives them more than one value.</summary>
internal static class SweptMembers
{
    /// <summary>Names in declaration order, so the offered fixes follow the record as written.</summary>
    public static IReadOnlyList<string> Varying(INamedTypeSymbol experiment) =>
        experiment.GetMembers()
            .OfType<IPropertySymbol>()
            .Where(property => !property.IsStatic && DistinctValues(property) > 1)
            .Select(property => property.Name)
            .ToList();

    private static int DistinctValues(IPropertySymbol property)
    {
        AttributeData? sweep = property.GetAttributes().FirstOrDefault(a => MetadataNames.Is(a, KnownNames.SweepAttribute));
        if (sweep is null || sweep.ConstructorArguments.Length != 1)
        {
            return 0;
        }

        TypedConstant values = sweep.ConstructorArguments[0];
        return values.Kind == TypedConstantKind.Array
            ? values.Values.Select(v => v.ToCSharpString()).Distinct(StringComparer.Ordinal).Count()
            : 1;
    }
}
