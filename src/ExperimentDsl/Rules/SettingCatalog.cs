using System;
using System.Collections.Generic;

// The generator's copy lives in its own namespace: its tests see both assemblies.
#if EXPERIMENTDSL_GENERATOR
namespace ExperimentDsl.Generators.Catalog;
#else
namespace ExperimentDsl.Rules;
#endif

/// <summary>
/// Every run setting, declared once: one row per property of <c>RunSettings</c> with its kind, default,
/// range, run-name prefix, summary label and column, cruijff_kit key, torchtune key and axolotl key
/// (with the values axolotl writes otherwise or cannot express). The generator's diagnostics and
/// default run names, the plan check, both plan formats, the C# importer, the finetune.yaml writer and
/// validator and the axolotl.yaml writer all loop over these rows. This file is compiled into the
/// generator too (as <see cref="InputRules"/> is), so it keeps to C# that netstandard2.0 offers and
/// names the settings' types by metadata name only.
/// </summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
static class SettingCatalog
{
    private const string ModelType = "ExperimentDsl.Model";
    private const string SchedulerType = "ExperimentDsl.LrScheduler";
    private const string DatasetTypeType = "ExperimentDsl.DatasetType";
    private const string PrecisionType = "ExperimentDsl.Precision";
    private const string LoraModulesType = "ExperimentDsl.LoraModules";
    private const string TrainerType = "ExperimentDsl.Trainer";

    // axolotl (the pinned commit of tests/Contract/axolotl-contract.json): what it cannot express, and why.
    private const string LoraTargets = "lora_target_modules[]";
    private const string TorchtuneRun = "the run trains with torchtune, which reads finetune.yaml, not an axolotl config";
    private const string MaxStepsCapsTheRun =
        "axolotl's max_steps caps the whole run (transformers' Trainer stops there), not each epoch, so the later epochs and their checkpoints would not exist";
    private const string WarmupOfOneStep =
        "axolotl turns warmup_steps 1 into 2 (core/builders/base.py); use 0 or 2";
    private const string PlainTextNeedsNoTemplate =
        "axolotl trains on conversations formatted with the model's chat template (chat_template), while cruijff_kit's text_completion trains plain text for base models; use DatasetType.CruijffChatCompletion, Instruct or Chat for axolotl runs";

