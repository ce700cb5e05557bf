using ExperimentDsl.Runtime.Catalogue;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// Writes a run's <c>setup_finetune.yaml</c> (SPEC 6.2): the flat, one-key-per-setting file that
/// cruijff_kit's <c>setup_finetune.py</c> reads, and that inspect tasks taking <c>config_dir</c>
/// read for the dataset and system prompt.
/// </summary>
public static class SetupFinetuneYaml
{
    /// <summary>The text of <paramref name="run"/>'s <c>setup_finetune.yaml</c>; pure, no file I/O.</summary>
    /// <param name="run">The run.</param>
    /// <param name="layout">The experiment's paths and environment.</param>
    /// <returns>UTF-8-ready YAML text with '\n' line endings, ending with a newline.</returns>
    /// <exception cref="ArgumentException">The run's dataset is not a <c>.json</c> or <c>.parquet</c> file.</exception>
    public static string Emit(PlannedRun run, ExperimentLayout layout)
    {
        RunSettings settings = run.Settings;
        EnvironmentSettings environment = layout.Environment;
        DatasetLocation dataset = DatasetLocation.Of(run, layout);
        YamlMap yaml = environment.CruijffKitVersion == CruijffKitVersion.V0_3_4
            ? V0_3_4Settings(run, layout, dataset)
            : SeedSettings(run, layout, dataset);

        // One activation key, the one the jobs use: a venv wins over conda (as in the SLURM
        // scripts), and writing the unused conda env too would tell a reader the wrong thing.
        if (!string.IsNullOrWhiteSpace(environment.Venv))
        {
            yaml.Text("venv", environment.Venv);
        }
        else
        {
            yaml.Text("conda_env", environment.CondaEnv ?? "");
        }

        AddWhenSet(yaml, "account", environment.Account);
        AddWhenSet(yaml, "partition", environment.Partition);
        AddWhenSet(yaml, "constraint", environment.Constraint);

        return YamlText.Write(yaml);
    }

    /// <summary>
    /// Where the run's inputs and outputs are, the same in both generations except for the output
    /// root's key (<c>output_dir_base</c> in the seed era, <c>project_dir</c> in v0.3.4).
    /// </summary>
    private static YamlMap Places(PlannedRun run, ExperimentLayout layout, DatasetLocation dataset, string outputKey)
    {
        EnvironmentSettings environment = layout.Environment;
        return new YamlMap()
            .Text("my_wandb_project", environment.WandbProject)
            .Text("my_wandb_run_name", run.Name)
            .Text("input_dir_base", dataset.Directory)
            .Text("input_formatting", "")
            .Text("dataset_label", dataset.Label)
            .Text("dataset_ext", dataset.Extension)
            .Text("experiment_name", layout.Plan.Name)
            .Text(outputKey, environment.OutputRoot.TrimEnd('/') + "/")
            .Text("models_dir", layout.ModelsDirWithSlash)
            // Not in SPEC 6.2's list: cruijff_kit's setup_finetune.py picks the model by this key,
            // and without it the file would not say which model a run fine-tunes.
            .Text("torchtune_model_name", run.Settings.ModelInfo.Name);
    }

    private static YamlMap SeedSettings(PlannedRun run, ExperimentLayout layout, DatasetLocation dataset)
    {
        RunSettings settings = run.Settings;
        var yaml = Places(run, layout, dataset, outputKey: "output_dir_base")
            .CruijffValues(settings, "lora_rank", "lr", "batch_size", "epochs", "log_every_n_steps", "run_val_every_n_steps", "system_prompt");

        // Only a real template is written, so a default run's file stays what cruijff_kit users know.
        // Tasks that take config_dir apply it to each sample's input, as the tokenizer does in training.
        if (!PromptWrapping.IsDefault(settings.PromptTemplate))
        {
            yaml.Text("prompt_template", settings.PromptTemplate);
        }

        return yaml;
    }

