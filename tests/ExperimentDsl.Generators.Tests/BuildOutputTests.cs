using System.Collections.Immutable;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Tests;

/// <summary>What a researcher sees in the build output for a bad experiment: generator and analyzer together.</summary>
public sealed class BuildOutputTests
{
    private const string Colliding = """
        using ExperimentDsl;

        namespace Lab;

        [Experiment("collide")]
        [RunName("{Model}_r{LoraRank}")]
        public partial record Collide
        {
            public Model Model { get; init; } = Model.Llama_3_2_1B;

            [Sweep(8, 16)]
            public int LoraRank { get; init; }

            [Sweep(1e-5, 5e-5)]
            public double LearningRate { get; init; }
        }
        """;

    [Fact]
    public async Task Colliding_run_names_fail_the_build_with_the_runs_listed()
    {
        Compilation input = GeneratorHarness.Compile(Colliding, "/repo/lab/Collide.cs");
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);

        // The invalid experiment gets no members; the (empty) catalogue is still there for Program.cs.
        Assert.Equal(["ExperimentDsl.Generated.ExperimentCatalog.g.cs"], driver.GetRunResult().GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)));

        (ImmutableArray<Diagnostic> diagnostics, IReadOnlyList<Exception> exceptions) = await GeneratorHarness.Analyze(output);
        Assert.Empty(exceptions);
        string[] lines = diagnostics.Where(d => d.Id.StartsWith("EXD", StringComparison.Ordinal)).Select(d => d.ToString()).ToArray();

        Assert.Equal(
        [
            "/repo/lab/Collide.cs(6,10): error EXD008: Run name 'Llama-3.2-1B_r8' is given to more than one run: #1 (LoraRank=8, LearningRate=1e-5), #2 (LoraRank=8, LearningRate=5e-5)",
            "/repo/lab/Collide.cs(6,10): error EXD008: Run name 'Llama-3.2-1B_r16' is given to more than one run: #3 (LoraRank=16, LearningRate=1e-5), #4 (LoraRank=16, LearningRate=5e-5)",
        ], lines);
        Assert.All(diagnostics.Where(d => d.Id == "EXD008"), d =>
            Assert.Equal("DIAGNOSTICS.md#exd008", d.Descriptor.HelpLinkUri));
    }

    [Fact]
    public async Task Valid_experiment_builds_without_any_diagnostic()
    {
        Compilation input = GeneratorHarness.Compile(Inputs.Seed, Inputs.SeedPath);
        GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);

        (ImmutableArray<Diagnostic> diagnostics, IReadOnlyList<Exception> exceptions) = await GeneratorHarness.Analyze(output);

        Assert.Empty(exceptions);
        Assert.Empty(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
    }

    [Fact]
    public async Task Run_limit_comes_from_the_ExperimentDsl_MaxRuns_build_property()
    {
        Compilation input = GeneratorHarness.Compile(Inputs.Seed, Inputs.SeedPath);

        (ImmutableArray<Diagnostic> limited, _) = await GeneratorHarness.Analyze(input, maxRuns: "3");
        (ImmutableArray<Diagnostic> generous, _) = await GeneratorHarness.Analyze(input, maxRuns: "4");

        Assert.Equal(
            "warning EXD020: Experiment 'cap_4L_lora_lr_sweep' has 4 runs, more than ExperimentDsl_MaxRuns (3)",
            Assert.Single(limited, d => d.Id.StartsWith("EXD", StringComparison.Ordinal)).ToString().Split(": ", 2)[1]);
        Assert.DoesNotContain(generous, d => d.Id.StartsWith("EXD", StringComparison.Ordinal));
    }
}
