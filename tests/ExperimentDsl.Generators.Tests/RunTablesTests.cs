using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using ExperimentDsl.Generators.Emit;
using ExperimentDsl.Generators.Models;
using ExperimentDsl.Generators.Planning;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// Large experiments are emitted as tables and loops, so the first use of their plan does not make
/// the JIT compile one expression per run; the values are exactly those the written-out form gives.
/// </summary>
public sealed class RunTablesTests
{
    private const int Ranks = 10;
    private const int Rates = 10;
    private const int Seeds = 10;

    private static readonly string[] RateTexts = ["1e-5", "2e-5", "3e-5", "5e-5", "7e-5", "1e-4", "2e-4", "3e-4", "5e-4", "1e-3"];

    /// <summary>
    /// 10 x 10 x 10 runs with one combination excluded (10 seeds), an extra run that changes a fixed
    /// member, two tasks at epochs 0 and 1 (the second limited to two runs) and two controls.
    /// </summary>
    private static readonly string BigGrid = $$"""
        using ExperimentDsl;

        namespace Lab;

        [Experiment("big_grid")]
        [RunName("r{LoraRank}_lr{LearningRate}_seed{Seed}_e{Epochs}")]
        [Exclude(nameof(LoraRank), 4, nameof(LearningRate), 5e-5)]
        [ExtraRun(nameof(LoraRank), 256, nameof(Epochs), 3)]
        [Control]
        [Control(Model.Mistral_7B_Instruct_v0_1)]
        [EvalEpochs(0, 1)]
        [EvalTask("capitalization", "tasks/capitalization.py")]
        [EvalTask("reasoning", "tasks/reasoning.py", Runs = new[] { "r2_lr1e-5_seed1_e2", "r256_lr1e-5_seed1_e3" }, Controls = false)]
        public partial record BigGrid
        {
            public Model Model { get; init; } = Model.Llama_3_2_1B_Instruct;

            [Sweep({{string.Join(", ", Enumerable.Range(1, Ranks).Select(Rank))}})]
            public int LoraRank { get; init; }

            [Sweep({{string.Join(", ", RateTexts)}})]
            public double LearningRate { get; init; }

            [Sweep({{string.Join(", ", Enumerable.Range(1, Seeds))}})]
            public int Seed { get; init; }

            public int Epochs { get; init; } = 2;

            public string Dataset { get; init; } = "data/capitalization.json";
        }
        """;

    [Fact]
    public void A_1000_run_grid_is_emitted_as_tables_without_an_expression_per_run()
    {
        (GeneratorRunResult run, Compilation output) = GeneratorHarness.Generate(GeneratorHarness.Compile(BigGrid));
        Assert.Empty(GeneratorHarness.Problems(output));
        string generated = GeneratorHarness.Generated(run, "Lab.BigGrid");

        Assert.Equal(1, CompactModelTests.Occurrences(generated, "new global::ExperimentDsl.Run<global::Lab.BigGrid>("));
        Assert.Equal(1, CompactModelTests.Occurrences(generated, "new global::ExperimentDsl.PlannedRun("));
        Assert.Equal(1, CompactModelTests.Occurrences(generated, "new global::ExperimentDsl.EvalCell("));
        Assert.Equal(4, CompactModelTests.Occurrences(generated, "new global::ExperimentDsl.AxisValue("));
        Assert.Equal(ExpectedNames(), RunNameLines(generated));

        // Per run: its name, an index per member and the evaluation indices; written out it was ~900 bytes.
        int runs = ExpectedNames().Count;
        Assert.True(generated.Length < 100 * runs, $"{generated.Length} bytes for {runs} runs");
    }

