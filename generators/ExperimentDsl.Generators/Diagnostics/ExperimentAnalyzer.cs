using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using ExperimentDsl.Generators.Extraction;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ExperimentDsl.Generators.Diagnostics;

/// <summary>
/// Reports why an experiment is invalid (or suspicious), using the same model builder as the
/// generator. Runs per type declaration that carries <c>[Experiment]</c>, so errors show live in the IDE.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ExperimentAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.SweepValueNotConvertible,
        DiagnosticDescriptors.UnsupportedSweepMember,
        DiagnosticDescriptors.SettingWrongType,
        DiagnosticDescriptors.EmptySweep,
        DiagnosticDescriptors.DuplicateSweepValue,
        DiagnosticDescriptors.InvalidRunNamePattern,
        DiagnosticDescriptors.RunNameCollision,
        DiagnosticDescriptors.UnsafeRunName,
        DiagnosticDescriptors.UnsafeExperimentName,
        DiagnosticDescriptors.EvalEpochOutOfRange,
        DiagnosticDescriptors.InvalidEvalTask,
        DiagnosticDescriptors.DuplicateEvalTask,
        DiagnosticDescriptors.UnknownEvalRun,
        DiagnosticDescriptors.InvalidPairing,
        DiagnosticDescriptors.UnknownMember,
        DiagnosticDescriptors.MalformedMemberValueList,
        DiagnosticDescriptors.ValueOutOfRange,
        DiagnosticDescriptors.PromptTemplateWithoutInput,
        DiagnosticDescriptors.TooManyRuns,
        DiagnosticDescriptors.NotAnExperimentType,
        DiagnosticDescriptors.GridBeyondCeiling,
        DiagnosticDescriptors.NotConstant,
        DiagnosticDescriptors.ValueTorchtuneCannotReceive,
        DiagnosticDescriptors.PromptTemplateInputTwice,
    ];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(
            AnalyzeTypeDeclaration,
            SyntaxKind.ClassDeclaration,
            SyntaxKind.RecordDeclaration,
            SyntaxKind.StructDeclaration,
            SyntaxKind.RecordStructDeclaration,
            SyntaxKind.InterfaceDeclaration);
    }

    private static void AnalyzeTypeDeclaration(SyntaxNodeAnalysisContext context)
    {
        var declaration = (TypeDeclarationSyntax)context.Node;
        if (declaration.AttributeLists.Count == 0
            || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not INamedTypeSymbol type)
        {
            return;
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            // Only the declaration that carries [Experiment] reports, so partial types report once.
            if (!MetadataNames.Is(attribute, KnownNames.ExperimentAttribute)
                || attribute.ApplicationSyntaxReference is not { } reference
                || reference.SyntaxTree != declaration.SyntaxTree
                || !declaration.Span.Contains(reference.Span))
            {
                continue;
            }

            var diagnostics = new List<Diagnostic>();
            ExperimentModelBuilder.Build(type, attribute, context.SemanticModel, diagnostics, MaxRuns(context), context.CancellationToken);
            foreach (Diagnostic diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic);
            }

            return;
        }
    }

    private static int MaxRuns(SyntaxNodeAnalysisContext context) =>
        context.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(KnownNames.MaxRunsProperty, out string? text)
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int limit)
        && limit > 0
            ? limit
            : KnownNames.DefaultMaxRuns;
}
