using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static ExperimentDsl.Generators.Tests.Infrastructure.AnalyzerVerifier;

namespace ExperimentDsl.Generators.Tests;

/// <summary>One test per rule: the diagnostic appears on the offending argument or member.</summary>
public sealed class AnalyzerTests
{
    [Fact]
    public Task Valid_seed_example_has_no_diagnostics() => VerifyAsync(Infrastructure.Inputs.Seed.Replace("using ExperimentDsl;", string.Empty, StringComparison.Ordinal));

    [Fact]
    public Task Base_against_instruct_model_sweep_gets_distinct_default_run_names() => VerifyAsync("""
        [Experiment("base_vs_instruct")]
        public partial record E
        {
            [Sweep(Model.Llama_3_2_1B, Model.Llama_3_2_1B_Instruct)] public Model Model { get; init; }
        }
        """);

    [Fact]
    public Task EXD001_experiment_not_partial() => VerifyAsync("""
        [Experiment("x")]
        public record {|EXD001:NotPartial|}
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD001_containing_type_not_partial() => VerifyAsync("""
        public class {|EXD001:Outer|}
        {
            [Experiment("x")]
            public partial record Inner
            {
                [Sweep(8, 16)] public int LoraRank { get; init; }
            }
        }
        """);

    [Fact]
    public Task EXD002_sweep_value_not_convertible() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            [Sweep(8, {|EXD002:"sixteen"|}, {|EXD002:1.5|})] public int LoraRank { get; init; }
            [Sweep({|EXD002:LrScheduler.Constant|}, Model.Qwen2_5_3B)] public Model Model { get; init; }
            public LrScheduler LrScheduler { get; init; } = {|EXD002:(LrScheduler)9|};
        }
        """);

