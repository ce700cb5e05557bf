using ExperimentDsl.CodeFixes.Tests.Infrastructure;

namespace ExperimentDsl.CodeFixes.Tests;

public sealed class RemoveDuplicateSweepValueTests
{
    [Fact]
    public async Task Removes_the_repeated_argument_and_keeps_the_first()
    {
        const string source = """
            using ExperimentDsl;

            [Experiment("rank_sweep")]
            public partial record RankSweep
            {
                [Sweep(8, 16, {|EXD006:8|}, 32)]
                public int LoraRank { get; init; }
            }
            """;
        const string fixedSource = """
            using ExperimentDsl;

            [Experiment("rank_sweep")]
            public partial record RankSweep
            {
                [Sweep(8, 16, 32)]
                public int LoraRank { get; init; }
            }
            """;

        await new FixTest<RemoveDuplicateSweepValueCodeFix>(source, fixedSource).RunAsync();
    }

    [Fact]
    public async Task Removes_a_repeated_last_value()
    {
        const string source = """
            using ExperimentDsl;

            [Experiment("lr_sweep")]
            public partial record LrSweep
            {
                [Sweep(1e-5, 5e-5, {|EXD006:1e-5|})]
                public double LearningRate { get; init; }
            }
            """;
        const string fixedSource = """
            using ExperimentDsl;

            [Experiment("lr_sweep")]
            public partial record LrSweep
            {
                [Sweep(1e-5, 5e-5)]
                public double LearningRate { get; init; }
            }
            """;

        await new FixTest<RemoveDuplicateSweepValueCodeFix>(source, fixedSource).RunAsync();
    }

    [Fact]
    public async Task Removes_an_element_of_an_explicit_array()
    {
        const string source = """
            using ExperimentDsl;

            [Experiment("prompt_sweep")]
            public partial record PromptSweep
            {
                [Sweep(new object[] { "terse", "verbose", {|EXD006:"terse"|} })]
                public string SystemPrompt { get; init; } = "";
            }
            """;
        const string fixedSource = """
            using ExperimentDsl;

            [Experiment("prompt_sweep")]
            public partial record PromptSweep
            {
                [Sweep(new object[] { "terse", "verbose" })]
                public string SystemPrompt { get; init; } = "";
            }
            """;

        await new FixTest<RemoveDuplicateSweepValueCodeFix>(source, fixedSource).RunAsync();
    }

    [Fact]
    public async Task Fix_all_removes_every_repeat()
    {
        // Each repeat also duplicates a run, so two collisions (r8, r16) report on [Experiment] until fixed.
        const string source = """
            using ExperimentDsl;

            [Experiment("grid")]
            public partial record Grid
            {
                [Sweep(8, {|EXD006:8|}, 16, {|EXD006:16|})]
                public int LoraRank { get; init; }
            }
            """;
        const string fixedSource = """
            using ExperimentDsl;

            [Experiment("grid")]
            public partial record Grid
            {
                [Sweep(8, 16)]
                public int LoraRank { get; init; }
            }
            """;

        await new FixTest<RemoveDuplicateSweepValueCodeFix>(source, fixedSource).RunAsync();
    }
}
