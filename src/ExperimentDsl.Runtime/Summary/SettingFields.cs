using System.Globalization;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>Every setting of <see cref="RunSettings"/>, in the order the summary's Configuration lists them.</summary>
internal static class SettingFields
{
    public static IReadOnlyList<SettingField> All { get; } =
    [
        new("Model", "Model", "Model", ["basemodel", "modelname"], "Model",
            s => ModelCatalog.Of(s.Model).Name,
            (s, t) => s with { Model = ParseModel(t) },
            s => "Model." + s.Model,
            new YamlSetting("model", YamlKind.String, YamlPlace.RunModel)),
        IntField("Epochs", "Epochs", "Epochs", ["numepochs", "epoch"], "epochs", s => s.Epochs, (s, v) => s with { Epochs = WithinRules("Epochs", Positive(v)) }),
        IntField("BatchSize", "Batch size", "Batch Size", ["bs", "batch"], "batch_size", s => s.BatchSize, (s, v) => s with { BatchSize = Positive(v) }),
        IntField("LoraRank", "LoRA rank", "LoRA Rank", ["rank", "r", "lorar"], "lora_rank", s => s.LoraRank, (s, v) => s with { LoraRank = Positive(v) }),
        DoubleField("LearningRate", "Learning rate", "Learning Rate", ["lr"], "lr", s => s.LearningRate,
            (s, v) => s with { LearningRate = v > 0 && v < 1 ? v : throw new SettingValueException("must be between 0 and 1 (exclusive)") }),
        DoubleField("LoraDropout", "LoRA dropout", "LoRA Dropout", ["dropout"], "lora_dropout", s => s.LoraDropout,
            (s, v) => s with { LoraDropout = v >= 0 && v < 1 ? v : throw new SettingValueException("must be in [0, 1)") }),
        DoubleField("WeightDecay", "Weight decay", "Weight Decay", ["wd"], "weight_decay", s => s.WeightDecay,
            (s, v) => s with { WeightDecay = v >= 0 ? v : throw new SettingValueException("must not be negative") }),
        IntField("WarmupSteps", "Warmup steps", "Warmup Steps", ["warmup", "numwarmupsteps"], "num_warmup_steps", s => s.WarmupSteps, (s, v) => s with { WarmupSteps = NotNegative(v) }),
        new("LrScheduler", "LR scheduler", "LR Scheduler", ["scheduler", "learningratescheduler", "learningrateschedule", "lrschedule"], "LrScheduler",
            s => s.LrScheduler.ToString().ToLowerInvariant(),
            (s, t) => s with { LrScheduler = ParseScheduler(t) },
            s => "LrScheduler." + s.LrScheduler,
            new YamlSetting("lr_scheduler", YamlKind.String, Text: s => "get_" + s.LrScheduler.ToString().ToLowerInvariant() + "_schedule_with_warmup")),
        IntField("GradientAccumulationSteps", "Gradient accumulation steps", "Gradient Accumulation Steps", ["gradientaccumulation", "gradaccum", "gradientaccumulationsteps"], "gradient_accumulation_steps",
            s => s.GradientAccumulationSteps, (s, v) => s with { GradientAccumulationSteps = Positive(v) }),
        IntField("MaxSeqLen", "Max sequence length", "Max Seq Len", ["maxsequencelength", "maxlength", "maxseqlength"], "max_seq_len", s => s.MaxSeqLen, (s, v) => s with { MaxSeqLen = Positive(v) }),
        IntField("Seed", "Seed", "Seed", ["randomseed"], "seed", s => s.Seed, (s, v) => s with { Seed = v }),
        IntField("LogEveryNSteps", "Log every N steps", "Log Every N Steps", ["logevery", "logeverynsteps"], "log_every_n_steps", s => s.LogEveryNSteps, (s, v) => s with { LogEveryNSteps = Positive(v) }),
        new("ValidationEveryNSteps", "Validation during training", "Validation", ["validation", "validationeverynsteps", "runvaleverynsteps", "valeverynsteps", "validationduringtraining"], "int",
            s => s.ValidationEveryNSteps == 0 ? "off" : "every " + NumberText.Format(s.ValidationEveryNSteps) + " steps",
            (s, t) => s with { ValidationEveryNSteps = ParseValidation(t) },
            s => NumberText.Format(s.ValidationEveryNSteps),
            new YamlSetting("run_val_every_n_steps", YamlKind.Int, Text: s => NumberText.Format(s.ValidationEveryNSteps))),
        new("Packed", "Packed", "Packed", ["packing", "packedsamples"], "bool",
            s => s.Packed ? "true" : "false",
            (s, t) => s with { Packed = ParseBool(t) },
            s => s.Packed ? "true" : "false",
            new YamlSetting("packed", YamlKind.Bool)),
        StringField("Dataset", "Dataset", "Dataset", ["datasetpath", "trainingdataset", "data"], new YamlSetting("dataset_path", YamlKind.String, YamlPlace.TrainingData), s => s.Dataset, (s, v) => s with { Dataset = NotEmpty(v) }),
        new("DatasetType", "Dataset type", "Dataset Type", ["datasetbuilder", "datasetformat"], "DatasetType",
            s => s.DatasetType.ToString().ToLowerInvariant(),
            (s, t) => s with { DatasetType = ParseDatasetType(t) },
            s => "DatasetType." + s.DatasetType,
            new YamlSetting("dataset_type", YamlKind.String, Text: s => DatasetTypeYamlName(s.DatasetType))),
        StringField("SystemPrompt", "System prompt", "System Prompt", ["prompt", "newsystemprompt"], "system_prompt", s => s.SystemPrompt, (s, v) => s with { SystemPrompt = v }),
        StringField("PromptTemplate", "Prompt template", "Prompt Template", ["template"], "prompt", s => s.PromptTemplate,
            (s, v) => s with { PromptTemplate = v.Contains("{input}", StringComparison.Ordinal) ? v : throw new SettingValueException("must contain {input}") }),
        new("Gpus", "GPUs", "GPUs", ["gpu", "numgpus", "gpuspernode"], "int?",
            s => s.Gpus is int g ? NumberText.Format(g) : "default",
            (s, t) => s with { Gpus = SummaryKeys.Is(t, "default", "catalogue default", "catalog default") ? null : Positive(ParseInt(t)) },
            s => s.Gpus is int g ? NumberText.Format(g) : "null",
            new YamlSetting("gpus", YamlKind.Int, YamlPlace.Compute)),
        StringField("FinetuneTime", "Fine-tune time limit", "Fine-tune Time", ["finetunetime", "trainingtime", "traintime", "timelimit"], new YamlSetting("time", YamlKind.String, YamlPlace.Compute), s => s.FinetuneTime, (s, v) => s with { FinetuneTime = NotEmpty(v) }),
        StringField("EvalTime", "Evaluation time limit", "Eval Time", ["evaltime", "evaluationtime"], new YamlSetting("time", YamlKind.String, YamlPlace.EvaluationCompute), s => s.EvalTime, (s, v) => s with { EvalTime = NotEmpty(v) }),
    ];

