using System.Globalization;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// Writes a run's <c>finetune.yaml</c> (SPEC 6.3): the complete torchtune LoRA recipe config, keys
/// in the spec's order. <c>${...}</c> values are OmegaConf interpolations that torchtune resolves
/// when it loads the file, so they are written literally.
/// </summary>
public static class FinetuneYaml
{
    /// <summary>The text of <paramref name="run"/>'s <c>finetune.yaml</c>; pure, no file I/O.</summary>
    /// <param name="run">The run.</param>
    /// <param name="layout">The experiment's paths and environment.</param>
    /// <returns>UTF-8-ready YAML text with '\n' line endings, ending with a newline.</returns>
    /// <exception cref="ArgumentException">The run's dataset is not a <c>.json</c> or <c>.parquet</c> file.</exception>
    public static string Emit(PlannedRun run, ExperimentLayout layout)
    {
        RunSettings settings = run.Settings;
        ModelInfo model = settings.ModelInfo;
        DatasetLocation dataset = DatasetLocation.Of(run, layout);

        // Values from the experiment and the environment are escaped for OmegaConf (see OmegaConfText):
        // output_dir is read by the recipe itself (resolved once); the others reach torchtune only
        // through ${...} references in sections it builds with config.instantiate (resolved twice).
        string outputDir = layout.CheckpointDir(run.Name);
        var yaml = new YamlMap()
            .Text("my_wandb_project", OmegaConfText.EscapeForInstantiate(layout.Environment.WandbProject))
            .Text("my_wandb_run_name", OmegaConfText.EscapeForInstantiate(run.Name))
            .Text("input_formatting", "")
            .Text("dataset_label", OmegaConfText.EscapeForInstantiate(dataset.Label))
            .Text("output_dir", OmegaConfText.Escape(outputDir))
            .Text("input_dir", OmegaConfText.EscapeForInstantiate(dataset.Directory))
            .Text("models_dir", OmegaConfText.EscapeForInstantiate(layout.ModelsDirWithSlash))
            .Setting(settings, "batch_size")
            .Map("model", new YamlMap()
                .Text("_component_", model.LoraComponent)
                .Setting(settings, "model.lora_attn_modules")
                .Setting(settings, "model.apply_lora_to_mlp")
                .Setting(settings, "model.apply_lora_to_output")
                .Setting(settings, "model.lora_rank")
                .Setting(settings, "model.lora_alpha")
                .Setting(settings, "model.lora_dropout"))
            .Map("tokenizer", Tokenizer(model, settings))
            .Map("checkpointer", Checkpointer(model, outputDir))
            .Boolean("resume_from_checkpoint", false)
            .Boolean("save_adapter_weights_only", false)
            .Boolean("save_last_epoch_only", false)
            .Text("epochs_to_save", "all")
            .Map("optimizer", new YamlMap()
                .Text("_component_", "torch.optim.AdamW")
                .Boolean("fused", true)
                .Setting(settings, "optimizer.weight_decay")
                .Setting(settings, "optimizer.lr"))
            .Map("lr_scheduler", LrSchedule(settings))
            .Map("loss", new YamlMap()
                .Text("_component_", "torchtune.modules.loss.CEWithChunkedOutputLoss"))
            .Setting(settings, "epochs")
            .Setting(settings, "max_steps_per_epoch")
            .Setting(settings, "gradient_accumulation_steps")
            .Setting(settings, "clip_grad_norm")
            .Boolean("compile", false)
            .Map("dataset", Dataset(settings, dataset, "train"));

        if (settings.ValidationEveryNSteps > 0)
        {
            yaml.Integer("run_val_every_n_steps", settings.ValidationEveryNSteps)
                .Map("dataset_val", Dataset(settings, dataset, "validation"));
        }

        yaml.Map("metric_logger", new YamlMap()
                .Text("_component_", "torchtune.training.metric_logging.WandBLogger")
                .Text("mode", "offline")
                .Text("project", "${my_wandb_project}")
                .Text("name", "${my_wandb_run_name}")
                .Text("log_dir", InOutputDir(outputDir, "/logs")))
            .Setting(settings, "log_every_n_steps")
            .Boolean("log_peak_memory_stats", true)
            // Current torchtune recipes read cfg.log_level and fail without it.
            .Text("log_level", "INFO")
            .Text("device", "cuda")
            .Setting(settings, "dtype")
            .Setting(settings, "enable_activation_checkpointing")
            .Boolean("enable_activation_offloading", false)
            .Map("profiler", Profiler(outputDir))
            .Setting(settings, "seed")
            .Boolean("shuffle", true);

        return YamlText.Write(yaml);
    }

    private static YamlMap Tokenizer(ModelInfo model, RunSettings settings)
    {
        TokenizerInfo tokenizer = model.Tokenizer;
        var yaml = new YamlMap()
            .Text("_component_", tokenizer.Component)
            .Text("path", InModelDir(model, tokenizer.PathInModelDir));
        if (tokenizer.MergesFileInModelDir is { } merges)
        {
            yaml.Text("merges_file", InModelDir(model, merges));
        }

        yaml.Setting(settings, "tokenizer.max_seq_len");

        // The template wraps each user message: torchtune's tokenizers take a mapping of role to
        // [text before, text after] (_get_prompt_template), the same wrapping the eval tasks apply.
        // cruijff_kit's builders wrap the input themselves (their prompt key) and ignore the tokenizer.
        if (!PromptWrapping.IsDefault(settings.PromptTemplate) && !CruijffDatasets.Builds(settings.DatasetType))
        {
            PromptWrapping wrapping = PromptWrapping.Of(settings.PromptTemplate);
            yaml.Map("prompt_template", new YamlMap()
                .TextList("user", OmegaConfText.EscapeForInstantiate(wrapping.Before), OmegaConfText.EscapeForInstantiate(wrapping.After)));
        }

        return yaml;
    }

