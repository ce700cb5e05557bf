using System;
using System.Linq;
using ExperimentDsl.Generators.Emit;
using ExperimentDsl.Generators.Extraction;
using ExperimentDsl.Generators.Models;
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
        IncrementalValuesProvider<ExperimentModel> experiments = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ExperimentAttribute,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type && ctx.Attributes.Length > 0
                    ? ExperimentModelBuilder.Build(type, ctx.Attributes[0], ctx.SemanticModel, diagnostics: null, maxRuns: int.MaxValue, ct)
                    : null)
            .WithTrackingName(TrackingNames.Extract)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.Experiments);

        context.RegisterSourceOutput(experiments, static (spc, model) =>
            spc.AddSource(model.HintName, ExperimentEmitter.Emit(model)));

        IncrementalValueProvider<EquatableArray<CatalogEntry>> catalog = experiments
            .Select(static (m, _) => new CatalogEntry(m.ExperimentName, m.MetadataName, m.FullTypeName))
            .WithTrackingName(TrackingNames.CatalogEntries)
            .Collect()
            .Select(static (all, _) => all
                .OrderBy(e => e.ExperimentName, StringComparer.Ordinal)
                .ThenBy(e => e.MetadataName, StringComparer.Ordinal)
                .ToEquatableArray())
            .WithTrackingName(TrackingNames.Catalog);

        // Always emitted, even empty: Program.cs of every experiment project refers to it.
        context.RegisterSourceOutput(catalog, static (spc, entries) =>
            spc.AddSource(CatalogEmitter.HintName, CatalogEmitter.Emit(entries)));
    }
}
