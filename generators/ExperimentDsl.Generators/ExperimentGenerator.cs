using System;
using System.Collections.Immutable;
using System.Linq;
using ExperimentDsl.Generators.Emit;
using ExperimentDsl.Generators.Extraction;
using ExperimentDsl.Generators.Models;
using ExperimentDsl.Generators.Planning;
using ExperimentDsl.Generators.TaskScripts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ExperimentDsl.Generators;

/// <summary>
/// Adds the runs, evaluation matrix and plan to every <c>[Experiment]</c> record, and the
/// assembly-wide <c>ExperimentDsl.Generated.ExperimentCatalog</c>. Invalid experiments are skipped
/// here; <see cref="Diagnostics.ExperimentAnalyzer"/> reports why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ExperimentGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The transform re-runs for every new compilation, even after an unrelated edit: it only reads
        // the declaration into a compact spec. Expanding the runs (names, collisions, evaluations)
        // happens in the steps below, which run only when that spec changed.
        IncrementalValuesProvider<ExperimentSpec> experiments = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ExperimentAttribute,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type && AttributeOn(ctx) is { } attribute
                    ? ExperimentModelBuilder.Describe(type, attribute, ctx.SemanticModel, ct)
                    : null)
            .WithTrackingName(TrackingNames.Extract)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.Experiments);

        // An experiment whose runs are invalid (e.g. colliding names) gets no code: the analyzer reports it.
        context.RegisterSourceOutput(experiments, static (spc, spec) =>
        {
            if (RunExpansion.Expand(spec, maxRuns: int.MaxValue, reporter: null, spc.CancellationToken) is { } model)
            {
                spc.AddSource(model.HintName, ExperimentEmitter.Emit(model));
            }
        });

        // Nor a catalogue entry. The check enumerates the runs again (without building them), but only
        // when the experiment's spec changed.
        IncrementalValueProvider<EquatableArray<CatalogEntry>> catalog = experiments
            .Select(static (s, ct) => !RunExpansion.IsValid(s, ct)
                ? null
                : new CatalogEntry(s.ExperimentName, s.MetadataName, s.FullTypeName))
            .WithTrackingName(TrackingNames.CatalogEntries)
            .Where(static e => e is not null)
            .Select(static (e, _) => e!)
            .Collect()
            .Select(static (all, _) => all
                .OrderBy(e => e.ExperimentName, StringComparer.Ordinal)
                .ThenBy(e => e.MetadataName, StringComparer.Ordinal)
                .ToEquatableArray())
            .WithTrackingName(TrackingNames.Catalog);

        // Task scripts (EXD040–EXD042). The Python files are read only when they change; the check
        // re-runs only when an experiment's tasks, a script's tasks or the switch changed.
        IncrementalValuesProvider<ExperimentTaskUses> taskUses = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ExperimentAttribute,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type && AttributeOn(ctx) is { } attribute
                    ? TaskScriptUseReader.Read(type, attribute, ctx.SemanticModel, ct)
                    : null)
            .Where(static u => u is not null && u.Uses.Count > 0)
            .Select(static (u, _) => u!)
            .WithTrackingName(TrackingNames.TaskUses);
        IncrementalValueProvider<ImmutableArray<TaskScript>> scripts = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".py", StringComparison.OrdinalIgnoreCase))
            .Select(static (file, ct) => TaskScript.Read(file, ct))
            .WithTrackingName(TrackingNames.TaskScripts)
            .Collect();
        IncrementalValueProvider<string?> scriptsComplete = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(KnownNames.CheckTaskScriptsProperty, out string? value)
                && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase)
                && options.GlobalOptions.TryGetValue(KnownNames.ProjectDirectoryProperty, out string? directory)
                && directory.Length > 0
                    ? ScriptPath.Normalize(directory)
                    : null);
        context.RegisterSourceOutput(taskUses.Combine(scripts).Combine(scriptsComplete), static (spc, input) =>
        {
            foreach (Diagnostic diagnostic in TaskScriptCheck.Check(input.Left.Left, input.Left.Right, input.Right))
            {
                spc.ReportDiagnostic(diagnostic);
            }
        });

        // Always emitted, even empty: Program.cs of every experiment project refers to it.
        context.RegisterSourceOutput(catalog, static (spc, entries) =>
            spc.AddSource(CatalogEmitter.HintName, CatalogEmitter.Emit(entries)));
    }

    // ctx.Attributes lists the matches of every partial declaration; take the one written on this node.
    private static AttributeData? AttributeOn(GeneratorAttributeSyntaxContext ctx) =>
        ctx.Attributes.FirstOrDefault(a => a.ApplicationSyntaxReference is { } r
            && r.SyntaxTree == ctx.TargetNode.SyntaxTree
            && ctx.TargetNode.Span.Contains(r.Span));
}
