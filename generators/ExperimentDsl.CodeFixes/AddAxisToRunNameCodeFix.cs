using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using ExperimentDsl.Generators.Diagnostics;
using ExperimentDsl.Generators.Extraction;
using ExperimentDsl.Generators.Planning;
using ExperimentDsl.Generators;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.CodeFixes;

/// <summary>
/// EXD008 on a <c>[RunName]</c> pattern: two runs share a name because the pattern leaves out a
/// swept property. Offers one fix per omitted property, appending <c>_{Property}</c> to the pattern.
/// The analyzer's message names the colliding runs, not the property, so the fix finds the
/// omitted properties itself from the record's <c>[Sweep]</c> attributes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddAxisToRunNameCodeFix)), Shared]
public sealed class AddAxisToRunNameCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.RunNameCollision];

    /// <summary>
    /// No fix-all: every collision of one experiment reports at the same pattern, and one appended
    /// property usually resolves them all.
    /// </summary>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null
            || root.FindNode(context.Span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault() is not { } attribute
            || attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression is not LiteralExpressionSyntax pattern
            || !IsRunName(attribute, semanticModel, context.CancellationToken)
            || attribute.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration
            || semanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not INamedTypeSymbol experiment
            || RunNamePattern.Parse(pattern.Token.ValueText, out _) is not { } parsed)
        {
            return;
        }

        var named = new HashSet<string>(parsed.Parts.Where(p => p.IsMember).Select(p => p.Text), System.StringComparer.Ordinal);
        foreach (string member in SweptMembers.Varying(experiment).Where(m => !named.Contains(m)))
        {
            string placeholder = "{" + member + "}";
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Add " + placeholder + " to the run name",
                    ct => AppendAsync(context.Document, root, pattern, "_" + placeholder, ct),
                    "ExperimentDsl.AddAxisToRunName." + member),
                context.Diagnostics);
        }
    }

    private static bool IsRunName(AttributeSyntax attribute, SemanticModel semanticModel, CancellationToken ct) =>
        semanticModel.GetSymbolInfo(attribute, ct).Symbol is IMethodSymbol { ContainingType: { } type }
        && MetadataNames.Of(type) == KnownNames.RunNameAttribute;

    private static Task<Document> AppendAsync(Document document, SyntaxNode root, LiteralExpressionSyntax pattern, string suffix, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (Appended(pattern.Token, suffix) is not { } replacement)
        {
            return Task.FromResult(document);
        }

        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceToken(pattern.Token, replacement)));
    }

    /// <summary>
    /// Inserts <paramref name="suffix"/> before the closing quote(s), keeping the literal's own form
    /// (regular, verbatim or single-line raw), so nothing else in the pattern is re-escaped.
    /// </summary>
    private static SyntaxToken? Appended(SyntaxToken literal, string suffix)
    {
        string text = literal.Text;
        int closing = literal.Kind() switch
        {
            SyntaxKind.StringLiteralToken => 1,
            SyntaxKind.SingleLineRawStringLiteralToken => text.Length - text.TrimEnd('"').Length,
            _ => 0,
        };

        // Braces are literal in regular and verbatim strings, and in raw strings without '$'.
        if (closing == 0 || text.Length < closing)
        {
            return null;
        }

        string updated = text.Substring(0, text.Length - closing) + suffix + text.Substring(text.Length - closing);
        SyntaxToken parsed = SyntaxFactory.ParseExpression(updated) is LiteralExpressionSyntax expression ? expression.Token : default;
        return parsed.IsKind(literal.Kind()) ? parsed.WithTriviaFrom(literal) : null;
    }
}