    private static YamlMap Checkpointer(ModelInfo model, string outputDir)
    {
        var yaml = new YamlMap()
            .Text("_component_", "torchtune.training.FullModelHFCheckpointer")
            .Text("checkpoint_dir", InModelDir(model, ""));

        if (model.CheckpointShards == 1)
        {
            yaml.FlowList("checkpoint_files", "model.safetensors");
        }
        else
        {
            // torchtune expands this to model-00001-of-0000N.safetensors ... A block mapping, because
            // the '{}' in the format would end a plain scalar inside a flow mapping.
            yaml.Map("checkpoint_files", new YamlMap()
                .Text("filename_format", "model-{}-of-{}.safetensors")
                .Text("max_filename", model.CheckpointShards.ToString("D5", CultureInfo.InvariantCulture)));
        }

        return yaml
            .Null("recipe_checkpoint")
            .Text("output_dir", InOutputDir(outputDir, ""))
            .Text("model_type", model.ModelType);
    }

    /// <summary>The training (<c>train</c>) or validation (<c>validation</c>) dataset section.</summary>
    private static YamlMap Dataset(RunSettings settings, DatasetLocation dataset, string split)
    {
        if (CruijffDatasets.Builds(settings.DatasetType))
        {
            return CruijffDatasets.Section(settings, dataset, split);
        }

        bool chat = settings.DatasetType == DatasetType.Chat;
        var yaml = new YamlMap()
            .Text("_component_", chat ? "torchtune.datasets.chat_dataset" : "torchtune.datasets.instruct_dataset");

        if (dataset.IsParquet)
        {
            yaml.Text("source", "parquet")
                .Text("data_dir", "${input_dir}/${dataset_label}/" + split + ".parquet")
                .Text("split", split);
        }
        else if (chat)
        {
            // A chat dataset is a directory of one JSON file per split, so no split/field key.
            yaml.Text("source", "json")
                .Text("data_files", "${input_dir}/${dataset_label}/" + split + ".json");
        }
        else
        {
            // One JSON file holding every split under a top-level key.
            yaml.Text("source", "json")
                .Text("data_files", "${input_dir}/${dataset_label}" + dataset.Extension)
                .Text("field", split);
        }

        if (chat)
        {
            yaml.Text("conversation_column", "messages")
                .Text("conversation_style", "openai");
        }

        yaml.Boolean("packed", settings.Packed)
            .Boolean("train_on_input", false);

        if (settings.SystemPrompt.Length > 0)
        {
            yaml.Text("new_system_prompt", OmegaConfText.EscapeForInstantiate(settings.SystemPrompt));
        }

        return yaml;
    }

    private static YamlMap Profiler(string outputDir) => new YamlMap()
        .Text("_component_", "torchtune.training.setup_torch_profiler")
        .Boolean("enabled", false)
        .Text("output_dir", InOutputDir(outputDir, "/profiling_outputs"))
        .Boolean("cpu", true)
        .Boolean("cuda", true)
        .Boolean("profile_memory", false)
        .Boolean("with_stack", false)
        .Boolean("record_shapes", true)
        .Boolean("with_flops", false)
        .Integer("wait_steps", 5)
        .Integer("warmup_steps", 3)
        .Integer("active_steps", 2)
        .Integer("num_cycles", 1);

    /// <summary>
    /// A path under the checkpoint directory in a section torchtune instantiates: <c>${output_dir}</c>
    /// plus the suffix, unless the directory needs escaping. The recipe reads the top-level output_dir
    /// once but an instantiated section resolves twice, so no one text of output_dir serves both; the
    /// path is then written out, escaped for the section.
    /// </summary>
    private static string InOutputDir(string outputDir, string suffix) =>
        OmegaConfText.Escape(outputDir) == outputDir
            ? "${output_dir}" + suffix
            : OmegaConfText.EscapeForInstantiate(outputDir + suffix);

    /// <summary><c>${models_dir}/{model}/{relative}</c>: the model's directory as torchtune resolves it.</summary>
    private static string InModelDir(ModelInfo model, string relative) => "${models_dir}/" + model.Name + "/" + relative;

    /// <summary>
    /// torchtune has one schedule its recipes can call; a constant schedule is its cosine with zero
    /// cycles (the cosine factor stays 1 after warmup).
    /// </summary>
    private static YamlMap LrSchedule(RunSettings settings)
    {
        var yaml = new YamlMap()
            .Text("_component_", "torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup")
            .Setting(settings, "lr_scheduler.num_warmup_steps");
        return settings.LrScheduler switch
        {
            LrScheduler.Cosine => yaml,
            LrScheduler.Constant => yaml.Float("num_cycles", 0.0),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.LrScheduler, "Not a known learning-rate schedule."),
        };
    }
}