    /// <summary>Every setting, in the order the summary's Configuration and the C# import list them.</summary>
    // Prefixes are short so default names stay readable: r8_lr1e-5_e2.
    public static IReadOnlyList<Setting> All { get; } = new[]
    {
        new Setting("Model", SettingKind.Enum, "Llama_3_2_1B_Instruct", "", "Model", "Model", new[] { "basemodel", "modelname" }, "model")
            { EnumType = ModelType, Text = SettingText.Model, CruijffPlace = CruijffPlace.RunModel, AxolotlKey = "base_model", AxolotlForm = TrainerForm.ModelDirectory },
        new Setting("Epochs", SettingKind.Int, 1, "e", "Epochs", "Epochs", new[] { "numepochs", "epoch" }, "epochs")
            { CruijffOrder = 4, Range = SettingRange.Between(1, InputRules.MaxEpochs), TorchtuneKey = "epochs", AxolotlKey = "num_epochs" },
        new Setting("MaxStepsPerEpoch", SettingKind.NullableInt, null, "steps", "Max steps per epoch", "Max Steps/Epoch", new[] { "maxsteps" }, "max_steps_per_epoch")
            { Range = SettingRange.Above(0), TorchtuneKey = "max_steps_per_epoch", Text = SettingText.NumberOrAll, AxolotlKey = "max_steps", AxolotlValues = new[] { TrainerValue.Omits(null), TrainerValue.RefusesOthers(MaxStepsCapsTheRun) } },
        new Setting("BatchSize", SettingKind.Int, 4, "b", "Batch size", "Batch Size", new[] { "bs", "batch" }, "batch_size")
            { CruijffOrder = 5, Range = SettingRange.Above(0), TorchtuneKey = "batch_size", AxolotlKey = "micro_batch_size" },
        new Setting("LoraRank", SettingKind.Int, 8, "r", "LoRA rank", "LoRA Rank", new[] { "rank", "r", "lorar" }, "lora_rank")
            { Range = SettingRange.Between(1, InputRules.MaxLoraRank), TorchtuneKey = "model.lora_rank", AxolotlKey = "lora_r" },
        new Setting("LoraAlpha", SettingKind.NullableInt, null, "a", "LoRA alpha", "LoRA Alpha", new[] { "alpha" }, "lora_alpha")
            { Range = SettingRange.Between(1, 2 * InputRules.MaxLoraRank), TorchtuneKey = "model.lora_alpha", Text = SettingText.NumberOrTwiceRank, TrainerValueFrom = "EffectiveLoraAlpha", AxolotlKey = "lora_alpha" },
        new Setting("LoraAttnModules", SettingKind.Enum, "QProj, VProj, OutputProj", "attn", "LoRA attention modules", "LoRA Attn Modules", new[] { "attnmodules", "loramodules" }, "lora_attn_modules")
            { EnumType = LoraModulesType, Text = SettingText.ModuleSet, TorchtuneKey = "model.lora_attn_modules", AxolotlKey = LoraTargets, AxolotlValues = new[] { TrainerValue.Maps("None", new string[0]), TrainerValue.Maps("QProj", new[] { "q_proj" }), TrainerValue.Maps("KProj", new[] { "k_proj" }), TrainerValue.Maps("VProj", new[] { "v_proj" }), TrainerValue.Maps("OutputProj", new[] { "o_proj" }) } },
        new Setting("ApplyLoraToMlp", SettingKind.Bool, true, "mlp", "LoRA on MLP", "LoRA MLP", new[] { "loratomlp" }, "apply_lora_to_mlp")
            { TorchtuneKey = "model.apply_lora_to_mlp", AxolotlKey = LoraTargets, AxolotlValues = new[] { TrainerValue.Maps(true, new[] { "gate_proj", "up_proj", "down_proj" }), TrainerValue.Maps(false, new string[0]) } },
        new Setting("ApplyLoraToOutput", SettingKind.Bool, false, "out", "LoRA on output", "LoRA Output", new[] { "loratooutput" }, "apply_lora_to_output")
            { TorchtuneKey = "model.apply_lora_to_output", AxolotlKey = LoraTargets, AxolotlValues = new[] { TrainerValue.Maps(true, new[] { "lm_head" }), TrainerValue.Maps(false, new string[0]) } },
        new Setting("LearningRate", SettingKind.Double, 1e-4, "lr", "Learning rate", "Learning Rate", new[] { "lr" }, "lr")
            { Range = SettingRange.Open(0, 1), TorchtuneKey = "optimizer.lr", AxolotlKey = "learning_rate" },
        new Setting("LoraDropout", SettingKind.Double, 0.0, "do", "LoRA dropout", "LoRA Dropout", new[] { "dropout" }, "lora_dropout")
            { CruijffOrder = 9, Range = SettingRange.AtLeastBelow(0, 1), TorchtuneKey = "model.lora_dropout", AxolotlKey = "lora_dropout" },
        new Setting("WeightDecay", SettingKind.Double, 0.01, "wd", "Weight decay", "Weight Decay", new[] { "wd" }, "weight_decay")
            { CruijffOrder = 8, Range = SettingRange.AtLeastBelow(0, 1000), TorchtuneKey = "optimizer.weight_decay", AxolotlKey = "weight_decay" },
        new Setting("ClipGradNorm", SettingKind.NullableDouble, null, "clip", "Gradient clipping norm", "Clip Grad Norm", new[] { "gradclip", "maxgradnorm" }, "clip_grad_norm")
            { Range = SettingRange.Above(0), TorchtuneKey = "clip_grad_norm", Text = SettingText.NumberOrOff, AxolotlKey = "max_grad_norm", AxolotlValues = new[] { TrainerValue.Maps(null, 0.0) } },
        new Setting("WarmupSteps", SettingKind.Int, 100, "warmup", "Warmup steps", "Warmup Steps", new[] { "warmup", "numwarmupsteps" }, "num_warmup_steps")
            { Range = SettingRange.AtLeast(0), TorchtuneKey = "lr_scheduler.num_warmup_steps", AxolotlKey = "warmup_steps", AxolotlValues = new[] { TrainerValue.Refuses(1, WarmupOfOneStep) } },
        new Setting("LrScheduler", SettingKind.Enum, "Cosine", "sched", "LR scheduler", "LR Scheduler", new[] { "scheduler", "learningratescheduler", "learningrateschedule", "lrschedule" }, "lr_scheduler")
            { EnumType = SchedulerType, CruijffValue = "get_{0}_schedule_with_warmup", AxolotlKey = "lr_scheduler", AxolotlValues = new[] { TrainerValue.Maps("Cosine", "cosine"), TrainerValue.Maps("Constant", "constant_with_warmup") } },
        new Setting("GradientAccumulationSteps", SettingKind.Int, 1, "ga", "Gradient accumulation steps", "Gradient Accumulation Steps", new[] { "gradientaccumulation", "gradaccum", "gradientaccumulationsteps" }, "gradient_accumulation_steps")
            { CruijffOrder = 6, Range = SettingRange.Above(0), TorchtuneKey = "gradient_accumulation_steps", AxolotlKey = "gradient_accumulation_steps" },
        new Setting("MaxSeqLen", SettingKind.Int, 2048, "len", "Max sequence length", "Max Seq Len", new[] { "maxsequencelength", "maxlength", "maxseqlength" }, "max_seq_len")
            { Range = SettingRange.Above(0), TorchtuneKey = "tokenizer.max_seq_len", AxolotlKey = "sequence_len" },
        new Setting("Seed", SettingKind.Int, 42, "seed", "Seed", "Seed", new[] { "randomseed" }, "seed")
            { CruijffOrder = 7, CruijffDefault = 14, Range = SettingRange.AtLeast(0), TorchtuneKey = "seed", AxolotlKey = "seed" },
        new Setting("Packed", SettingKind.Bool, true, "packed", "Packed", "Packed", new[] { "packing", "packedsamples" }, "packed")
            { CruijffDefault = false, AxolotlKey = "sample_packing" },
        new Setting("ValidationEveryNSteps", SettingKind.Int, 0, "val", "Validation during training", "Validation", new[] { "validation", "validationeverynsteps", "runvaleverynsteps", "valeverynsteps", "validationduringtraining" }, "run_val_every_n_steps")
            { Range = SettingRange.AtLeast(0), Text = SettingText.EveryNStepsOrOff, AxolotlKey = "eval_steps", AxolotlValues = new[] { TrainerValue.Omits(0) } },
        new Setting("LogEveryNSteps", SettingKind.Int, 5, "log", "Log every N steps", "Log Every N Steps", new[] { "logevery", "logeverynsteps" }, "log_every_n_steps")
            { Range = SettingRange.Above(0), TorchtuneKey = "log_every_n_steps", AxolotlKey = "logging_steps" },
        new Setting("Dtype", SettingKind.Enum, "Bf16", "dtype", "Precision", "Dtype", new[] { "precision", "dtype" }, "dtype")
            { EnumType = PrecisionType, TorchtuneKey = "dtype", AxolotlKey = "bf16", AxolotlValues = new[] { TrainerValue.Maps("Bf16", true), TrainerValue.Maps("Fp32", false) } },
        new Setting("ActivationCheckpointing", SettingKind.Bool, false, "ac", "Activation checkpointing", "Activation Checkpointing", new[] { "enableactivationcheckpointing" }, "enable_activation_checkpointing")
            { TorchtuneKey = "enable_activation_checkpointing", AxolotlKey = "gradient_checkpointing" },
        new Setting("Trainer", SettingKind.Enum, "Torchtune", "tr", "Trainer", "Trainer", new[] { "finetuner", "backend" }, "trainer")
            { EnumType = TrainerType, AxolotlValues = new[] { TrainerValue.Omits("Axolotl"), TrainerValue.Refuses("Torchtune", TorchtuneRun) } },
        new Setting("Dataset", SettingKind.String, "data/train.json", "data", "Dataset", "Dataset", new[] { "datasetpath", "trainingdataset", "data" }, "dataset_path")
            { Group = SettingGroup.DataAndPrompts, TextRule = TextRule.DatasetFile, AsCode = true, CruijffPlace = CruijffPlace.TrainingData, AxolotlKey = "datasets[0].path", AxolotlForm = TrainerForm.MessagesFile },
        // axolotl: every dataset type but plain text becomes the messages file an axolotl run's job writes
        // before training (AxolotlDataSteps), with the system prompt and prompt template applied there.
        new Setting("DatasetType", SettingKind.Enum, "Instruct", "dt", "Dataset type", "Dataset Type", new[] { "datasetbuilder", "datasetformat" }, "dataset_type")
            { CruijffOrder = 3, Group = SettingGroup.DataAndPrompts, EnumType = DatasetTypeType, AxolotlKey = "datasets[0].type", AxolotlValues = new[] { TrainerValue.Maps("Instruct", "chat_template"), TrainerValue.Maps("Chat", "chat_template"), TrainerValue.Maps("CruijffChatCompletion", "chat_template"), TrainerValue.RefusesOthers(PlainTextNeedsNoTemplate) } },
        new Setting("SystemPrompt", SettingKind.String, "", "sys", "System prompt", "System Prompt", new[] { "prompt", "newsystemprompt" }, "system_prompt")
            { CruijffOrder = 1, Group = SettingGroup.DataAndPrompts, MayBeEmpty = true, AxolotlForm = TrainerForm.InMessages },
        new Setting("PromptTemplate", SettingKind.String, "{input}", "tmpl", "Prompt template", "Prompt Template", new[] { "template" }, "prompt")
            { CruijffOrder = 2, Group = SettingGroup.DataAndPrompts, TextRule = TextRule.InputPlaceholder, AsCode = true, AxolotlForm = TrainerForm.InMessages },
        new Setting("Gpus", SettingKind.NullableInt, null, "gpu", "GPUs", "GPUs", new[] { "gpu", "numgpus", "gpuspernode" }, "gpus")
            { Group = SettingGroup.Slurm, Range = SettingRange.Above(0), Text = SettingText.NumberOrDefault, CruijffPlace = CruijffPlace.Compute },
        new Setting("FinetuneTime", SettingKind.String, "00:15:00", "ft", "Fine-tune time limit", "Fine-tune Time", new[] { "finetunetime", "trainingtime", "traintime", "timelimit" }, "time")
            { Group = SettingGroup.Slurm, TextRule = TextRule.SlurmTime, CruijffPlace = CruijffPlace.Compute },
        new Setting("EvalTime", SettingKind.String, "0:30:00", "et", "Evaluation time limit", "Eval Time", new[] { "evaltime", "evaluationtime" }, "time")
            { Group = SettingGroup.Slurm, TextRule = TextRule.SlurmTime, CruijffPlace = CruijffPlace.EvaluationCompute },
    };

