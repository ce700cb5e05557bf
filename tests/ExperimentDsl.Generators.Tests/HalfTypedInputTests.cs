using System.Collections.Immutable;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// Every keystroke state of an experiment reaches the generator and the analyzer in the IDE. None may
/// throw: broken input gives no output or a diagnostic, never AD0001 or CS8785.
/// </summary>
public sealed class HalfTypedInputTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        string seed = Infrastructure.Inputs.Seed;

        // The seed cut at many offsets: every prefix is a state the editor passes through.
        for (int cut = 40; cut < seed.Length; cut += 37)
        {
            data.Add($"seed cut at {cut}", seed.Substring(0, cut));
        }

        string[] garbled =
        [
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep(] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep(8, ] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment(] public partial record E { }""",
            """[ExperimentDsl.Experiment] public partial record E { }""",
            """[ExperimentDsl.Experiment(42)] public partial record E { }""",
            """[ExperimentDsl.Experiment("x", "y")] public partial record E { }""",
            """[ExperimentDsl.Experiment(null)] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep(8, 16)] public Unknown LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep(Missing.Value)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep(8, 16)] public int LoraRank { get; init; } = ; }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep(8, 16) public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.RunName()] public partial record E { [ExperimentDsl.Sweep(8, 16)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.RunName(null)] public partial record E { [ExperimentDsl.Sweep(8, 16)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.RunName("{")] public partial record E { [ExperimentDsl.Sweep(8, 16)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.RunName("}{}{{")] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.Paired(null)] public partial record E { [ExperimentDsl.Sweep(8, 16)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.Paired(nameof(Nothing))] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.Exclude(null)] public partial record E { [ExperimentDsl.Sweep(8, 16)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.ExtraRun(null, null)] public partial record E { [ExperimentDsl.Sweep(8, 16)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.ExtraRun("LoraRank", new object[0])] public partial record E { [ExperimentDsl.Sweep(8, 16)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalTask(] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalTask(null, null, Epochs = null, Runs = null)] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalTask("t", "t.py", Epochs = new[] { 1, }, Unknown = 3)] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalEpochs(null)] [ExperimentDsl.EvalTask("t", "t.py")] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalEpochs((ExperimentDsl.EpochSelection)7)] [ExperimentDsl.EvalTask("t", "t.py")] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.Control((ExperimentDsl.Model)99)] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.Control(] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalOnly(] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalOnly("a", ExperimentDsl.Model.)] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalOnly(null, (ExperimentDsl.Model)99, null)] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalOnly("a", ExperimentDsl.Model.Qwen2_5_3B, "/ck")] [ExperimentDsl.EvalTask("t", "t.py", Runs = new[] { "a" })] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.VisLabel(] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.VisLabel(null, null)] [ExperimentDsl.VisLabel(null, "b")] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.Evaluation(Temperature = )] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.Evaluation(Temperature = double.PositiveInfinity, MaxTokens = int.MinValue, Unknown = 1)] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalTask("t", "t.py", Prompt = null, SystemPrompt = null)] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] [ExperimentDsl.EvalTask("t", "t.py", Prompt = "{input")] public partial record E { }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep((ExperimentDsl.Model)42)] public ExperimentDsl.Model Model { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep(typeof(int), new[] { 1 })] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep(8)] public int this[int i] => i; }""",
            """[ExperimentDsl.Experiment("x")] public partial record E<T> { [ExperimentDsl.Sweep(8)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] public partial record struct S { [ExperimentDsl.Sweep(8)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] public partial interface I { }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { public int LoraRank { get; init; } = int.MaxValue + 1; }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { public double LearningRate { get; init; } = double.NaN; public ExperimentDsl.Model Model { get; init; } = (ExperimentDsl.Model)77; }""",
            """[ExperimentDsl.Experiment("x")] public partial record E { [ExperimentDsl.Sweep(8, 16)] public int LoraRank { get; init; } [ExperimentDsl.Sweep(1)] public int LoraRank { get; init; } }""",
            """[ExperimentDsl.Experiment("x")] partial record E { [ExperimentDsl.Sweep(8, 16)] int LoraRank { get; init; } } partial record E { public int Epochs { get; init; } = 2; }""",
            """[ExperimentDsl.Experiment("x")] public partial record E : E { }""",
            """namespace N { [ExperimentDsl.Experiment("x")] public partial record""",
            """[ExperimentDsl.Experiment("x")] partial record E { } [ExperimentDsl.Experiment("y")] partial record E { }""",
            """[ExperimentDsl.Experiment("x"), ExperimentDsl.Experiment("y")] partial record E { }""",
        ];
        for (int i = 0; i < garbled.Length; i++)
        {
            data.Add($"garbled {i}", garbled[i]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Neither_generator_nor_analyzer_throws(string label, string source)
    {
        Compilation input = GeneratorHarness.Compile(source);

        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        Assert.True(run.Exception is null, $"{label}: generator threw {run.Exception}");
        Assert.Empty(generatorDiagnostics);

        // Whatever the generator emitted must not add errors of its own beyond the input's.
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Id is "CS8785" or "CS8784");

        (ImmutableArray<Diagnostic> diagnostics, IReadOnlyList<Exception> exceptions) = await GeneratorHarness.Analyze(output);
        Assert.True(exceptions.Count == 0, $"{label}: analyzer threw {string.Join("\n", exceptions)}");
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }

    [Fact]
    public void Generated_code_of_a_half_typed_seed_never_adds_errors_in_generated_files()
    {
        string seed = Infrastructure.Inputs.Seed;
        for (int cut = 40; cut < seed.Length; cut += 11)
        {
            Compilation input = GeneratorHarness.Compile(seed.Substring(0, cut));
            NewDriverRun(input, out Compilation output);
            var generatedErrors = output.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
                .ToList();
            Assert.True(generatedErrors.Count == 0, $"cut {cut}: {string.Join("\n", generatedErrors)}");
        }
    }

    private static void NewDriverRun(Compilation input, out Compilation output) =>
        GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out output, out _);
}
