using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
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
        DiagnosticDescriptors.BaseRecordMemberIgnored,
        DiagnosticDescriptors.DuplicateExperimentName,
        DiagnosticDescriptors.InvalidMaxRuns,
        DiagnosticDescriptors.UnsafeEvalOnlyName,
        DiagnosticDescriptors.InvalidCheckpointPath,
        DiagnosticDescriptors.EvalOnlyNameClash,
        DiagnosticDescriptors.VisLabelUnknownRun,
        DiagnosticDescriptors.DuplicateVisLabel,
        DiagnosticDescriptors.InvalidVisLabel,
        DiagnosticDescriptors.InvalidEvaluationSetting,
        DiagnosticDescriptors.TaskPromptInputCount,
        DiagnosticDescriptors.TaskPromptBraces,
        DiagnosticDescriptors.ValueTorchtuneCannotReceive,
        DiagnosticDescriptors.PromptTemplateInputTwice,
        DiagnosticDescriptors.ValueTrainerCannotExpress,
    ];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Experiment names across the compilation: two experiments of one name scaffold into one
            // directory, each calling the other's files orphans (EXD025).
            var names = new System.Collections.Concurrent.ConcurrentBag<(string Name, string Type, Location Where)>();
            start.RegisterSyntaxNodeAction(
                c => CollectExperimentName(c, names),
                SyntaxKind.ClassDeclaration,
                SyntaxKind.RecordDeclaration,
                SyntaxKind.StructDeclaration,
                SyntaxKind.RecordStructDeclaration);
            start.RegisterCompilationEndAction(end => ReportCompilationWide(end, names));
        });
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
            int maxRuns = MaxRuns(context, reference.GetSyntax(context.CancellationToken).GetLocation(), diagnostics);
            ExperimentModelBuilder.Build(type, attribute, context.SemanticModel, diagnostics, maxRuns, context.CancellationToken);
            foreach (Diagnostic diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic);
            }

            return;
        }
    }

    private static void CollectExperimentName(SyntaxNodeAnalysisContext context, System.Collections.Concurrent.ConcurrentBag<(string Name, string Type, Location Where)> names)
    {
        var declaration = (TypeDeclarationSyntax)context.Node;
        if (declaration.AttributeLists.Count == 0
            || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not INamedTypeSymbol type)
        {
            return;
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (MetadataNames.Is(attribute, KnownNames.ExperimentAttribute)
                && attribute.ApplicationSyntaxReference is { } reference
                && reference.SyntaxTree == declaration.SyntaxTree
                && declaration.Span.Contains(reference.Span)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string name)
            {
                names.Add((name, type.ToDisplayString(), reference.GetSyntax(context.CancellationToken).GetLocation()));
            }
        }
    }

    private static void ReportCompilationWide(CompilationAnalysisContext context, System.Collections.Concurrent.ConcurrentBag<(string Name, string Type, Location Where)> names)
    {
        // Sorted so that the first declaration (by file and position) keeps its name without a diagnostic.
        foreach (var group in names.GroupBy(n => n.Name, System.StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(n => n.Where.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(n => n.Where.SourceSpan.Start).ToList();
            for (int i = 1; i < ordered.Count; i++)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateExperimentName, ordered[i].Where, group.Key, ordered[0].Type));
            }
        }
    }

    /// <summary>The EXD020 threshold; a value that is not a positive integer is reported (EXD026) on the experiment, where it applies, and the default is used.</summary>
    private static int MaxRuns(SyntaxNodeAnalysisContext context, Location experiment, List<Diagnostic> diagnostics)
    {
        if (!context.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(KnownNames.MaxRunsProperty, out string? text)
            || text.Trim().Length == 0)
        {
            return KnownNames.DefaultMaxRuns; // Not set: MSBuild passes an unset visible property as empty.
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int limit) && limit > 0)
        {
            return limit;
        }

        diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidMaxRuns, experiment, text, KnownNames.DefaultMaxRuns.ToString(CultureInfo.InvariantCulture)));
        return KnownNames.DefaultMaxRuns;
    }
}
