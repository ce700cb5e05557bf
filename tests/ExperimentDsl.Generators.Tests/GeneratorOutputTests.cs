using System.Reflection;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Tests;

/// <summary>The generated source for representative experiments, compared with reviewed golden files.</summary>
public sealed class GeneratorOutputTests
{
    [Fact]
    public void Seed_example()
    {
        AssertGoldenAndClean(GeneratorHarness.Compile(Inputs.Seed, Inputs.SeedPath), "Capitalization.CapitalizationSweep", nameof(Seed_example));
    }

    [Fact]
    public void Two_axis_grid_with_default_names()
    {
        AssertGoldenAndClean(GeneratorHarness.Compile(Inputs.TwoAxisDefaultNames), "Lab.Grid", nameof(Two_axis_grid_with_default_names));
    }

    [Fact]
    public void Paired_axes_crossed_with_a_grid_axis()
    {
        AssertGoldenAndClean(GeneratorHarness.Compile(Inputs.Paired), "Lab.PairedSweep", nameof(Paired_axes_crossed_with_a_grid_axis));
    }

    [Fact]
    public void Excluded_combination_and_extra_runs()
    {
        AssertGoldenAndClean(GeneratorHarness.Compile(Inputs.ExcludeAndExtraRuns), "Lab.ExcludeExtra", nameof(Excluded_combination_and_extra_runs));
    }

    [Fact]
    public void Controls_and_evaluations_with_per_task_options()
    {
        AssertGoldenAndClean(GeneratorHarness.Compile(Inputs.ControlsAndEvals), "Lab.ControlsEvals", nameof(Controls_and_evaluations_with_per_task_options));
    }

    [Fact]
    public void Eval_only_run_vis_labels_evaluation_settings_and_task_prompts()
    {
        AssertGoldenAndClean(GeneratorHarness.Compile(Inputs.EvalOnly(2)), "Lab.EvalOnlySweep", nameof(Eval_only_run_vis_labels_evaluation_settings_and_task_prompts));
    }

    [Fact]
    public void Eval_only_run_and_vis_labels_in_tables()
    {
        AssertGoldenAndClean(GeneratorHarness.Compile(Inputs.EvalOnly(20)), "Lab.EvalOnlySweep", nameof(Eval_only_run_and_vis_labels_in_tables));
    }

    [Fact]
    public void More_than_sixteen_runs_as_tables()
    {
        AssertGoldenAndClean(GeneratorHarness.Compile(Inputs.MixedColumns), "Lab.Mixed", nameof(More_than_sixteen_runs_as_tables));
    }

    [Fact]
    public void Nested_and_global_namespace_records_and_the_catalogue()
    {
        Compilation input = GeneratorHarness.Compile(
            new GeneratorHarness.Source(Inputs.Nested, Inputs.NestedPath),
            new GeneratorHarness.Source(Inputs.GlobalNamespace, "GlobalSingle.cs"));
        (GeneratorRunResult run, Compilation output) = GeneratorHarness.Generate(input);

        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Equal(
            ["ExperimentDsl.Generated.ExperimentCatalog.g.cs", "GlobalSingle.g.cs", "Lab.Vision.Outer.Inner.g.cs"],
            run.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Golden.Match(GeneratorHarness.Generated(run, "Lab.Vision.Outer.Inner"), "GeneratorOutputTests.Nested");
        Golden.Match(GeneratorHarness.Generated(run, "GlobalSingle"), "GeneratorOutputTests.GlobalNamespace");
        Golden.Match(GeneratorHarness.Generated(run, "ExperimentDsl.Generated.ExperimentCatalog"), "GeneratorOutputTests.Catalog");
    }

    [Fact]
    public void Catalogue_is_emitted_empty_when_there_is_no_experiment()
    {
        (GeneratorRunResult run, Compilation output) = GeneratorHarness.Generate(GeneratorHarness.Compile("public record NotAnExperiment;"));

        Assert.Empty(GeneratorHarness.Problems(output));
        string catalog = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("internal static class ExperimentCatalog", catalog, StringComparison.Ordinal);
        Assert.Contains("All { get; } = global::System.Array.Empty<global::ExperimentDsl.ExperimentPlan>();", catalog, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_input_gives_the_same_bytes_under_any_culture()
    {
        CSharpInput input = new(GeneratorHarness.Compile(Inputs.TwoAxisDefaultNames));
        string invariant = GeneratorHarness.Generated(GeneratorHarness.Generate(input.Compilation, "en-US").Run, "Lab.Grid");

        Assert.Equal(invariant, GeneratorHarness.Generated(GeneratorHarness.Generate(input.Compilation, "fi-FI").Run, "Lab.Grid"));
        Assert.Equal(invariant, GeneratorHarness.Generated(GeneratorHarness.Generate(input.Compilation, "tr-TR").Run, "Lab.Grid"));
    }

    private static void AssertGoldenAndClean(Compilation input, string hintPrefix, string golden)
    {
        (GeneratorRunResult run, Compilation output) = GeneratorHarness.Generate(input);

        Assert.Empty(GeneratorHarness.Problems(output));
        Golden.Match(GeneratorHarness.Generated(run, hintPrefix + ".g.cs"), "GeneratorOutputTests." + golden);
    }

    private sealed record CSharpInput(Compilation Compilation);
}