    public static SettingField? Find(string key) => All.FirstOrDefault(f => f.Matches(key));

    public static SettingField? ByName(string name) => All.FirstOrDefault(f => f.Name == name);

    public static Model ParseModel(string text)
    {
        if (ModelCatalog.TryFind(text.Trim(), out ModelInfo info))
        {
            return info.Model;
        }

        throw new SettingValueException("is not a known model (known: " + string.Join(", ", ModelCatalog.All.Select(m => m.Name)) + ")");
    }

    public static int ParseInt(string text) =>
        NumberText.TryParseInt(text, out int value) ? value : throw new SettingValueException("is not an integer");

    public static double ParseDouble(string text) =>
        NumberText.TryParseDouble(text, out double value) ? value : throw new SettingValueException("is not a number");

    public static bool ParseBool(string text)
    {
        if (SummaryKeys.Is(text, "true", "yes", "on", "enabled")) return true;
        if (SummaryKeys.Is(text, "false", "no", "off", "disabled")) return false;
        throw new SettingValueException("is not true/false");
    }

    private static SettingField IntField(string name, string label, string column, string[] aliases, string yamlKey, Func<RunSettings, int> get, Func<RunSettings, int, RunSettings> set) =>
        new(name, label, column, aliases, "int", s => NumberText.Format(get(s)), (s, t) => set(s, ParseInt(t)), s => NumberText.Format(get(s)), new YamlSetting(yamlKey, YamlKind.Int));

