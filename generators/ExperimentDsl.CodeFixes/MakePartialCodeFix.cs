using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.CodeFixes;

/// <summary>
/// EXD001: adds <c>partial</c> to the experiment type and to every type that contains it, since the
/// generator has to reopen all of them to add the runs and the plan.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "ExperimentDsl.MakePartial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticIds.NotPartial];

    /// <inheritdoc />
    /// <remarks>
    /// A nested experiment reports EXD001 for itself and for each containing type; their fixes edit
    /// the same declarations, which a batch fixer would see as conflicting. One pass over the union does it.
    /// </remarks>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault() is not { } declaration)
        {
            return;
        }

        string title = declaration.Parent is TypeDeclarationSyntax
            ? "Make '" + declaration.Identifier.ValueText + "' and its containing types partial"
            : "Make '" + declaration.Identifier.ValueText + "' partial";
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => MakePartialAsync(context.Document, root, declaration, ct), EquivalenceKey),
                diagnostic);
        }
    }

    private static Task<Document> MakePartialAsync(Document document, SyntaxNode root, TypeDeclarationSyntax declaration, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(document.WithSyntaxRoot(MakePartial(root, [declaration])));
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        TypeDeclarationSyntax[] declarations = diagnostics
            .Select(d => root.FindToken(d.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault())
            .OfType<TypeDeclarationSyntax>()
            .ToArray();
        return document.WithSyntaxRoot(MakePartial(root, declarations));
    }

    /// <summary>Adds <c>partial</c> to each declaration and its containing declarations that lack it.</summary>
    private static SyntaxNode MakePartial(SyntaxNode root, TypeDeclarationSyntax[] declarations)
    {
        TypeDeclarationSyntax[] lacking = declarations
            .SelectMany(d => d.AncestorsAndSelf().OfType<TypeDeclarationSyntax>())
            .Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword))
            .Distinct()
            .ToArray();
        return root.ReplaceNodes(lacking, (original, rewritten) => AddPartial(rewritten));
    }

    /// <summary>
    /// <c>partial</c> goes last among the modifiers, right before <c>class</c>/<c>record</c>/<c>struct</c>,
    /// where older language versions require it.
    /// </summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count > 0)
        {
            return declaration.WithModifiers(declaration.Modifiers.Add(partial));
        }

        // No modifiers: the keyword carries the indentation, which moves to the new first token.
        SyntaxToken keyword = declaration.Keyword;
        return declaration
            .WithKeyword(keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }
}