    [Fact]
    public void A_large_grid_with_an_exclusion_an_extra_run_and_controls_has_exactly_the_declared_runs_and_evaluations()
    {
        (_, Compilation output) = GeneratorHarness.Generate(GeneratorHarness.Compile(BigGrid));

        GeneratedAssembly.Use(output, assembly =>
        {
            Type type = assembly.GetType("Lab.BigGrid")!;
            var plan = (ExperimentPlan)type.GetProperty("Plan")!.GetValue(null)!;
            List<string> names = ExpectedNames();

            Assert.Equal(["LoraRank", "LearningRate", "Seed", "Epochs"], plan.VaryingAxes);
            Assert.Equal(names, plan.Runs.Select(r => r.Name));
            Assert.Equal(names, Runs(type).Select(r => r.Name));
            for (int i = 0; i < names.Count; i++)
            {
                (int rank, string rate, int seed, int epochs) = Parse(names[i]);
                double learningRate = double.Parse(rate, CultureInfo.InvariantCulture);
                object definition = Runs(type)[i].Definition;
                Assert.Equal((rank, learningRate, seed, epochs), ((int)Member(definition, "LoraRank"), (double)Member(definition, "LearningRate"), (int)Member(definition, "Seed"), (int)Member(definition, "Epochs")));
                Assert.Equal(
                    new RunSettings { Model = Model.Llama_3_2_1B_Instruct, LoraRank = rank, LearningRate = learningRate, Seed = seed, Epochs = epochs, Dataset = "data/capitalization.json" },
                    plan.Runs[i].Settings);
                Assert.Equal(
                    [new AxisValue("LoraRank", rank.ToString(CultureInfo.InvariantCulture)), new AxisValue("LearningRate", rate), new AxisValue("Seed", seed.ToString(CultureInfo.InvariantCulture)), new AxisValue("Epochs", epochs.ToString(CultureInfo.InvariantCulture))],
                    plan.Runs[i].AxisValues);
            }

            var expectedCells = names.SelectMany(n => new[] { 0, 1 }.Select(e => new EvalCell(n, "capitalization", e))
                    .Concat(n is "r2_lr1e-5_seed1_e2" or "r256_lr1e-5_seed1_e3" ? new[] { 0, 1 }.Select(e => new EvalCell(n, "reasoning", e)) : []))
                .Concat([new EvalCell("Llama-3.2-1B-Instruct", "capitalization", null), new EvalCell("Mistral-7B-Instruct-v0.1", "capitalization", null)]);
            Assert.Equal(expectedCells, plan.Evaluations);
            Assert.Equal(plan.Evaluations, (IReadOnlyList<EvalCell>)type.GetProperty("Evaluations")!.GetValue(null)!);
            Assert.Equal(["Llama-3.2-1B-Instruct", "Mistral-7B-Instruct-v0.1"], plan.Controls.Select(c => c.Name));
            Assert.Equal(plan.Runs[0].Settings with { Model = Model.Mistral_7B_Instruct_v0_1 }, plan.Controls[1].Settings);
        });
    }

    /// <summary>The experiments compared in both forms: source and type name, by a short name the test report shows.</summary>
    private static readonly Dictionary<string, (string Source, string TypeName)> Compared = new()
    {
        ["seed"] = (Inputs.Seed, "Capitalization.CapitalizationSweep"),
        ["two axes"] = (Inputs.TwoAxisDefaultNames, "Lab.Grid"),
        ["paired"] = (Inputs.Paired, "Lab.PairedSweep"),
        ["exclude and extra runs"] = (Inputs.ExcludeAndExtraRuns, "Lab.ExcludeExtra"),
        ["controls and evaluations"] = (Inputs.ControlsAndEvals, "Lab.ControlsEvals"),
        ["nested"] = (Inputs.Nested, "Lab.Vision.Outer+Inner"),
        ["single run"] = (Inputs.GlobalNamespace, "GlobalSingle"),
        ["big grid"] = (BigGrid, "Lab.BigGrid"),
        ["mixed columns"] = (Inputs.MixedColumns, "Lab.Mixed"),
    };

    public static TheoryData<string> Experiments() => new(Compared.Keys);

