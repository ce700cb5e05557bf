using ExperimentDsl.CodeFixes.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace ExperimentDsl.CodeFixes.Tests;

public sealed class MakePartialTests
{
    [Fact]
    public async Task Adds_partial_after_the_access_modifier()
    {
        const string source = """
            using ExperimentDsl;

            namespace Sweeps;

            [Experiment("rank_sweep")]
            public record {|EXD001:RankSweep|}
            {
                [Sweep(8, 16)]
                public int LoraRank { get; init; }
            }
            """;
        const string fixedSource = """
            using ExperimentDsl;

            namespace Sweeps;

            [Experiment("rank_sweep")]
            public partial record RankSweep
            {
                [Sweep(8, 16)]
                public int LoraRank { get; init; }
            }
            """;

        await new FixTest<MakePartialCodeFix>(source, fixedSource).RunAsync();
    }

    [Fact]
    public async Task Keeps_the_indentation_when_the_type_has_no_modifiers()
    {
        const string source = """
            using ExperimentDsl;

            namespace Sweeps
            {
                [Experiment("rank_sweep")]
                record {|EXD001:RankSweep|}
                {
                    [Sweep(8, 16)]
                    public int LoraRank { get; init; }
                }
            }
            """;
        const string fixedSource = """
            using ExperimentDsl;

            namespace Sweeps
            {
                [Experiment("rank_sweep")]
                partial record RankSweep
                {
                    [Sweep(8, 16)]
                    public int LoraRank { get; init; }
                }
            }
            """;

        await new FixTest<MakePartialCodeFix>(source, fixedSource).RunAsync();
    }

    [Fact]
    public async Task Makes_the_containing_types_partial_too()
    {
        const string source = """
            using ExperimentDsl;

            namespace Sweeps;

            public static class {|EXD001:Paper|}
            {
                public sealed class {|EXD001:Section3|}
                {
                    [Experiment("rank_sweep")]
                    public sealed record {|EXD001:RankSweep|}
                    {
                        [Sweep(8, 16)]
                        public int LoraRank { get; init; }
                    }
                }
            }
            """;
        const string fixedSource = """
            using ExperimentDsl;

            namespace Sweeps;

            public static partial class Paper
            {
                public sealed partial class Section3
                {
                    [Experiment("rank_sweep")]
                    public sealed partial record RankSweep
                    {
                        [Sweep(8, 16)]
                        public int LoraRank { get; init; }
                    }
                }
            }
            """;

        // The analyzer reports the containing types' EXD001 while visiting the experiment's
        // declaration, outside that node: a "non-local" diagnostic the harness would refuse to fix.
        // The fix itself only edits the document that holds all three declarations.
        await new FixTest<MakePartialCodeFix>(source, fixedSource)
        {
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        }.RunAsync();
    }
}
