using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Validation;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Axolotl;

/// <summary>
/// Writes a run's <c>axolotl.yaml</c>: the config <c>axolotl train axolotl.yaml</c> reads (axolotl as
/// pinned in tests/Contract/axolotl-contract.json). Every setting is placed by looping over the
/// catalogue's axolotl column; the keys below the loop are the same for every run.
/// <para>
/// The dataset is a <c>chat_template</c> dataset: OpenAI-style <c>messages</c> (the file the job writes
/// from the run's dataset, system prompt and template; <see cref="AxolotlDataSteps"/>) formatted with the
/// model's own chat template (<c>chat_template: tokenizer_default</c>), which is what inspect-ai's
/// Hugging Face provider applies to the same messages at evaluation. axolotl's other SFT types either
/// write fixed prompt formats (alpaca, llama2_chat, ...) or plain text (<c>user_defined</c>, <c>completion</c>),
/// so training would see text that evaluation never shows the model; the catalogue refuses plain-text
/// datasets.
/// </para>
/// <para>
/// Checkpoints: one <c>checkpoint-{step}</c> directory per epoch (<c>save_strategy: epoch</c>), all kept
/// (axolotl keeps 4 unless told); the job names each <c>epoch_{N}</c> after it, as torchtune's are named,
/// so an epoch's number still names its checkpoint for evaluation and status.
/// </para>
/// </summary>
public static class AxolotlYaml
{
    /// <summary>The file's name in a run directory.</summary>
    public const string FileName = "axolotl.yaml";

    private const string DatasetKeyPrefix = "datasets[0].";
    private const string ListKeySuffix = "[]";

    /// <summary>The text of <paramref name="run"/>'s <c>axolotl.yaml</c>; pure, no file I/O.</summary>
    /// <param name="run">The run.</param>
    /// <param name="layout">The experiment's paths and environment.</param>
    /// <returns>UTF-8-ready YAML text with '\n' line endings, ending with a newline.</returns>
    /// <exception cref="PlanRefusedException">A setting's value is one axolotl cannot express; the message names each.</exception>
    public static string Emit(PlannedRun run, ExperimentLayout layout)
    {
        RunSettings settings = run.Settings;
        if (AxolotlSettings.Refusals(settings) is { Count: > 0 } refusals)
        {
            throw new PlanRefusedException($"Run '{run.Name}' cannot be trained with axolotl:\n  " + string.Join("\n  ", refusals));
        }

        var config = new YamlMap();
        var dataset = new YamlMap();
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Setting setting in SettingCatalog.All.Where(s => s.AxolotlKey is not null))
        {
            object? value = AxolotlSettings.Value(settings, setting);
            string key = setting.AxolotlKey!;
            if (key.EndsWith(ListKeySuffix, StringComparison.Ordinal))
            {
                string list = key[..^ListKeySuffix.Length];
                if (!lists.TryGetValue(list, out List<string>? names))
                {
                    lists[list] = names = [];
                }

                names.AddRange((string[])value!);
                continue;
            }

            if (value is not null && ReferenceEquals(value, TrainerValue.Omitted))
            {
                continue;
            }

            YamlScalar scalar = Scalar(Formed(setting, value, run, layout));
            if (key.StartsWith(DatasetKeyPrefix, StringComparison.Ordinal))
            {
                dataset.Add(key[DatasetKeyPrefix.Length..], scalar);
            }
            else
            {
                config.Add(key, scalar);
            }
        }

        foreach ((string key, List<string> names) in lists)
        {
            config.FlowList(key, [.. names]);
        }

        dataset.Text("chat_template", "tokenizer_default")
            .Text("field_messages", "messages");
        if (settings.ValidationEveryNSteps > 0)
        {
            // Validation every eval_steps on the validation split's conversations (axolotl's test_datasets;
            // eval_strategy steps goes with eval_steps, config validation check_evals).
            config.Text("eval_strategy", "steps");
            config.MapList("test_datasets", [new YamlMap()
                .Text("path", ValidationMessagesFile(run, layout))
                .Text("type", "chat_template")
                .Text("chat_template", "tokenizer_default")
                .Text("field_messages", "messages")]);
        }

        return YamlText.Write(config
            .Text("adapter", "lora")
            // torchtune's optimizer: torch.optim.AdamW with fused kernels.
            .Text("optimizer", "adamw_torch_fused")
            .Boolean("train_on_inputs", false)
            // Keeps packed samples apart as torchtune's packed batches do, in bf16 and fp32 alike and
            // without the flash-attn library (config.py attn_decontaminates_packing).
            .Text("attn_implementation", "sdpa")
            .MapList("datasets", [dataset])
            // Per run, so runs preparing datasets at once do not share axolotl's default ./last_run_prepared.
            .Text("dataset_prepared_path", layout.CheckpointDir(run.Name).TrimEnd('/') + "/prepared_dataset")
            .Text("output_dir", layout.CheckpointDir(run.Name))
            .Text("save_strategy", "epoch")
            .Integer("save_total_limit", settings.Epochs)
            // A requeued or re-submitted job continues from the newest checkpoint-{step} (SPEC 13).
            .Boolean("auto_resume_from_checkpoints", true)
            .Text("wandb_mode", "offline")
            .Text("wandb_project", layout.Environment.WandbProject)
            .Text("wandb_name", run.Name));
    }

    /// <summary>The value in its form: a model directory, the messages file the job writes, or as it is.</summary>
    private static object? Formed(Setting setting, object? value, PlannedRun run, ExperimentLayout layout) => setting.AxolotlForm switch
    {
        TrainerForm.ModelDirectory => layout.ModelsDirWithSlash + run.Settings.ModelInfo.AxolotlBaseModel,
        TrainerForm.MessagesFile => MessagesFile(run, layout),
        _ => value,
    };

    /// <summary>
    /// The training split as conversations, written by the run's job before axolotl starts
    /// (<see cref="AxolotlDataSteps"/>): in the checkpoint directory, beside what the job trains.
    /// </summary>
    public static string MessagesFile(PlannedRun run, ExperimentLayout layout) =>
        layout.CheckpointDir(run.Name) + MessagesFileName;

    /// <summary>The messages file's name in the checkpoint directory (JSON lines; axolotl reads a local <c>.json*</c> file as JSON).</summary>
    public const string MessagesFileName = "train_messages.jsonl";

    /// <summary>The validation split as conversations, for a run that validates during training.</summary>
    public static string ValidationMessagesFile(PlannedRun run, ExperimentLayout layout) =>
        layout.CheckpointDir(run.Name) + "validation_messages.jsonl";

    private static YamlScalar Scalar(object? value) => value switch
    {
        null => YamlScalars.Null(),
        int number => YamlScalars.Integer(number),
        double number => YamlScalars.Float(number),
        bool flag => YamlScalars.Boolean(flag),
        string text => YamlScalars.Text(text),
        _ => throw new InvalidOperationException($"No axolotl.yaml form for {value.GetType()}."),
    };
}