    [Theory]
    [MemberData(nameof(Experiments))]
    public void Tables_give_the_same_runs_plan_and_evaluations_as_every_run_written_out(string experiment)
    {
        (string source, string typeName) = Compared[experiment];
        CSharpCompilation input = GeneratorHarness.Compile(source, experiment == "seed" ? Inputs.SeedPath : "/repo/Experiments/Experiment.cs");
        GeneratorRunResult run = GeneratorHarness.NewDriver().RunGenerators(input).GetRunResult().Results.Single();
        var spec = (ExperimentSpec)run.TrackedSteps[TrackingNames.Experiments].SelectMany(s => s.Outputs).Single().Value;
        ExperimentModel model = RunExpansion.Expand(spec, int.MaxValue, reporter: null, CancellationToken.None)!;
        RunTables? tables = RunTables.From(model);
        Assert.NotNull(tables);

        List<object> written = Dump(input, ExperimentEmitter.Emit(model, tables: null), typeName);
        List<object> tabled = Dump(input, ExperimentEmitter.Emit(model, tables), typeName);

        Assert.Equal(written, tabled);
        Assert.Equal(model.Runs.Count, written.OfType<(string, RunSettings, string)>().Count());
    }

    [Fact]
    public void Small_experiments_keep_every_run_written_out()
    {
        (GeneratorRunResult run, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(Inputs.Seed, Inputs.SeedPath));
        string generated = GeneratorHarness.Generated(run, "Capitalization.CapitalizationSweep");

        Assert.Equal(4, CompactModelTests.Occurrences(generated, "new global::ExperimentDsl.PlannedRun("));
        Assert.DoesNotContain(TableEmitter.ClassName, generated, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_that_do_not_share_one_shape_are_written_out_one_by_one()
    {
        ExperimentModel uniform = HandMadeModel(i => [new Assignment("LoraRank", Number(i)), new Assignment("Epochs", "2")]);
        Assert.NotNull(RunTables.From(uniform));

        var odd = new Dictionary<string, ExperimentModel>
        {
            ["a run leaves a member unassigned"] = HandMadeModel(i => i == 19 ? [new Assignment("LoraRank", Number(i))] : [new Assignment("LoraRank", Number(i)), new Assignment("Epochs", "2")]),
            ["a run assigns another member"] = HandMadeModel(i => [new Assignment("LoraRank", Number(i)), new Assignment(i == 7 ? "Seed" : "Epochs", "2")]),
            ["a member's values have different types"] = HandMadeModel(i => [new Assignment("LoraRank", i == 3 ? "3L" : Number(i)), new Assignment("Epochs", "2")]),
            ["a name holds a line break"] = uniform with { Runs = uniform.Runs.Select((r, i) => i == 5 ? r with { Name = "r\nx" } : r).ToEquatableArray() },
        };

        foreach ((string why, ExperimentModel model) in odd)
        {
            Assert.True(RunTables.From(model) is null, why);
            string generated = ExperimentEmitter.Emit(model);
            Assert.True(CompactModelTests.Occurrences(generated, "new global::ExperimentDsl.PlannedRun(") == 20, why);
            Assert.DoesNotContain(TableEmitter.ClassName, generated, StringComparison.Ordinal);
        }
    }

    /// <summary>A 20-run model (enough for tables) whose runs assign what <paramref name="assignments"/> says.</summary>
    private static ExperimentModel HandMadeModel(Func<int, Assignment[]> assignments) => new(
        "Lab.Hand", "Lab", EquatableArray<string>.Empty, "Hand", "global::Lab.Hand", "Lab.Hand", "hand", null, "r{LoraRank}",
        new[] { "LoraRank" }.ToEquatableArray(), new[] { "LoraRank", "Epochs" }.ToEquatableArray(),
        Enumerable.Range(0, 20).Select(i => new RunModel("r" + Number(i), assignments(i).ToEquatableArray(), new[] { new AxisText("LoraRank", Number(i)) }.ToEquatableArray())).ToEquatableArray(),
        EquatableArray<ControlModel>.Empty, EquatableArray<TaskModel>.Empty, EquatableArray<EvalCellModel>.Empty,
        EquatableArray<EvalOnlyModel>.Empty, EvaluationModel.None);

    private static string Number(int i) => i.ToString(CultureInfo.InvariantCulture);

    /// <summary>The run names in the generated <c>RunNameLines</c> verbatim string.</summary>
    internal static string[] RunNameLines(string generated)
    {
        int start = generated.IndexOf("@\"", generated.IndexOf("const string RunNameLines", StringComparison.Ordinal), StringComparison.Ordinal) + 2;
        var text = new StringBuilder();
        for (int i = start; generated[i] != '"' || (generated[i + 1] == '"' && ++i > 0); i++)
        {
            text.Append(generated[i]);
        }

        return text.ToString().Split('\n');
    }

    private static string Rank(int index) => (1 << index).ToString(CultureInfo.InvariantCulture);

    /// <summary>The names in plan order: the grid (LoraRank outermost, Seed fastest) without the exclusion, then the extra run.</summary>
    private static List<string> ExpectedNames()
    {
        var names = new List<string>();
        for (int r = 1; r <= Ranks; r++)
        {
            foreach (string rate in RateTexts)
            {
                for (int seed = 1; seed <= Seeds; seed++)
                {
                    if (!(Rank(r) == "4" && rate == "5e-5"))
                    {
                        names.Add("r" + Rank(r) + "_lr" + rate + "_seed" + seed.ToString(CultureInfo.InvariantCulture) + "_e2");
                    }
                }
            }
        }

        names.Add("r256_lr1e-5_seed1_e3");
        return names;
    }

    private static (int Rank, string Rate, int Seed, int Epochs) Parse(string name)
    {
        string[] parts = name.Split('_');
        return (int.Parse(parts[0][1..], CultureInfo.InvariantCulture), parts[1][2..], int.Parse(parts[2][4..], CultureInfo.InvariantCulture), int.Parse(parts[3][1..], CultureInfo.InvariantCulture));
    }

    private static List<(string Name, object Definition)> Runs(Type type) =>
        ((IEnumerable)type.GetProperty("Runs")!.GetValue(null)!).Cast<object>()
            .Select(r => ((string)Member(r, "Name"), Member(r, "Definition")))
            .ToList();

    private static object Member(object value, string name) => value.GetType().GetProperty(name)!.GetValue(value)!;

    /// <summary>Everything a user of the experiment can read: the plan, each run's name and definition, the evaluations.</summary>
    private static List<object> Dump(CSharpCompilation input, string generated, string typeName)
    {
        var dump = new List<object>();
        GeneratedAssembly.Use(input.AddSyntaxTrees(GeneratorHarness.Parse(generated, "Generated.g.cs")), assembly =>
        {
            Type type = assembly.GetType(typeName)!;
            var plan = (ExperimentPlan)type.GetProperty("Plan")!.GetValue(null)!;
            dump.AddRange([plan.Name, plan.Source, plan.BaseDirectory ?? "null", plan.RunNamePattern, string.Join("|", plan.VaryingAxes)]);
            dump.AddRange(plan.Runs.Select(r => (object)(r.Name, r.Settings, string.Join("|", r.AxisValues))));
            dump.AddRange(Runs(type).Select(r => (object)(r.Name, Invariant(r.Definition))));
            dump.AddRange(plan.Controls.Select(c => (object)(c.Name, c.Settings)));
            dump.AddRange(plan.Tasks);
            dump.AddRange(plan.Evaluations);
            dump.AddRange((IReadOnlyList<EvalCell>)type.GetProperty("Evaluations")!.GetValue(null)!);
        });

        return dump;
    }

    /// <summary>A definition's public properties with their values, numbers written exactly.</summary>
    private static string Invariant(object definition) => string.Join(", ", definition.GetType()
        .GetProperties(BindingFlags.Instance | BindingFlags.Public)
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .Select(p => p.Name + " = " + (p.GetValue(definition) switch
        {
            null => "null",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var v => v.ToString(),
        })));
}