    /// <summary>
    /// v0.3.4's inputs (its <c>setup_finetune.py</c> argparse names): <c>project_dir</c> instead of
    /// <c>output_dir_base</c>, a required <c>dataset_type</c>, and <c>prompt</c> as a format string.
    /// Every setting our own finetune.yaml takes from the run is passed, so that the file it writes
    /// trains what ours trains; its own defaults differ (seed 14, adapter-only checkpoints).
    /// </summary>
    private static YamlMap V0_3_4Settings(PlannedRun run, ExperimentLayout layout, DatasetLocation dataset)
    {
        RunSettings settings = run.Settings;
        bool builtByCruijffKit = CruijffDatasets.Builds(settings.DatasetType);
        var yaml = Places(run, layout, dataset, outputKey: "project_dir")
            .Text("dataset_type", DatasetTypeName(settings.DatasetType))
            .CruijffValues(settings, "lora_rank", "lora_dropout", "lr", "weight_decay", "num_warmup_steps", "lr_scheduler", "batch_size", "gradient_accumulation_steps", "epochs", "max_seq_len", "seed")
            // cruijff_kit's builders return unpacked samples; ours writes packed: false for them too.
            .Boolean("packed", builtByCruijffKit ? false : settings.Packed)
            .Boolean("train_on_input", false)
            .Boolean("save_adapter_weights_only", false)
            .CruijffValues(settings, "log_every_n_steps", "run_val_every_n_steps")
            .Text("prompt", Scripts.EvalConfigFile.FormatString(settings.PromptTemplate));

        // text_completion has no system-prompt slot (the script warns and drops one).
        if (settings.DatasetType != DatasetType.CruijffTextCompletion)
        {
            yaml.Add("system_prompt", CruijffValue(settings, "system_prompt"));
        }

        return yaml;
    }

    /// <summary>
    /// Why v0.3.4's <c>setup_finetune.py</c> cannot set <paramref name="run"/> up, or <see langword="null"/>.
    /// It lists torchtune's builders as valid but stops on them whatever the file says (its template has
    /// neither the <c>data_dir</c> nor the <c>field</c> its code pops for them), so only cruijff_kit's own
    /// two builders get through it. They are not substituted: they format the samples with the model's
    /// Hugging Face chat template or as plain text and never pack, so the run would train on other tokens.
    /// </summary>
    public static string? V0_3_4Problem(PlannedRun run) => CruijffDatasets.Builds(run.Settings.DatasetType)
        ? null
        : $"run {run.Name} uses DatasetType.{run.Settings.DatasetType} (dataset_type {DatasetTypeName(run.Settings.DatasetType)}), which cruijff_kit v0.3.4's setup_finetune.py cannot build (it stops on torchtune's instruct and chat builders, and its own builders tokenize differently, so none is substituted); "
            + "use DatasetType.CruijffChatCompletion or DatasetType.CruijffTextCompletion (a plan's dataset_type chat_completion or text_completion), or --cruijff-kit-version seed";

    // v0.3.4 names its own builders chat_completion and text_completion and still lists torchtune's.
    private static string DatasetTypeName(DatasetType type) => type switch
    {
        DatasetType.CruijffChatCompletion => "chat_completion",
        DatasetType.CruijffTextCompletion => "text_completion",
        DatasetType.Instruct => "instruct_dataset",
        DatasetType.Chat => "chat_dataset",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a known dataset type."),
    };

    /// <summary>Adds the settings with these cruijff_kit keys, in this order, under the same keys.</summary>
    private static YamlMap CruijffValues(this YamlMap yaml, RunSettings settings, params string[] keys)
    {
        foreach (string key in keys)
        {
            yaml.Add(key, CruijffValue(settings, key));
        }

        return yaml;
    }

    /// <summary>A setting by its cruijff_kit key, typed as experiment_summary.yaml types it (the same keys setup_finetune.py reads).</summary>
    private static YamlScalar CruijffValue(RunSettings settings, string key) =>
        YamlPlanShape.Scalar(SettingCatalog.All.Single(f => f.CruijffPlace == CruijffPlace.Parameters && f.CruijffKey == key), settings);

    private static void AddWhenSet(YamlMap yaml, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            yaml.Text(key, value);
        }
    }
}
