using ExperimentDsl.Generators.Models;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// [EvalOnly], [VisLabel], [Evaluation] and task prompts are part of the cached spec as plain data: an
/// unrelated edit reuses everything, and editing one of them reruns only its experiment.
/// </summary>
public sealed class EvalOnlyIncrementalityTests
{
    private const string EvalOnlyFile = "/repo/lab/EvalOnly.cs";
    private const string GridFile = "/repo/lab/Grid.cs";

    [Fact]
    public void Unrelated_edit_reuses_every_step_of_an_experiment_with_the_new_attributes()
    {
        (GeneratorDriver driver, CSharpCompilation first) = FirstRun();

        CSharpCompilation second = first.AddSyntaxTrees(GeneratorHarness.Parse("internal sealed class Unrelated { public int X => 1; }", "/repo/Unrelated.cs"));
        GeneratorRunResult run = driver.RunGenerators(second).GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.Extract, TrackingNames.Experiments, TrackingNames.CatalogEntries })
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

    [Theory]
    [InlineData("\"rank 8\"", "\"rank eight\"", "VisLabel = \"rank eight\"")]
    [InlineData("\"/scratch/ck/earlier/epoch_1\"", "\"/scratch/ck/earlier/epoch_0\"", "\"/scratch/ck/earlier/epoch_0\")")]
    [InlineData("MaxTokens = 64", "MaxTokens = 32", "MaxTokens = 32,")]
    [InlineData("Prompt = \"Capitalize: {input}\"", "Prompt = \"Capitalize this: {input}\"", "Prompt: \"Capitalize this: {input}\"")]
    public void Editing_one_of_them_reruns_only_that_experiment(string before, string after, string generated)
    {
        (GeneratorDriver driver, CSharpCompilation first) = FirstRun();
        SyntaxTree old = first.SyntaxTrees.Single(t => t.FilePath == EvalOnlyFile);
        string edited = Inputs.EvalOnly(2).Replace(before, after, StringComparison.Ordinal);
        Assert.NotEqual(Inputs.EvalOnly(2), edited);

        GeneratorRunResult run = driver.RunGenerators(first.ReplaceSyntaxTree(old, GeneratorHarness.Parse(edited, EvalOnlyFile))).GetRunResult().Results.Single();

        var reasons = run.TrackedSteps[TrackingNames.Experiments].SelectMany(s => s.Outputs)
            .ToDictionary(o => ((ExperimentSpec)o.Value).MetadataName, o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, reasons["Lab.EvalOnlySweep"]);
        Assert.True(reasons["Lab.Grid"] is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"grid {reasons["Lab.Grid"]}");
        Assert.Contains(generated, run.GeneratedSources.Single(s => s.HintName == "Lab.EvalOnlySweep.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        Assert.Single(run.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        CSharpCompilation first = GeneratorHarness.Compile(
            new GeneratorHarness.Source(Inputs.EvalOnly(2), EvalOnlyFile),
            new GeneratorHarness.Source(Inputs.TwoAxisDefaultNames, GridFile));
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGenerators(first);
        Assert.Equal(3, driver.GetRunResult().GeneratedTrees.Length);
        return (driver, first);
    }
}