    [Fact]
    public Task EXD003_unsupported_sweep_type() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            [{|EXD003:Sweep(1, 2)|}] public System.TimeSpan Timeout { get; init; }
            [{|EXD003:Sweep(3, 4)|}] public int Computed => 3;
        }
        """);

    [Fact]
    public Task EXD004_setting_with_wrong_type() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            public long {|EXD004:LoraRank|} { get; init; } = 8;
            public float {|EXD004:LearningRate|} { get; init; } = 1e-4f;
        }

        #nullable enable
        [Experiment("y")]
        public partial record F
        {
            public string? {|EXD004:Dataset|} { get; init; }
            public int {|EXD004:Gpus|} { get; init; } = 1;
        }
        """);

    [Fact]
    public Task EXD005_sweep_without_values() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            [{|EXD005:Sweep|}] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD006_duplicate_sweep_value_including_equal_spellings() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            [Sweep(8, 16, {|EXD006:8|})] public int LoraRank { get; init; }
            [Sweep(1e-5, {|EXD006:0.00001|})] public double LearningRate { get; init; }
        }
        """);

    [Fact]
    public Task EXD006_zero_and_negative_zero_are_one_value() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            [Sweep(0.0, {|EXD006:-0.0|}, 1.0)] public double Foo { get; init; }
        }
        """);

    [Fact]
    public Task EXD008_runs_that_read_alike_say_why_they_collide() => VerifyAsync(
        """
        [Experiment("x")]
        [Paired(nameof(LoraRank), nameof(Seed))]
        [RunName({|#0:"r{LoraRank}_s{Seed}"|})]
        public partial record E
        {
            [Sweep(8, 16, 8)] public int LoraRank { get; init; }
            [Sweep(1, 2, 1)] public int Seed { get; init; }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.RunNameCollision).WithLocation(0)
            .WithArguments("r8_s1", "#1 (LoraRank=8, Seed=1), #3 (LoraRank=8, Seed=1); #3 repeats every value of #1"));

    [Fact]
    public Task EXD007_run_name_pattern_malformed_or_unknown_member() => VerifyAsync("""
        [Experiment("x")]
        [RunName({|EXD007:"r{LoraRank"|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }

        [Experiment("y")]
        [RunName({|EXD007:"r{Rank}"|})]
        public partial record F
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD008_run_name_collision_lists_the_colliding_runs() => VerifyAsync(
        """
        [Experiment("x")]
        [RunName({|#0:"r{LoraRank}"|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            [Sweep(1e-5, 5e-5)] public double LearningRate { get; init; }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.RunNameCollision).WithLocation(0)
            .WithArguments("r8", "#1 (LoraRank=8, LearningRate=1e-5), #2 (LoraRank=8, LearningRate=5e-5)"),
        new DiagnosticResult(DiagnosticDescriptors.RunNameCollision).WithLocation(0)
            .WithArguments("r16", "#3 (LoraRank=16, LearningRate=1e-5), #4 (LoraRank=16, LearningRate=5e-5)"));

    [Fact]
    public Task EXD009_unsafe_run_name() => VerifyAsync(
        """
        [Experiment("x")]
        [RunName({|EXD009:"run {LoraRank}"|})]
        public partial record E
        {
            [Sweep(8)] public int LoraRank { get; init; }
        }

        [{|#0:Experiment("y")|}]
        public partial record F
        {
            [Sweep("data/a.json", "data/b.json")] public string Dataset { get; init; } = "";
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsafeRunName).WithLocation(0).WithArguments("datadata/a.json", "it contains '/'; run names may use ASCII letters, digits and . _ - + = only"),
        new DiagnosticResult(DiagnosticDescriptors.UnsafeRunName).WithLocation(0).WithArguments("datadata/b.json", "it contains '/'; run names may use ASCII letters, digits and . _ - + = only"));

    [Theory]
    [InlineData("caf\u00e9", "caf\u00e9", "it contains U+00E9; run names may use ASCII letters, digits and . _ - + = only")]
    [InlineData("a%b", "a%b", "it contains '%'; run names may use ASCII letters, digits and . _ - + = only")]
    [InlineData("a\u202eb", "a\\u202eb", "it contains U+202E; run names may use ASCII letters, digits and . _ - + = only")]
    [InlineData("a\\nb", "a\\u000ab", "it contains U+000A; run names may use ASCII letters, digits and . _ - + = only")]
    [InlineData("experiment_summary.md", "experiment_summary.md", "it is the name of the experiment directory's own file experiment_summary.md")]
    public Task EXD009_run_names_outside_the_portable_set_or_reserved_are_refused_with_a_printable_message(string name, string shown, string problem) => VerifyAsync(
        $$"""
        [Experiment("x")]
        [RunName({|#0:"{Tag}"|})]
        public partial record E
        {
            [Sweep("{{name}}")] public string Tag { get; init; } = "";
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsafeRunName).WithLocation(0).WithArguments(shown, problem));

    [Fact]
    public Task EXD008_a_run_named_like_the_control_directory_collides_with_it() => VerifyAsync(
        """
        [Experiment("x")]
        [RunName("{Model}_base")]
        [{|#0:Control|}]
        public partial record E
        {
            public Model Model { get; init; } = Model.Llama_3_2_1B;
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.RunNameCollision).WithLocation(0)
            .WithArguments("Llama-3.2-1B_base", "a run and the [Control] of base model Llama-3.2-1B (its directory is Llama-3.2-1B_base)"));

    [Fact]
    public Task EXD024_a_setting_on_a_base_record_is_reported() => VerifyAsync("""
        public record Common
        {
            public int Epochs { get; init; } = 3;
            [Sweep(8, 16)] public int LoraRank { get; init; }
            public string Note { get; init; } = "";
        }

        [Experiment("x")]
        public partial record {|EXD024:{|EXD024:E|}|} : Common
        {
            public double LearningRate { get; init; } = 1e-4;
        }
        """);

    [Fact]
    public Task EXD025_two_experiments_of_one_name_are_reported() => VerifyAsync("""
        [Experiment("same")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }

        [{|EXD025:Experiment("same")|}]
        public partial record F
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD010_unsafe_experiment_name() => VerifyAsync("""
        [Experiment({|EXD010:"../escape"|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }

        [Experiment({|EXD010:""|})]
        public partial record F
        {
        }
        """);

    [Fact]
    public Task EXD011_eval_epoch_outside_the_epochs() => VerifyAsync("""
        [Experiment("x")]
        [EvalTask("cap", "tasks/cap.py", Epochs = new[] { 0, {|EXD011:3|} })]
        [EvalTask("other", "tasks/other.py")]
        [EvalEpochs(0, {|EXD011:2|}, {|EXD011:-1|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            public int Epochs { get; init; } = 2;
        }
        """);

    [Fact]
    public Task EXD011_checks_each_run_when_epochs_are_swept() => VerifyAsync(
        """
        [Experiment("x")]
        [EvalTask("cap", "tasks/cap.py")]
        [EvalEpochs(0, {|#0:1|})]
        public partial record E
        {
            [Sweep(1, 2)] public int Epochs { get; init; }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.EvalEpochOutOfRange).WithLocation(0).WithArguments("1", "e1", "1", "0"));

    [Fact]
    public Task EXD012_unsafe_task_name_or_empty_script() => VerifyAsync("""
        [Experiment("x")]
        [EvalTask({|EXD012:"bad name"|}, "tasks/a.py")]
        [EvalTask("ok", {|EXD012:""|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD013_duplicate_task() => VerifyAsync("""
        [Experiment("x")]
        [EvalTask("cap", "tasks/a.py")]
        [EvalTask({|EXD013:"cap"|}, "tasks/b.py")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD014_task_names_unknown_run() => VerifyAsync("""
        [Experiment("x")]
        [EvalTask("cap", "tasks/a.py", Runs = new[] { "r8", {|EXD014:"r99"|} })]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD015_paired_axes_of_different_lengths_or_paired_twice() => VerifyAsync("""
        [Experiment("x")]
        [{|EXD015:Paired(nameof(LoraRank), nameof(LearningRate))|}]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            [Sweep(1e-5, 5e-5, 1e-4)] public double LearningRate { get; init; }
        }

        [Experiment("y")]
        [Paired(nameof(LoraRank), nameof(LearningRate))]
        [Paired(nameof(Seed), {|EXD015:nameof(LoraRank)|})]
        public partial record F
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            [Sweep(1e-5, 5e-5)] public double LearningRate { get; init; }
            [Sweep(1, 2)] public int Seed { get; init; }
        }
        """);

    [Fact]
    public Task EXD016_member_is_not_an_axis_or_property() => VerifyAsync("""
        [Experiment("x")]
        [Paired(nameof(LoraRank), {|EXD016:nameof(Epochs)|})]
        [Exclude({|EXD016:"Rank"|}, 8)]
        [ExtraRun({|EXD016:"Nope"|}, 1)]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            public int Epochs { get; init; } = 2;
        }
        """);

    [Fact]
    public Task EXD017_malformed_member_value_list() => VerifyAsync("""
        [Experiment("x")]
        [{|EXD017:Exclude(nameof(LoraRank))|}]
        [ExtraRun({|EXD017:16|}, nameof(LoraRank))]
        [ExtraRun(nameof(LoraRank), 32, {|EXD017:nameof(LoraRank)|}, 64)]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD018_values_out_of_range() => VerifyAsync("""
        [Experiment("x")]
        [ExtraRun(nameof(LoraRank), {|EXD018:-4|})]
        public partial record E
        {
            [Sweep(8, {|EXD018:0|})] public int LoraRank { get; init; }
            public double LearningRate { get; init; } = {|EXD018:1.5|};
            public double LoraDropout { get; init; } = {|EXD018:1.0|};
            public int BatchSize { get; init; } = {|EXD018:0|};
            public int Epochs { get; init; } = {|EXD018:-1|};
            public int? Gpus { get; init; } = {|EXD018:0|};
        }

        [Experiment("y")]
        public partial record F
        {
            [Sweep(8, {|EXD018:2147483647|})] public int LoraRank { get; init; }
            public int MaxSeqLen { get; init; } = {|EXD018:-1|};
            public int WarmupSteps { get; init; } = {|EXD018:-5|};
            public int GradientAccumulationSteps { get; init; } = {|EXD018:0|};
            public int LogEveryNSteps { get; init; } = {|EXD018:0|};
            public double WeightDecay { get; init; } = {|EXD018:-1|};
            public string FinetuneTime { get; init; } = {|EXD018:"abc"|};
            public string EvalTime { get; init; } = {|EXD018:"99:99:99"|};
            public string Dataset { get; init; } = {|EXD018:"data/x.csv"|};
            public string SystemPrompt { get; init; } = {|EXD018:"bad \ud800 prompt"|};
        }

        [Experiment("z")]
        public partial record G
        {
            public int Epochs { get; init; } = {|EXD018:2000000|};
        }
        """);

    [Fact]
    public Task EXD019_prompt_template_without_input() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            public string PromptTemplate { get; init; } = {|EXD019:"Question: {question}"|};
        }
        """);

    [Fact]
    public Task EXD020_more_runs_than_ExperimentDsl_MaxRuns() => VerifyAsync(
        """
        [{|EXD020:Experiment("x")|}]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            [Sweep(1e-5, 5e-5)] public double LearningRate { get; init; }
        }
        """,
        maxRuns: "3");

    [Fact]
    public Task EXD020_default_limit_is_1000() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public int LoraRank { get; init; }
            [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public int Seed { get; init; }
            [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public int BatchSize { get; init; }
        }
        """);

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public Task EXD026_ExperimentDsl_MaxRuns_that_is_not_a_positive_integer_is_reported_and_the_default_applies(string maxRuns) => VerifyAsync(
        """
        [{|#0:Experiment("x")|}]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """,
        maxRuns,
        new DiagnosticResult(DiagnosticDescriptors.InvalidMaxRuns).WithLocation(0).WithArguments(maxRuns, "1000"));

    [Fact]
    public Task EXD021_not_a_record_class() => VerifyAsync("""
        [Experiment("x")]
        public partial class {|EXD021:NotARecord|}
        {
        }

        [Experiment("y")]
        public partial record {|EXD021:Positional|}(int LoraRank);
        """);

    [Fact]
    public Task EXD022_grid_beyond_what_the_generator_emits() => VerifyAsync("""
        [{|EXD022:Experiment("x")|}]
        public partial record E
        {
            [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public int LoraRank { get; init; }
            [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public int Seed { get; init; }
            [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public int BatchSize { get; init; }
            [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public int WarmupSteps { get; init; }
            [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public int MaxSeqLen { get; init; }
            [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public int LogEveryNSteps { get; init; }
        }
        """);

    [Fact]
    public Task EXD023_value_needed_at_compile_time_is_not_constant() => VerifyAsync("""
        public static class Names { public static readonly string Tag = "t"; public static int Count() => 2; }

        [Experiment("x")]
        [RunName("{Tag}_r{LoraRank}")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            public string Tag { get; init; } = {|EXD023:Names.Tag|};
        }

        [Experiment("y")]
        [EvalTask("cap", "tasks/cap.py")]
        public partial record F
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            public int Epochs { get; init; } = {|EXD023:Names.Count()|};
        }
        """);

    [Fact]
    public Task EXD050_value_torchtune_would_read_as_missing() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            public string SystemPrompt { get; init; } = {|EXD050:"???"|};
            public string PromptTemplate { get; init; } = {|EXD050:"???{input}"|};
        }

        [Experiment("y")]
        public partial record F
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            public string Dataset { get; init; } = {|EXD050:"data/???.json"|};
            public string SystemPrompt { get; init; } = "Say ${oc.env:HOME} ??? now";
            public string PromptTemplate { get; init; } = "??? {input}";
        }
        """);

    [Fact]
    public Task EXD051_prompt_template_with_input_twice() => VerifyAsync("""
        [Experiment("x")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
            public string PromptTemplate { get; init; } = {|EXD051:"{input} -> {input}"|};
        }
        """);

    [Fact]
    public Task EXD009_run_name_torchtune_would_read_as_missing() => VerifyAsync("""
        [Experiment("x")]
        [RunName({|EXD009:"???"|})]
        public partial record E
        {
            [Sweep(8)] public int LoraRank { get; init; }
        }
        """);
}
