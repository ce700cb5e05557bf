using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.CodeFixes;

/// <summary>
/// EXD006: deletes the repeated value from <c>[Sweep(...)]</c>. The analyzer points at the later
/// copy, so the first occurrence (and the order of the sweep) stays as written.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveDuplicateSweepValueCodeFix)), Shared]
public sealed class RemoveDuplicateSweepValueCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "ExperimentDsl.RemoveDuplicateSweepValue";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.DuplicateSweepValue];

    /// <inheritdoc />
    /// <remarks>Neighbouring repeats share a comma, so they are removed together in one edit rather than batched.</remarks>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (ValueNode(root, diagnostic.Location.SourceSpan) is not { } value)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Remove the repeated value " + Display(value),
                    ct => RemoveAsync(context.Document, root, value, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The removable node at the span: an attribute argument (<c>[Sweep(8, 16, 8)]</c>) or an element
    /// of an array or collection expression (<c>[Sweep(new object[] { 8, 8 })]</c>). A lone array
    /// argument is not removable, because dropping it would empty the sweep.
    /// </summary>
    private static SyntaxNode? ValueNode(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        SyntaxNode node = root.FindNode(span, getInnermostNodeForTie: true);
        for (SyntaxNode? current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AttributeArgumentSyntax { Parent: AttributeArgumentListSyntax list } argument when current.Span == span && list.Arguments.Count > 1:
                    return argument;
                case ExpressionSyntax { Parent: InitializerExpressionSyntax } element when current.Span == span:
                    return element;
                case CollectionElementSyntax element when current.Span == span:
                    return element;
                case AttributeSyntax:
                    return null;
            }
        }

        return null;
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        SyntaxNode[] values = diagnostics.Select(d => ValueNode(root, d.Location.SourceSpan)).OfType<SyntaxNode>().ToArray();
        SyntaxRemoveOptions options = values.Any(v => Options(v) == SyntaxRemoveOptions.KeepTrailingTrivia)
            ? SyntaxRemoveOptions.KeepTrailingTrivia
            : SyntaxRemoveOptions.KeepNoTrivia;
        return root.RemoveNodes(values, options) is { } fixedRoot ? document.WithSyntaxRoot(fixedRoot) : null;
    }

    /// <summary>
    /// The last element of <c>{ a, b }</c> carries the space before the closing brace; keep it so the
    /// initializer stays <c>{ a }</c> rather than <c>{ a}</c>.
    /// </summary>
    private static SyntaxRemoveOptions Options(SyntaxNode value) =>
        value.GetLastToken().GetNextToken().IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.CloseBraceToken)
            ? SyntaxRemoveOptions.KeepTrailingTrivia
            : SyntaxRemoveOptions.KeepNoTrivia;

    private static string Display(SyntaxNode value) => value is AttributeArgumentSyntax argument ? argument.Expression.ToString() : value.ToString();

    private static Task<Document> RemoveAsync(Document document, SyntaxNode root, SyntaxNode value, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        SyntaxNode? fixedRoot = root.RemoveNode(value, Options(value));
        return Task.FromResult(fixedRoot is null ? document : document.WithSyntaxRoot(fixedRoot));
    }
}