    private static readonly Dictionary<string, Setting> ByName = Index();

    /// <summary>
    /// The base model: the row whose value names the run's model directory, the summaries' Model
    /// column and Models section, and the controls' models.
    /// </summary>
    public static Setting Model { get; } = ByName["Model"];

    /// <summary>The training epochs: the row whose value decides a run's checkpoints and so what can be evaluated.</summary>
    public static Setting Epochs { get; } = ByName["Epochs"];

    /// <summary>The system prompt: the row a task's own system prompt replaces for that task's evaluations.</summary>
    public static Setting SystemPrompt { get; } = ByName["SystemPrompt"];

    /// <summary>The trainer: the row that decides which program reads which of a run's files.</summary>
    public static Setting Trainer { get; } = ByName["Trainer"];

    /// <summary>The setting called <paramref name="name"/> (a <c>RunSettings</c> property name), or null.</summary>
    public static Setting? Find(string name) => ByName.TryGetValue(name, out Setting? setting) ? setting : null;

    /// <summary>The setting cruijff_kit's experiment_summary.yaml holds at <paramref name="key"/> of <paramref name="place"/>, or null.</summary>
    public static Setting? AtCruijff(CruijffPlace place, string key)
    {
        foreach (Setting setting in All)
        {
            if (setting.CruijffPlace == place && setting.CruijffKey == key)
            {
                return setting;
            }
        }

        return null;
    }

    private static Dictionary<string, Setting> Index()
    {
        var index = new Dictionary<string, Setting>(StringComparer.Ordinal);
        foreach (Setting setting in All)
        {
            index.Add(setting.Name, setting);
        }

        return index;
    }
}
