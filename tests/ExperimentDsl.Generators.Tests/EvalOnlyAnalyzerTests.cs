using static ExperimentDsl.Generators.Tests.Infrastructure.AnalyzerVerifier;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// The rules of eval-only runs, vis labels, [Evaluation] and per-task prompts (EXD027–EXD035): each
/// diagnostic appears on the offending attribute argument.
/// </summary>
public sealed class EvalOnlyAnalyzerTests
{
    [Fact]
    public Task Valid_eval_only_run_vis_labels_evaluation_and_task_prompt_have_no_diagnostics() => VerifyAsync("""
        [Experiment("x")]
        [Control]
        [EvalTask("cap", "tasks/cap.py", Prompt = "Capitalize {{exactly}}: {input}", SystemPrompt = "Be brief.")]
        [EvalOnly("earlier_r8", Model.Llama_3_2_1B_Instruct, "/scratch/ck/r8/epoch_1")]
        [VisLabel("r8", "rank 8")]
        [VisLabel("Llama-3.2-1B-Instruct", "base")]
        [VisLabel("earlier_r8", "earlier rank 8")]
        [Evaluation(Temperature = 0.7, DoSample = true, Seed = 0, MaxTokens = 64, MaxConnections = 8)]
        [RunName("r{LoraRank}")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD027_eval_only_name_unsafe() => VerifyAsync("""
        [Experiment("x")]
        [EvalOnly({|EXD027:"../elsewhere"|}, Model.Llama_3_2_1B_Instruct, "/ck/epoch_0")]
        [EvalOnly({|EXD027:"old run"|}, Model.Llama_3_2_1B_Instruct, "/ck/epoch_1")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD028_checkpoint_path_empty_or_multi_line() => VerifyAsync("""
        [Experiment("x")]
        [EvalOnly("a", Model.Llama_3_2_1B_Instruct, {|EXD028:""|})]
        [EvalOnly("b", Model.Llama_3_2_1B_Instruct, {|EXD028:"  "|})]
        [EvalOnly("c", Model.Llama_3_2_1B_Instruct, {|EXD028:"/ck\nepoch_0"|})]
        [EvalOnly("d", Model.Llama_3_2_1B_Instruct, {|EXD028:null|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD029_eval_only_name_taken_by_a_run_control_directory_or_eval_only_run() => VerifyAsync("""
        [Experiment("x")]
        [Control]
        [RunName("r{LoraRank}")]
        [EvalOnly({|EXD029:"r8"|}, Model.Llama_3_2_1B_Instruct, "/ck/a")]
        [EvalOnly({|EXD029:"R16"|}, Model.Llama_3_2_1B_Instruct, "/ck/b")]
        [EvalOnly({|EXD029:"Llama-3.2-1B-Instruct"|}, Model.Llama_3_2_1B_Instruct, "/ck/c")]
        [EvalOnly({|EXD029:"Llama-3.2-1B-Instruct_base"|}, Model.Llama_3_2_1B_Instruct, "/ck/d")]
        [EvalOnly("old", Model.Llama_3_2_1B_Instruct, "/ck/e")]
        [EvalOnly({|EXD029:"old"|}, Model.Llama_3_2_1B_Instruct, "/ck/f")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD030_vis_label_names_no_run() => VerifyAsync("""
        [Experiment("x")]
        [RunName("r{LoraRank}")]
        [VisLabel({|EXD030:"r32"|}, "rank 32")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD031_second_vis_label_of_a_run() => VerifyAsync("""
        [Experiment("x")]
        [RunName("r{LoraRank}")]
        [VisLabel("r8", "rank 8")]
        [VisLabel({|EXD031:"r8"|}, "eight")]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD032_vis_label_empty_or_multi_line() => VerifyAsync("""
        [Experiment("x")]
        [RunName("r{LoraRank}")]
        [VisLabel("r8", {|EXD032:""|})]
        [VisLabel("r16", {|EXD032:"rank\n16"|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD033_evaluation_settings_out_of_range() => VerifyAsync("""
        [Experiment("x")]
        [Evaluation({|EXD033:Temperature = 0|}, {|EXD033:MaxTokens = 0|}, {|EXD033:MaxConnections = -1|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }

        [Experiment("y")]
        [Evaluation({|EXD033:DoSample = true|}, Seed = -3)]
        public partial record F
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }

        [Experiment("z")]
        [Evaluation({|EXD033:Temperature = double.NaN|})]
        public partial record G
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD034_task_prompt_without_or_with_two_inputs() => VerifyAsync("""
        [Experiment("x")]
        [EvalTask("a", "tasks/a.py", {|EXD034:Prompt = "Capitalize:"|})]
        [EvalTask("b", "tasks/b.py", {|EXD034:Prompt = "{input} -> {input}"|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD035_task_prompt_with_another_brace() => VerifyAsync("""
        [Experiment("x")]
        [EvalTask("a", "tasks/a.py", {|EXD035:Prompt = "Answer as {json}: {input}"|})]
        [EvalTask("b", "tasks/b.py", {|EXD035:Prompt = "{input} }"|})]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);

    [Fact]
    public Task EXD014_task_runs_may_name_an_eval_only_run() => VerifyAsync("""
        [Experiment("x")]
        [RunName("r{LoraRank}")]
        [EvalOnly("earlier", Model.Llama_3_2_1B_Instruct, "/ck/a")]
        [EvalTask("a", "tasks/a.py", Runs = ["r8", "earlier", {|EXD014:"later"|}])]
        public partial record E
        {
            [Sweep(8, 16)] public int LoraRank { get; init; }
        }
        """);
}
