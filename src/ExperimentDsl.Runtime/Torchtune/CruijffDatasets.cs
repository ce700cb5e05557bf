using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// The dataset sections of cruijff_kit's own torchtune builders (cruijff_kit v0.3.4,
/// <c>src/tools/torchtune/datasets/</c>, installed as the <c>cruijff_kit</c> package whose
/// <c>cruijff_kit.tools</c> is <c>src/tools</c>); their parameters are pinned in
/// tests/Contract/cruijff-contract.json.
/// <para>
/// Both read one JSON file (<c>open(data_files)</c>, the split under its key, source <c>json</c> only),
/// load the Hugging Face tokenizer from <c>model_path</c> (torchtune's tokenizer argument is ignored)
/// and wrap each input with <c>prompt.format(**row)</c>: a format string, so the run's template is
/// written with every brace but its <c>{input}</c> doubled. Only the chat builder has a system prompt.
/// Every text sits in a section built by <c>config.instantiate</c>, so it is escaped for OmegaConf twice.
/// They do not pack samples, so <c>packed</c> is always false (the run's Packed setting does not apply).
/// </para>
/// </summary>
internal static class CruijffDatasets
{
    /// <summary>The chat builder's dotted component path.</summary>
    public const string ChatCompletion = "cruijff_kit.tools.torchtune.datasets.chat_completion.chat_completion_dataset";

    /// <summary>The plain-text builder's dotted component path.</summary>
    public const string TextCompletion = "cruijff_kit.tools.torchtune.datasets.text_completion.text_completion_dataset";

    /// <summary>Whether <paramref name="type"/> names one of cruijff_kit's builders.</summary>
    public static bool Builds(DatasetType type) => type is DatasetType.CruijffChatCompletion or DatasetType.CruijffTextCompletion;

    /// <summary>Why a run with <paramref name="settings"/> cannot be trained with its cruijff_kit builder, or null.</summary>
    public static string? Problem(RunSettings settings)
    {
        if (!Builds(settings.DatasetType))
        {
            return null;
        }

        if (!settings.Dataset.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return $"DatasetType.{settings.DatasetType} reads one JSON file of splits (cruijff_kit's builder opens data_files as JSON), but Dataset is '{settings.Dataset}'; use a .json dataset or DatasetType.Instruct";
        }

        if (settings.DatasetType == DatasetType.CruijffTextCompletion && settings.SystemPrompt.Length > 0)
        {
            return "DatasetType.CruijffTextCompletion has no system prompt (cruijff_kit's text_completion_dataset takes none), but SystemPrompt is set; clear SystemPrompt or use DatasetType.CruijffChatCompletion";
        }

        return null;
    }

    /// <summary>The <c>dataset</c> (<paramref name="split"/> <c>train</c>) or <c>dataset_val</c> section.</summary>
    public static YamlMap Section(RunSettings settings, DatasetLocation dataset, string split)
    {
        bool chat = settings.DatasetType == DatasetType.CruijffChatCompletion;
        var yaml = new YamlMap()
            .Text("_component_", chat ? ChatCompletion : TextCompletion)
            .Text("source", "json")
            .Text("data_files", "${input_dir}/${dataset_label}" + dataset.Extension)
            .Text("split", split)
            .Text("model_path", "${models_dir}/" + settings.ModelInfo.Name)
            .Text("prompt", OmegaConfText.EscapeForInstantiate(Scripts.EvalConfigFile.FormatString(settings.PromptTemplate)));
        if (chat)
        {
            yaml.Text("system_prompt", OmegaConfText.EscapeForInstantiate(settings.SystemPrompt));
        }

        return yaml
            .Text("input_key", "input")
            .Text("output_key", "output")
            .Boolean("train_on_input", false)
            // The builders return unpacked samples ("accepted but not used"); the recipe picks its
            // collate function by this key, so a packed collate over them would fail at the first batch.
            .Boolean("packed", false);
    }
}
