using System.Globalization;
using ExperimentDsl.Generators.Extraction;
using ExperimentDsl.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Benchmarks;

/// <summary>
/// `-- --model-size`: how much memory the generator's cached model of one experiment keeps alive,
/// per run count. BenchmarkDotNet's memory diagnoser reports what a run allocates; this reports
/// what stays in the incremental cache between keystrokes.
/// </summary>
internal static class ModelSize
{
    public static void Print(TextWriter output)
    {
        output.WriteLine("| runs | cached model (bytes) | bytes per run |");
        output.WriteLine("|---:|---:|---:|");
        foreach (int runs in new[] { 4, 1_000, 10_000 })
        {
            long bytes = Retained(runs);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {runs:N0} | {bytes:N0} | {bytes / runs:N0} |"));
        }
    }

    private static long Retained(int runs)
    {
        CSharpCompilation compilation = GeneratorBenchmarks.Compile(runs);
        SyntaxTree tree = compilation.SyntaxTrees.First();
        SemanticModel semanticModel = compilation.GetSemanticModel(tree);
        INamedTypeSymbol type = compilation.GetTypeByMetadataName("Bench.Sweep")!;
        AttributeData experiment = type.GetAttributes().First(a => a.AttributeClass?.Name == "ExperimentAttribute");

        // The first build fills the compilation's own caches (bound attributes, constants), which
        // live as long as the compilation, not as long as the model; only the second is counted.
        _ = Build(type, experiment, semanticModel);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        ExperimentSpec model = Build(type, experiment, semanticModel);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(model);
        return after - before;
    }

    // What the generator's pipeline caches: the compact spec (the runs are expanded in the output step).
    private static ExperimentSpec Build(INamedTypeSymbol type, AttributeData experiment, SemanticModel semanticModel) =>
        ExperimentModelBuilder.Describe(type, experiment, semanticModel, CancellationToken.None)
        ?? throw new InvalidOperationException("The benchmark experiment is invalid");
}
