using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>
/// Finds the syntax a diagnostic should point at: the offending attribute argument, array element
/// or member. Falls back to the enclosing attribute when the syntax does not map one to one
/// (e.g. an explicit <c>new object[] { ... }</c>).
/// </summary>
internal static class Where
{
    public static Location? Attribute(AttributeData attribute, CancellationToken ct) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation();

    /// <summary>The <paramref name="index"/>-th positional argument; for params arrays the index of the value.</summary>
    public static Location? Argument(AttributeData attribute, int index, CancellationToken ct)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(ct) is not AttributeSyntax syntax)
        {
            return null;
        }

        var positional = syntax.ArgumentList?.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
        if (positional is null || positional.Count == 0)
        {
            return syntax.GetLocation();
        }

        // params expanded form: one argument per value. Passed as one array: point into its initializer.
        if (index < positional.Count && !(positional.Count == 1 && Elements(positional[0].Expression) is not null))
        {
            return positional[index].GetLocation();
        }

        if (positional.Count == 1 && Elements(positional[0].Expression) is { } elements && index < elements.Count)
        {
            return elements[index].GetLocation();
        }

        return index < positional.Count ? positional[index].GetLocation() : syntax.GetLocation();
    }

    /// <summary>A named argument (<c>Epochs = ...</c>), or its <paramref name="element"/>-th array element.</summary>
    public static Location? Named(AttributeData attribute, string name, int? element, CancellationToken ct)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(ct) is not AttributeSyntax syntax)
        {
            return null;
        }

        AttributeArgumentSyntax? argument = syntax.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
        if (argument is null)
        {
            return syntax.GetLocation();
        }

        if (element is int i && Elements(argument.Expression) is { } elements && i < elements.Count)
        {
            return elements[i].GetLocation();
        }

        return argument.GetLocation();
    }

    /// <summary>The identifier of a property's declaration.</summary>
    public static Location? Member(ISymbol member, CancellationToken ct)
    {
        foreach (SyntaxReference reference in member.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(ct) is PropertyDeclarationSyntax property)
            {
                return property.Identifier.GetLocation();
            }
        }

        return member.Locations.FirstOrDefault();
    }

    /// <summary>The identifier of the type declaration that carries <paramref name="attribute"/>.</summary>
    public static Location? Type(INamedTypeSymbol type, AttributeData? attribute, CancellationToken ct)
    {
        SyntaxNode? node = attribute?.ApplicationSyntaxReference?.GetSyntax(ct);
        while (node is not null && node is not BaseTypeDeclarationSyntax)
        {
            node = node.Parent;
        }

        return node is BaseTypeDeclarationSyntax declaration ? declaration.Identifier.GetLocation() : type.Locations.FirstOrDefault();
    }

    private static Microsoft.CodeAnalysis.SeparatedSyntaxList<ExpressionSyntax>? ElementsOf(InitializerExpressionSyntax? initializer) =>
        initializer?.Expressions;

    private static System.Collections.Generic.IReadOnlyList<SyntaxNode>? Elements(ExpressionSyntax expression) => expression switch
    {
        ArrayCreationExpressionSyntax array => ElementsOf(array.Initializer)?.Cast<SyntaxNode>().ToList(),
        ImplicitArrayCreationExpressionSyntax array => ElementsOf(array.Initializer)?.Cast<SyntaxNode>().ToList(),
        CollectionExpressionSyntax collection => collection.Elements.Cast<SyntaxNode>().ToList(),
        _ => null,
    };
}
