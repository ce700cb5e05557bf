using ExperimentDsl.Runtime.Validation;
using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>
/// cruijff_kit's own dataset builders in finetune.yaml (their signatures are checked against
/// tests/Contract/cruijff-contract.json and their values through real OmegaConf by the contract tests).
/// </summary>
public sealed class CruijffDatasetTests
{
    private static string Finetune(Func<RunSettings, RunSettings> change)
    {
        ExperimentPlan plan = Scripts.ScriptCases.WithFirstRun(TestPlans.Capitalization(), change);
        return FinetuneYaml.Emit(plan.Runs[0], TestPlans.Layout(plan));
    }

    [Fact]
    public void Chat_completion_names_cruijff_kits_builder_with_the_runs_prompt_system_prompt_and_model_and_no_tokenizer_template()
    {
        string yaml = Finetune(s => s with { DatasetType = DatasetType.CruijffChatCompletion, PromptTemplate = "Q: {input}\nA:", ValidationEveryNSteps = 10 });

        Assert.Contains(
            "dataset:\n  _component_: cruijff_kit.tools.torchtune.datasets.chat_completion.chat_completion_dataset\n  source: json\n" +
            "  data_files: ${input_dir}/${dataset_label}.json\n  split: train\n  model_path: ${models_dir}/Llama-3.2-1B\n" +
            "  prompt: \"Q: {input}\\nA:\"\n  system_prompt: You capitalize text exactly as asked.\n  input_key: input\n  output_key: output\n" +
            "  train_on_input: false\n  packed: false\n",
            yaml,
            StringComparison.Ordinal);
        Assert.Contains("dataset_val:\n  _component_: cruijff_kit.tools.torchtune.datasets.chat_completion.chat_completion_dataset\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  split: validation\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt_template", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_completion_has_no_system_prompt_key()
    {
        string yaml = Finetune(s => s with { DatasetType = DatasetType.CruijffTextCompletion, SystemPrompt = "" });

        Assert.Contains("  _component_: cruijff_kit.tools.torchtune.datasets.text_completion.text_completion_dataset\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("system_prompt", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parquet_dataset_with_a_cruijff_builder_is_refused_naming_the_dataset_type_and_dataset()
    {
        ExperimentPlan plan = Scripts.ScriptCases.WithFirstRun(TestPlans.Capitalization(), s => s with { DatasetType = DatasetType.CruijffChatCompletion, Dataset = "/data/capitalization.parquet" });

        var error = Assert.Throws<PlanRefusedException>(() => FinetuneValueCheck.Check(plan, TestPlans.Environment));

        Assert.Contains("DatasetType.CruijffChatCompletion reads one JSON file", error.Message, StringComparison.Ordinal);
        Assert.Contains("Dataset is '/data/capitalization.parquet'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_system_prompt_with_the_text_completion_builder_is_refused_naming_SystemPrompt()
    {
        ExperimentPlan plan = Scripts.ScriptCases.WithFirstRun(TestPlans.Capitalization(), s => s with { DatasetType = DatasetType.CruijffTextCompletion });

        var error = Assert.Throws<PlanRefusedException>(() => FinetuneValueCheck.Check(plan, TestPlans.Environment));

        Assert.Contains("DatasetType.CruijffTextCompletion has no system prompt", error.Message, StringComparison.Ordinal);
        Assert.Contains("SystemPrompt is set", error.Message, StringComparison.Ordinal);
    }
}
