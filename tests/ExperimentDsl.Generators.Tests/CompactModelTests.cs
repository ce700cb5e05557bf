using System.Collections;
using System.Globalization;
using System.Reflection;
using ExperimentDsl.Generators.Models;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// The generator caches what was declared, not the runs: a big sweep costs the IDE memory for its
/// axis values only, and the runs are expanded (and checked) when the declaration changes.
/// </summary>
public sealed class CompactModelTests
{
    private const string GridFile = "/repo/lab/Grid.cs";

    [Fact]
    public void A_10000_run_sweep_emits_every_run_and_caches_only_its_axis_values()
    {
        CSharpCompilation input = GeneratorHarness.Compile(Sweep(100, 100), "/repo/lab/Big.cs");
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGenerators(input);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        Assert.Null(run.Exception);

        string generated = GeneratorHarness.Generated(run, "Lab.Big");
        string[] names = RunTablesTests.RunNameLines(generated);
        Assert.Equal(10_000, names.Length);
        Assert.Equal(["r1_lr1e-6", "r100_lr1e-4"], [names[0], names[^1]]);
        Assert.Equal(1, Occurrences(generated, "new global::ExperimentDsl.PlannedRun("));
        Assert.Contains("global::Lab.Big.Plan", GeneratorHarness.Generated(run, "ExperimentDsl.Generated"), StringComparison.Ordinal);

        object cached = Assert.Single(run.TrackedSteps[TrackingNames.Experiments].SelectMany(s => s.Outputs)).Value;
        Assert.IsType<ExperimentSpec>(cached);

        // 200 axis values, a few records each; one object per run would be 10,000 or more.
        int objects = ObjectCount(cached);
        Assert.True(objects < 1_000, $"the cached model of 10,000 runs holds {objects} objects");
    }

    [Fact]
    public void An_edit_that_makes_run_names_collide_removes_the_experiment_and_its_catalogue_entry()
    {
        CSharpCompilation first = GeneratorHarness.Compile(new GeneratorHarness.Source(Inputs.TwoAxisDefaultNames, GridFile));
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGenerators(first);
        Assert.Contains(driver.GetRunResult().Results.Single().GeneratedSources, s => s.HintName == "Lab.Grid.g.cs");

        // The declaration is fine on its own; only the expanded names show the clash.
        string colliding = Inputs.TwoAxisDefaultNames.Replace("[Experiment(\"grid\")]", "[Experiment(\"grid\")]\n[RunName(\"r{LoraRank}\")]", StringComparison.Ordinal);
        CSharpCompilation second = first.ReplaceSyntaxTree(first.SyntaxTrees.Single(), GeneratorHarness.Parse(colliding, GridFile));
        GeneratorRunResult run = driver.RunGenerators(second).GetRunResult().Results.Single();

        Assert.Null(run.Exception);
        Assert.Equal(["ExperimentDsl.Generated.ExperimentCatalog.g.cs"], run.GeneratedSources.Select(s => s.HintName));
        Assert.DoesNotContain("Lab.Grid", run.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_to_an_experiment_re_emits_it_from_the_new_declaration()
    {
        CSharpCompilation first = GeneratorHarness.Compile(new GeneratorHarness.Source(Sweep(3, 2), GridFile));
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGenerators(first);

        CSharpCompilation second = first.ReplaceSyntaxTree(first.SyntaxTrees.Single(), GeneratorHarness.Parse(Sweep(3, 3), GridFile));
        GeneratorRunResult run = driver.RunGenerators(second).GetRunResult().Results.Single();

        string generated = GeneratorHarness.Generated(run, "Lab.Big");
        Assert.Equal(9, Occurrences(generated, "new global::ExperimentDsl.PlannedRun("));
        Assert.Contains("\"r3_lr3e-6\"", generated, StringComparison.Ordinal);
    }

    /// <summary>A LoRA rank x learning rate grid with <paramref name="ranks"/> x <paramref name="rates"/> runs.</summary>
    private static string Sweep(int ranks, int rates) => $$"""
        using ExperimentDsl;

        namespace Lab;

        [Experiment("big")]
        [EvalTask("capitalization", "tasks/capitalization.py")]
        public partial record Big
        {
            [Sweep({{string.Join(", ", Enumerable.Range(1, ranks).Select(i => i.ToString(CultureInfo.InvariantCulture)))}})]
            public int LoraRank { get; init; }

            [Sweep({{string.Join(", ", Enumerable.Range(1, rates).Select(i => i.ToString(CultureInfo.InvariantCulture) + "e-6"))}})]
            public double LearningRate { get; init; }
        }
        """;

    internal static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Distinct objects reachable from <paramref name="root"/> (strings included, boxed numbers too).</summary>
    private static int ObjectCount(object root)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>([root]);
        while (pending.Count > 0)
        {
            object value = pending.Pop();
            Type type = value.GetType();
            if ((!type.IsValueType && !visited.Add(value)) || value is string || type.IsPrimitive || type.IsEnum)
            {
                continue;
            }

            if (value is IEnumerable sequence)
            {
                foreach (object? item in sequence)
                {
                    if (item is not null)
                    {
                        pending.Push(item);
                    }
                }
            }

            for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.GetValue(value) is { } child)
                    {
                        pending.Push(child);
                    }
                }
            }
        }

        return visited.Count;
    }
}
