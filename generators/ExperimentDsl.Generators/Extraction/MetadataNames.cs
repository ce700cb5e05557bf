using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>Metadata names (<c>Ns.Outer+Inner</c>) of symbols, the form <see cref="KnownNames"/> uses.</summary>
internal static class MetadataNames
{
    public static string Of(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        INamespaceSymbol? ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? name : ns.ToDisplayString() + "." + name;
    }

    public static bool Is(AttributeData attribute, string metadataName) =>
        attribute.AttributeClass is { } type && Of(type) == metadataName;
}
