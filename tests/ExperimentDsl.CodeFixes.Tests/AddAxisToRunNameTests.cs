using ExperimentDsl.CodeFixes.Tests.Infrastructure;

namespace ExperimentDsl.CodeFixes.Tests;

public sealed class AddAxisToRunNameTests
{
    private const string Record = """

        public partial record CapSweep
        {
            [Sweep(8, 16)]
            public int LoraRank { get; init; }

            [Sweep(1e-5, 5e-5)]
            public double LearningRate { get; init; }
        }
        """;

    [Fact]
    public async Task Appends_the_omitted_axis_to_the_pattern()
    {
        string source = """
            using ExperimentDsl;

            [Experiment("cap_sweep")]
            [RunName({|#0:"r{LoraRank}"|})]
            """ + Record;
        string fixedSource = """
            using ExperimentDsl;

            [Experiment("cap_sweep")]
            [RunName("r{LoraRank}_{LearningRate}")]
            """ + Record;

        var test = new FixTest<AddAxisToRunNameCodeFix>(source, fixedSource);
        test.ExpectedDiagnostics.Add(FixTest<AddAxisToRunNameCodeFix>.Diagnostic("EXD008").WithLocation(0)
            .WithArguments("r8", "#1 (LoraRank=8, LearningRate=1e-5), #2 (LoraRank=8, LearningRate=5e-5)"));
        test.ExpectedDiagnostics.Add(FixTest<AddAxisToRunNameCodeFix>.Diagnostic("EXD008").WithLocation(0)
            .WithArguments("r16", "#3 (LoraRank=16, LearningRate=1e-5), #4 (LoraRank=16, LearningRate=5e-5)"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("@\"r{LoraRank}\"", "@\"r{LoraRank}_{LearningRate}\"")]
    [InlineData("\"\"\"r{LoraRank}\"\"\"", "\"\"\"r{LoraRank}_{LearningRate}\"\"\"")]
    public async Task Keeps_the_form_of_the_string_literal(string pattern, string fixedPattern)
    {
        string source = "using ExperimentDsl;\n\n[Experiment(\"cap_sweep\")]\n[RunName({|#0:" + pattern + "|})]" + Record;
        string fixedSource = "using ExperimentDsl;\n\n[Experiment(\"cap_sweep\")]\n[RunName(" + fixedPattern + ")]" + Record;

        var test = new FixTest<AddAxisToRunNameCodeFix>(source, fixedSource);
        test.ExpectedDiagnostics.Add(FixTest<AddAxisToRunNameCodeFix>.Diagnostic("EXD008").WithLocation(0).WithArguments("r8", "#1 (LoraRank=8, LearningRate=1e-5), #2 (LoraRank=8, LearningRate=5e-5)"));
        test.ExpectedDiagnostics.Add(FixTest<AddAxisToRunNameCodeFix>.Diagnostic("EXD008").WithLocation(0).WithArguments("r16", "#3 (LoraRank=16, LearningRate=1e-5), #4 (LoraRank=16, LearningRate=5e-5)"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData(0, "Seed", "lr{LearningRate}_{Seed}")]
    [InlineData(1, "LoraRank", "lr{LearningRate}_{LoraRank}")]
    public async Task Offers_each_omitted_axis_in_declaration_order(int index, string member, string fixedPattern)
    {
        const string body = """

            public partial record ThreeAxes
            {
                [Sweep(1, 2)]
                public int Seed { get; init; }

                [Sweep(8, 16)]
                public int LoraRank { get; init; }

                [Sweep(1e-5, 5e-5)]
                public double LearningRate { get; init; }
            }
            """;
        string source = "using ExperimentDsl;\n\n[Experiment(\"three\")]\n[RunName({|#0:\"lr{LearningRate}\"|})]" + body;
        string fixedSource = "using ExperimentDsl;\n\n[Experiment(\"three\")]\n[RunName({|#0:\"" + fixedPattern + "\"|})]" + body;

        var test = new FixTest<AddAxisToRunNameCodeFix>(source, fixedSource)
        {
            CodeActionIndex = index,
            CodeActionEquivalenceKey = "ExperimentDsl.AddAxisToRunName." + member,
            NumberOfIncrementalIterations = 1,
            NumberOfFixAllIterations = 0,
        };
        // Before: the four runs of each learning rate share a name.
        test.ExpectedDiagnostics.Add(FixTest<AddAxisToRunNameCodeFix>.Diagnostic("EXD008").WithLocation(0).WithArguments(
            "lr1e-5", "#1 (Seed=1, LoraRank=8, LearningRate=1e-5), #3 (Seed=1, LoraRank=16, LearningRate=1e-5), #5 (Seed=2, LoraRank=8, LearningRate=1e-5), #7 (Seed=2, LoraRank=16, LearningRate=1e-5)"));
        test.ExpectedDiagnostics.Add(FixTest<AddAxisToRunNameCodeFix>.Diagnostic("EXD008").WithLocation(0).WithArguments(
            "lr5e-5", "#2 (Seed=1, LoraRank=8, LearningRate=5e-5), #4 (Seed=1, LoraRank=16, LearningRate=5e-5), #6 (Seed=2, LoraRank=8, LearningRate=5e-5), #8 (Seed=2, LoraRank=16, LearningRate=5e-5)"));
        // After one fix the other omitted axis still collides; the diagnostic says which runs.
        test.FixedState.ExpectedDiagnostics.AddRange(AfterOneFix(member));
        await test.RunAsync();
    }

    [Fact]
    public async Task Offers_nothing_when_the_collision_is_between_controls()
    {
        const string source = """
            using ExperimentDsl;

            [Experiment("controls")]
            [RunName("r{LoraRank}")]
            [Control]
            [{|EXD008:Control|}]
            public partial record Controls
            {
                [Sweep(8, 16)]
                public int LoraRank { get; init; }
            }
            """;

        await new FixTest<AddAxisToRunNameCodeFix>(source, source).RunAsync();
    }

    /// <summary>What the user still sees after adding one of the two omitted axes.</summary>
    private static IEnumerable<Microsoft.CodeAnalysis.Testing.DiagnosticResult> AfterOneFix(string member) => member switch
    {
        "Seed" =>
        [
            Collision("lr1e-5_1", "#1 (Seed=1, LoraRank=8, LearningRate=1e-5), #3 (Seed=1, LoraRank=16, LearningRate=1e-5)"),
            Collision("lr1e-5_2", "#5 (Seed=2, LoraRank=8, LearningRate=1e-5), #7 (Seed=2, LoraRank=16, LearningRate=1e-5)"),
            Collision("lr5e-5_1", "#2 (Seed=1, LoraRank=8, LearningRate=5e-5), #4 (Seed=1, LoraRank=16, LearningRate=5e-5)"),
            Collision("lr5e-5_2", "#6 (Seed=2, LoraRank=8, LearningRate=5e-5), #8 (Seed=2, LoraRank=16, LearningRate=5e-5)"),
        ],
        _ =>
        [
            Collision("lr1e-5_8", "#1 (Seed=1, LoraRank=8, LearningRate=1e-5), #5 (Seed=2, LoraRank=8, LearningRate=1e-5)"),
            Collision("lr1e-5_16", "#3 (Seed=1, LoraRank=16, LearningRate=1e-5), #7 (Seed=2, LoraRank=16, LearningRate=1e-5)"),
            Collision("lr5e-5_8", "#2 (Seed=1, LoraRank=8, LearningRate=5e-5), #6 (Seed=2, LoraRank=8, LearningRate=5e-5)"),
            Collision("lr5e-5_16", "#4 (Seed=1, LoraRank=16, LearningRate=5e-5), #8 (Seed=2, LoraRank=16, LearningRate=5e-5)"),
        ],
    };

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Collision(string name, string runs) =>
        FixTest<AddAxisToRunNameCodeFix>.Diagnostic("EXD008").WithLocation(0).WithArguments(name, runs);
}
