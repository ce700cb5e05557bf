using ExperimentDsl.Runtime.Import;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary;

public sealed class CSharpExperimentWriterTests
{
    [Fact]
    public void Grid_example_becomes_one_sweep_per_axis()
    {
        string code = CSharpExperimentWriter.Write(TestPlans.Capitalization(), "Lab", "CapSweep");

        GoldenFiles.Match(code, "Summary.CSharp.Capitalization", "cs");
        Assert.Contains("[Experiment(\"cap_4L_lora_lr_sweep\")]", code, StringComparison.Ordinal);
        Assert.Contains("[RunName(\"{Model}_r{LoraRank}_lr{LearningRate}\")]", code, StringComparison.Ordinal);
        Assert.Contains("    [Sweep(8, 16)]\n    public int LoraRank { get; init; }", code, StringComparison.Ordinal);
        Assert.Contains("    [Sweep(1E-05, 5E-05)]\n    public double LearningRate { get; init; }", code, StringComparison.Ordinal);
        Assert.Contains("public Model Model { get; init; } = Model.Llama_3_2_1B;", code, StringComparison.Ordinal);
        Assert.Contains("public int Epochs { get; init; } = 2;", code, StringComparison.Ordinal);
        Assert.Contains("[EvalEpochs(0, 1)]", code, StringComparison.Ordinal);
        Assert.DoesNotContain("[Paired", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_grid_runs_become_one_paired_group_in_run_order()
    {
        string code = CSharpExperimentWriter.Write(SummaryPlans.Paired(), "Lab", "QwenPaired");

        GoldenFiles.Match(code, "Summary.CSharp.Paired", "cs");
        Assert.Contains("[Paired(nameof(LoraRank), nameof(LearningRate), nameof(BatchSize))]", code, StringComparison.Ordinal);
        Assert.Contains("[Sweep(8, 16, 32)]", code, StringComparison.Ordinal);
        Assert.Contains("[Sweep(1E-05, 5E-05, 0.0001)]", code, StringComparison.Ordinal);
        Assert.Contains("[Sweep(4, 8, 16)]", code, StringComparison.Ordinal);
        Assert.Contains("public string SystemPrompt { get; init; } = \"Answer | with `code`\\nand *stars* _under_ <b>tags</b> & \\\\ slash  \";", code, StringComparison.Ordinal);
        Assert.Contains("public int? Gpus { get; init; } = 2;", code, StringComparison.Ordinal);
        Assert.Contains("[EvalEpochs(2)]", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Selective_matrix_becomes_task_filters()
    {
        string code = CSharpExperimentWriter.Write(SummaryPlans.Selective(), "Lab", "Selective");
        GoldenFiles.Match(code, "Summary.CSharp.Selective", "cs");

        Assert.Contains(
            "[EvalTask(\"capitalization\", \"/repo/examples/Capitalization/tasks/capitalization.py\", Description = \"Capitalize the first letter of each word\", "
            + "Runs = [\"Llama-3.2-1B_r8_lr1e-5\", \"Llama-3.2-1B_r8_lr5e-5\"])]",
            code, StringComparison.Ordinal);
        // Relative paths are anchored at the plan's base directory: the C# file may live anywhere.
        Assert.Contains("[EvalTask(\"reasoning\", \"/repo/examples/Capitalization/tasks/reasoning.py\", Dataset = \"/repo/examples/Capitalization/data/reasoning_holdout.json\", Epochs = [0, 1], Controls = false)]", code, StringComparison.Ordinal);
        Assert.Contains("[Control(Model.Llama_3_2_1B)]", code, StringComparison.Ordinal);
        Assert.Contains("[EvalEpochs(1)]", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_axis_becomes_a_sweep_of_enum_members_with_a_control_per_model()
    {
        string code = CSharpExperimentWriter.Write(SummaryPlans.ModelGrid(), "Lab", "ModelGrid");

        Assert.Contains("    [Sweep(Model.Llama_3_2_1B_Instruct, Model.Qwen2_5_3B_Instruct)]\n    public Model Model { get; init; }", code, StringComparison.Ordinal);
        Assert.Contains("    [Sweep(8, 16)]\n    public int LoraRank { get; init; }", code, StringComparison.Ordinal);
        Assert.Contains("[Control(Model.Llama_3_2_1B_Instruct)]\n[Control(Model.Qwen2_5_3B_Instruct)]", code, StringComparison.Ordinal);
        Assert.Contains("[EvalEpochs(0)]", code, StringComparison.Ordinal);
        Assert.Equal(1, code.Split("public Model Model").Length - 1);
        Assert.DoesNotContain("[Paired", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Pattern_that_does_not_give_the_run_names_is_refused()
    {
        ExperimentPlan plan = TestPlans.Capitalization() with { RunNamePattern = "r{LoraRank}" };

        var e = Assert.Throws<CSharpImportException>(() => CSharpExperimentWriter.Write(plan, "Lab", "X"));

        Assert.StartsWith("Run 'Llama-3.2-1B_r8_lr1e-5' would be named 'r8' by the pattern 'r{LoraRank}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lab", "class")]
    [InlineData("Lab", "2Fast")]
    [InlineData("Lab..X", "Sweep")]
    [InlineData("Lab", "Model")]
    [InlineData("Lab", "Runs")]
    [InlineData("Lab", "Experiment")]
    [InlineData("Lab", "EpochSelection")]
    public void Invalid_type_or_namespace_names_are_refused(string namespaceName, string typeName) =>
        Assert.Throws<CSharpImportException>(() => CSharpExperimentWriter.Write(TestPlans.Capitalization(), namespaceName, typeName));
}

public sealed class CSharpExperimentWriterCruijffTests
{
    [Fact]
    public void Eval_only_runs_vis_labels_decoding_and_task_prompts_become_their_attributes()
    {
        string code = CSharpExperimentWriter.Write(Yaml.YamlPlans.CSharpExpressible(), "Lab", "Cued");

        Assert.Contains("[EvalOnly(\"earlier_r8\", Model.Llama_3_2_1B, \"/scratch/outputs/earlier/ck-out-r8/epoch_1\")]", code, StringComparison.Ordinal);
        Assert.Contains("[Evaluation(Temperature = 0.7, DoSample = true, MaxTokens = 20)]", code, StringComparison.Ordinal);
        Assert.Contains("[VisLabel(\"Llama-3.2-1B_r8_lr1e-5\", \"r8 low\")]", code, StringComparison.Ordinal);
        Assert.Contains("[VisLabel(\"Llama-3.2-1B\", \"base\")]", code, StringComparison.Ordinal);
        Assert.Contains("[VisLabel(\"earlier_r8\", \"earlier\")]", code, StringComparison.Ordinal);
        Assert.Contains("[EvalTask(\"cued\", \"/repo/examples/Capitalization/tasks/capitalization.py\", Prompt = \"Capitalize, carefully: {input}\\n\", SystemPrompt = \"You are careful.\")]", code, StringComparison.Ordinal);
        // The eval-only run is evaluated on one task only: that task's Runs filter lists it with every fine-tuned run.
        Assert.Contains("[EvalTask(\"capitalization\", \"/repo/examples/Capitalization/tasks/capitalization.py\", Description = \"Capitalize the first letter of each word\", Runs = [\"Llama-3.2-1B_r8_lr1e-5\", \"Llama-3.2-1B_r8_lr5e-5\", \"Llama-3.2-1B_r16_lr1e-5\", \"Llama-3.2-1B_r16_lr5e-5\"])]", code, StringComparison.Ordinal);
    }

    [Fact]
    public void An_eval_only_run_with_its_own_settings_cannot_be_said_in_the_dsl()
    {
        ExperimentPlan plan = Yaml.YamlPlans.CSharpExpressible();
        plan = plan with { EvalOnlyRuns = [plan.EvalOnlyRuns[0] with { Settings = plan.EvalOnlyRuns[0].Settings with { SystemPrompt = "Other." } }] };

        CSharpImportException error = Assert.Throws<CSharpImportException>(() => CSharpExperimentWriter.Write(plan, "Lab", "Cued"));

        Assert.Contains("Eval-only run 'earlier_r8' has its own system prompt 'Other.'", error.Message, StringComparison.Ordinal);
    }
}
