using ExperimentDsl.Generators.Models;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// The generator must do no work for edits that do not change an experiment, and only the edited
/// experiment's work for edits that do: every keystroke in the IDE runs it.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] Steps =
        [TrackingNames.Extract, TrackingNames.Experiments, TrackingNames.CatalogEntries, TrackingNames.Catalog];

    private const string SeedFile = "/repo/examples/Capitalization/CapitalizationSweep.cs";
    private const string GridFile = "/repo/lab/Grid.cs";

    [Fact]
    public void Unrelated_edit_reuses_every_step_and_output()
    {
        (GeneratorDriver driver, CSharpCompilation first) = FirstRun();

        CSharpCompilation second = first.AddSyntaxTrees(GeneratorHarness.Parse("internal sealed class Unrelated { public int X => 1; }", "/repo/Unrelated.cs"));
        GeneratorRunResult run = driver.RunGenerators(second).GetRunResult().Results.Single();

        foreach (string step in Steps)
        {
            foreach ((object value, IncrementalStepRunReason reason) in run.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}");
                ModelGraph.AssertHoldsNoRoslynObjects(value, step);
            }
        }

        Assert.All(run.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_a_sweep_value_reruns_only_that_experiment()
    {
        (GeneratorDriver driver, CSharpCompilation first) = FirstRun();
        SyntaxTree oldGrid = first.SyntaxTrees.Single(t => t.FilePath == GridFile);
        CSharpCompilation second = first.ReplaceSyntaxTree(
            oldGrid, GeneratorHarness.Parse(Inputs.TwoAxisDefaultNames.Replace("[Sweep(8, 16)]", "[Sweep(8, 32)]", StringComparison.Ordinal), GridFile));

        GeneratorRunResult run = driver.RunGenerators(second).GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.Extract, TrackingNames.Experiments })
        {
            var reasons = run.TrackedSteps[step].SelectMany(s => s.Outputs)
                .Select(o => (Model: (ExperimentSpec)o.Value, o.Reason))
                .ToDictionary(o => o.Model.MetadataName, o => o.Reason);
            Assert.Equal(IncrementalStepRunReason.Modified, reasons["Lab.Grid"]);
            Assert.True(reasons["Capitalization.CapitalizationSweep"] is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{step}: seed {reasons["Capitalization.CapitalizationSweep"]}");
        }

        Assert.Contains("r32_wd1e-5", run.GeneratedSources.Single(s => s.HintName == "Lab.Grid.g.cs").SourceText.ToString(), StringComparison.Ordinal);

        // Same experiment names: the catalogue is not rewritten.
        Assert.All(run.TrackedSteps[TrackingNames.Catalog].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"catalog {o.Reason}"));

        var sourceOutputs = run.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Single(sourceOutputs, o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void Renaming_an_experiment_rewrites_the_catalogue()
    {
        (GeneratorDriver driver, CSharpCompilation first) = FirstRun();
        SyntaxTree oldGrid = first.SyntaxTrees.Single(t => t.FilePath == GridFile);
        CSharpCompilation second = first.ReplaceSyntaxTree(
            oldGrid, GeneratorHarness.Parse(Inputs.TwoAxisDefaultNames.Replace("\"grid\"", "\"a_grid\"", StringComparison.Ordinal), GridFile));

        GeneratorRunResult run = driver.RunGenerators(second).GetRunResult().Results.Single();

        Assert.Contains(run.TrackedSteps[TrackingNames.Catalog].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        string catalog = run.GeneratedSources.Single(s => s.HintName.StartsWith("ExperimentDsl.Generated", StringComparison.Ordinal)).SourceText.ToString();
        Assert.True(catalog.IndexOf("global::Lab.Grid.Plan", StringComparison.Ordinal) < catalog.IndexOf("global::Capitalization.CapitalizationSweep.Plan", StringComparison.Ordinal),
            "a_grid sorts before cap_4L_lora_lr_sweep");
    }

    [Fact]
    public void The_graph_walk_catches_a_symbol_hidden_in_a_model()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Inputs.Seed, SeedFile);
        var leaky = new { Names = new[] { "a" }.ToEquatableArray(), Inner = new List<object?> { compilation.GetTypeByMetadataName("Capitalization.CapitalizationSweep") } };

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ModelGraph.AssertHoldsNoRoslynObjects(leaky, "leaky"));
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        CSharpCompilation first = GeneratorHarness.Compile(
            new GeneratorHarness.Source(Inputs.Seed, SeedFile),
            new GeneratorHarness.Source(Inputs.TwoAxisDefaultNames, GridFile));
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGenerators(first);
        Assert.Equal(3, driver.GetRunResult().GeneratedTrees.Length);
        return (driver, first);
    }
}