    private static SettingField DoubleField(string name, string label, string column, string[] aliases, string yamlKey, Func<RunSettings, double> get, Func<RunSettings, double, RunSettings> set) =>
        new(name, label, column, aliases, "double", s => NumberText.Format(get(s)), (s, t) => set(s, ParseDouble(t)), s => NumberText.CSharpLiteral(get(s)), new YamlSetting(yamlKey, YamlKind.Float));

    private static SettingField StringField(string name, string label, string column, string[] aliases, string yamlKey, Func<RunSettings, string> get, Func<RunSettings, string, RunSettings> set) =>
        StringField(name, label, column, aliases, new YamlSetting(yamlKey, YamlKind.String), get, set);

    private static SettingField StringField(string name, string label, string column, string[] aliases, YamlSetting yaml, Func<RunSettings, string> get, Func<RunSettings, string, RunSettings> set) =>
        new(name, label, column, aliases, "string", get, set, s => CSharpLiterals.String(get(s)), yaml);

    // The epochs are checked while reading: an evaluation plan of "all" epochs is built from them.
    private static int WithinRules(string setting, int value) =>
        InputRules.SettingProblem(setting, value) is { } problem ? throw new SettingValueException("is out of range: " + problem) : value;

    private static int Positive(int value) => value > 0 ? value : throw new SettingValueException("must be positive");

    private static int NotNegative(int value) => value >= 0 ? value : throw new SettingValueException("must not be negative");

    private static string NotEmpty(string value) => value.Length > 0 ? value : throw new SettingValueException("must not be empty");

    private static LrScheduler ParseScheduler(string text)
    {
        string key = SummaryKeys.Normalize(text);
        foreach (LrScheduler scheduler in Enum.GetValues<LrScheduler>())
        {
            string name = scheduler.ToString().ToLowerInvariant();
            if (key == name || key == "get" + name + "schedulewithwarmup")
            {
                return scheduler;
            }
        }

        // torchtune has no linear or exponential schedule: such a summary cannot be run as written.
        throw new SettingValueException("is not a learning-rate scheduler torchtune can run (known: cosine, constant)");
    }

    /// <summary>
    /// A dataset type as experiment_summary.yaml names it: cruijff_kit's own builders by cruijff_kit's
    /// names (<c>CruijffChatCompletion</c> is <c>chat_completion</c>), torchtune's by ours (<c>instruct</c>).
    /// </summary>
    public static string DatasetTypeYamlName(DatasetType type)
    {
        const string Cruijff = "Cruijff";
        string name = type.ToString();
        if (!name.StartsWith(Cruijff, StringComparison.Ordinal) || name.Length == Cruijff.Length)
        {
            return name.ToLowerInvariant();
        }

        var snake = new System.Text.StringBuilder();
        foreach (char c in name[Cruijff.Length..])
        {
            if (char.IsUpper(c) && snake.Length > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }

    private static DatasetType ParseDatasetType(string text)
    {
        string key = SummaryKeys.Normalize(text);
        foreach (DatasetType type in Enum.GetValues<DatasetType>())
        {
            string name = type.ToString().ToLowerInvariant();
            if (key == name || key == name + "dataset" || key == SummaryKeys.Normalize(DatasetTypeYamlName(type)))
            {
                return type;
            }
        }

        throw new SettingValueException("is not a dataset type (known: " + string.Join(", ", Enum.GetValues<DatasetType>().Select(DatasetTypeYamlName)) + ")");
    }

    private static int ParseValidation(string text)
    {
        string trimmed = text.Trim();
        if (SummaryKeys.Is(trimmed, "off", "no", "none", "false", "disabled", "0"))
        {
            return 0;
        }

        // "every 50 steps", "50", "yes (every 50 steps)": the step count is the only number.
        string[] numbers = trimmed.Split([' ', '(', ')', ','], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.All(char.IsAsciiDigit)).ToArray();
        if (numbers.Length == 1)
        {
            return Positive(int.Parse(numbers[0], CultureInfo.InvariantCulture));
        }

        throw new SettingValueException("is not 'off' or 'every N steps'");
    }
}
