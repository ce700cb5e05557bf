using System.Globalization;
using System.Text.Json.Nodes;
using ExperimentDsl.Rules;
using ExperimentDsl.Runtime.Axolotl;
using ExperimentDsl.Runtime.Catalogue;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// Every axolotl.yaml the writer can emit passes the pinned axolotl contract: every model with every
/// value of every setting, its extremes included; a value the catalogue says axolotl cannot express is
/// refused naming setting and value. A config broken in one place fails the check naming the problem.
/// </summary>
public sealed class AxolotlContractTests
{
    private static readonly RunSettings Chat = new()
    {
        Trainer = Trainer.Axolotl,
        DatasetType = DatasetType.Chat,
        Dataset = "/data/capitalization.json",
    };

    [Fact]
    public void Every_model_with_every_value_of_every_setting_passes_the_contract_or_is_refused_naming_the_setting()
    {
        var emitted = new List<(PlannedRun Run, string Yaml)>();
        var refused = 0;
        foreach (Model model in Enum.GetValues<Model>())
        {
            foreach ((Setting setting, object? value) in Cases())
            {
                RunSettings settings = RunSettingsValues.With(Chat with { Model = model }, setting, value);
                var run = new PlannedRun(ModelCatalog.Of(model).Name + "_" + setting.Name + "_" + emitted.Count.ToString(CultureInfo.InvariantCulture), settings, []);
                ExperimentLayout layout = Layout(run);
                string? refusal = setting.AxolotlRefusal(AxolotlSettings.CatalogueValue(settings, setting));
                if (refusal is not null)
                {
                    PlanRefusedException error = Assert.Throws<PlanRefusedException>(() => AxolotlYaml.Emit(run, layout));
                    Assert.Contains(setting.Name + " = ", error.Message, StringComparison.Ordinal);
                    Assert.Contains(refusal, error.Message, StringComparison.Ordinal);
                    refused++;
                    continue;
                }

                emitted.Add((run, AxolotlYaml.Emit(run, layout)));
            }
        }

        IReadOnlyList<AxolotlCheck> checks = AxolotlCheck.Run([.. emitted.Select(e => e.Yaml)]);

        var problems = new List<string>();
        for (int i = 0; i < emitted.Count; i++)
        {
            problems.AddRange(checks[i].Problems.Select(p => emitted[i].Run.Name + ": " + p));
            problems.AddRange(Misplaced(emitted[i].Run, Layout(emitted[i].Run), checks[i].Config!).Select(p => emitted[i].Run.Name + ": " + p));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(40)));
        Assert.True(emitted.Count > 400, $"only {emitted.Count} configs emitted");
        Assert.True(refused >= 9 * 6, $"only {refused} refusals");
    }

    [Fact]
    public void Every_default_run_that_axolotl_cannot_express_lists_each_refused_setting()
    {
        var run = new PlannedRun("defaults", new RunSettings { Trainer = Trainer.Axolotl, DatasetType = DatasetType.CruijffTextCompletion, MaxStepsPerEpoch = 10 }, []);

        PlanRefusedException error = Assert.Throws<PlanRefusedException>(() => AxolotlYaml.Emit(run, Layout(run)));

        Assert.Contains("MaxStepsPerEpoch = 10: axolotl's max_steps caps the whole run", error.Message, StringComparison.Ordinal);
        Assert.Contains("DatasetType = CruijffTextCompletion:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plan_check_refuses_an_axolotl_run_naming_each_value_axolotl_cannot_express_and_leaves_torchtune_runs_alone()
    {
        PlannedRun axolotl = new("ax", new RunSettings { Trainer = Trainer.Axolotl, WarmupSteps = 1 }, []);
        PlannedRun torchtune = new("tt", new RunSettings { WarmupSteps = 1 }, []);

        IReadOnlyList<string> problems = PlanCheck.Problems(Plan with { Runs = [axolotl, torchtune] });

        Assert.Equal(
            [
                "run ax: WarmupSteps = 1: axolotl turns warmup_steps 1 into 2 (core/builders/base.py); use 0 or 2",
            ],
            problems);
    }

    [Theory]
    [InlineData("lora_r:", "lora_rr:", "lora_rr: axolotl has no such field")]
    [InlineData("lora_r:", "lora_rr:", "lora_r: adapter lora passes it to peft's LoraConfig(r=...) unguarded")]
    [InlineData("num_epochs: 1\n", "num_epochs: one\n", "num_epochs: a str is not accepted")]
    [InlineData("sample_packing: true", "sample_packing: [true]", "sample_packing: a list is not accepted")]
    [InlineData("bf16: true", "bf16: always", "bf16: 'always' is not one of auto")]
    [InlineData("lr_scheduler: cosine", "lr_scheduler: cosine_decay", "lr_scheduler: 'cosine_decay' is not one of")]
    [InlineData("adapter: lora", "adapter: loraa", "adapter: 'loraa' is not one of llama-adapter, lora, qlora")]
    [InlineData("optimizer: adamw_torch_fused", "optimizer: adamw", "optimizer: 'adamw' is not one of")]
    [InlineData("type: chat_template", "type: chat_templates", "datasets[0].type: 'chat_templates' is not an axolotl prompt strategy")]
    [InlineData("chat_template: tokenizer_default", "chat_template: tokenizer", "datasets[0].chat_template: 'tokenizer' is not an axolotl chat template")]
    [InlineData("field_messages: messages", "field_message: messages", "datasets[0].field_message: axolotl has no such field")]
    [InlineData("save_strategy: epoch", "save_strategy: steps\nsave_steps: 10", "save_strategy: 'steps' is not one of epoch")]
    [InlineData("save_total_limit: 1\n", "", "")]
    [InlineData("warmup_steps: 100", "warmup_steps: 100\nwarmup_ratio: 0.1", "warmup_steps and warmup_ratio exclude each other (TrainingValidationMixin.check_warmup)")]
    [InlineData("warmup_steps: 100", "warmup_steps: 1", "warmup_steps: axolotl turns 1 into 2")]
    [InlineData("gradient_accumulation_steps: 1", "gradient_accumulation_steps: 1\nbatch_size: 8", "batch_size and gradient_accumulation_steps exclude each other")]
    [InlineData("max_grad_norm: 0.0\n", "", "max_grad_norm: left out, transformers clips at 1.0")]
    [InlineData("attn_implementation: sdpa", "attn_implementation: flash", "attn_implementation: 'flash' is not one of")]
    [InlineData("attn_implementation: sdpa", "attn_implementation: xformers_typo", "lets packed samples attend to each other")]
    [InlineData("lora_target_modules: [q_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]", "lora_target_modules: []", "lora_target_modules: adapter lora needs a module to adapt")]
    public void A_config_broken_in_one_place_fails_naming_the_problem(string find, string replace, string expected)
    {
        var run = new PlannedRun("broken", Chat, []);
        string yaml = AxolotlYaml.Emit(run, Layout(run));
        Assert.Contains(find, yaml, StringComparison.Ordinal);

        IReadOnlyList<AxolotlCheck> checks = AxolotlCheck.Run([yaml, yaml.Replace(find, replace, StringComparison.Ordinal)]);

        Assert.Empty(checks[0].Problems);
        if (expected.Length == 0)
        {
            // One epoch: axolotl's default of 4 kept checkpoints loses nothing, so leaving the limit out is fine.
            Assert.Empty(checks[1].Problems);
            return;
        }

        Assert.Contains(checks[1].Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_its_save_limit_a_run_of_more_epochs_than_axolotl_keeps_loses_checkpoints()
    {
        var run = new PlannedRun("long", Chat with { Epochs = 6 }, []);
        string yaml = AxolotlYaml.Emit(run, Layout(run));
        Assert.Contains("save_total_limit: 6\n", yaml, StringComparison.Ordinal);

        IReadOnlyList<AxolotlCheck> checks = AxolotlCheck.Run([yaml, yaml.Replace("save_total_limit: 6\n", "", StringComparison.Ordinal)]);

        Assert.Empty(checks[0].Problems);
        Assert.Contains("save_total_limit: keeps 4 checkpoints of 6 epochs (axolotl deletes the older ones)", checks[1].Problems);
    }

    [Fact]
    public void The_same_run_gives_the_same_bytes_and_a_hostile_run_name_stays_one_string()
    {
        var run = new PlannedRun("r8: #x 'q' \"d\" ü", Chat with { LearningRate = 3e-4 }, []);
        ExperimentLayout layout = Layout(run);

        string first = AxolotlYaml.Emit(run, layout);

        Assert.Equal(first, AxolotlYaml.Emit(run, layout));
        AxolotlCheck check = Assert.Single(AxolotlCheck.Run([first]));
        Assert.Empty(check.Problems);
        Assert.Equal(run.Name, check.Config!["wandb_name"]!.GetValue<string>());
        Assert.Equal(3e-4, check.Config["learning_rate"]!.GetValue<double>());
    }

    /// <summary>Every catalogue value of every setting (extremes of each range), SLURM settings aside.</summary>
    private static IEnumerable<(Setting Setting, object? Value)> Cases()
    {
        foreach (Setting setting in SettingCatalog.All.Where(s => s.Group != SettingGroup.Slurm))
        {
            foreach (object? value in ValuesOf(setting))
            {
                yield return (setting, value);
            }
        }
    }

    private static IEnumerable<object?> ValuesOf(Setting setting)
    {
        Type type = RunSettingsValues.ValueType(setting);
        switch (setting.Kind)
        {
            case SettingKind.Enum when type.IsDefined(typeof(FlagsAttribute), false):
                Array members = Enum.GetValues(type);
                int all = members.Cast<object>().Aggregate(0, (a, m) => a | Convert.ToInt32(m, CultureInfo.InvariantCulture));
                return [.. members.Cast<object>(), Enum.ToObject(type, all)];
            case SettingKind.Enum:
                return Enum.GetValues(type).Cast<object?>();
            case SettingKind.Bool:
                return [true, false];
            case SettingKind.Int or SettingKind.NullableInt:
                int[] ints = [(int)Low(setting), (int)Math.Min(High(setting), 1_000_000), 1, 2];
                return [.. ints.Where(v => setting.Problem(v) is null).Distinct().Cast<object?>(), .. setting.Kind == SettingKind.NullableInt ? new object?[] { null } : []];
            case SettingKind.Double or SettingKind.NullableDouble:
                double[] doubles = [Low(setting), Math.Min(High(setting), 1e6), 0.5];
                return [.. doubles.Where(v => setting.Problem(v) is null).Distinct().Cast<object?>(), .. setting.Kind == SettingKind.NullableDouble ? new object?[] { null } : []];
            default:
                return setting.Name switch
                {
                    "Dataset" => ["/data/capitalization.json", "/data/capitalization.parquet", "/data/with space/a.JSON"],
                    "SystemPrompt" => ["", "Be brief."],
                    "PromptTemplate" => ["{input}", "Q: {input}\nA:"],
                    _ => throw new InvalidOperationException("No test values for " + setting.Name),
                };
        }
    }

    private static double Low(Setting setting) => setting.Range switch
    {
        { Min: double min, MinInclusive: true } => min,
        { Min: double min } => setting.Kind is SettingKind.Int or SettingKind.NullableInt ? min + 1 : min + 1e-9,
        _ => 0,
    };

    private static double High(Setting setting) => setting.Range switch
    {
        { Max: double max, MaxInclusive: true } => max,
        { Max: double max } => setting.Kind is SettingKind.Int or SettingKind.NullableInt ? max - 1 : max - 1e-9,
        _ => double.MaxValue,
    };

    /// <summary>Where the config axolotl reads differs from what the run declares, setting by setting.</summary>
    private static IEnumerable<string> Misplaced(PlannedRun run, ExperimentLayout layout, JsonObject config)
    {
        RunSettings settings = run.Settings;
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Setting setting in SettingCatalog.All.Where(s => s.AxolotlKey is not null))
        {
            string key = setting.AxolotlKey!;
            object? value = AxolotlSettings.Value(settings, setting);
            if (key.EndsWith("[]", StringComparison.Ordinal))
            {
                string list = key[..^2];
                (lists.TryGetValue(list, out List<string>? names) ? names : lists[list] = []).AddRange((string[])value!);
                continue;
            }

            JsonNode? actual = key.StartsWith("datasets[0].", StringComparison.Ordinal)
                ? config["datasets"]![0]![key["datasets[0].".Length..]]
                : config[key];
            bool present = key.StartsWith("datasets[0].", StringComparison.Ordinal)
                ? config["datasets"]![0]!.AsObject().ContainsKey(key["datasets[0].".Length..])
                : config.ContainsKey(key);
            if (ReferenceEquals(value, TrainerValue.Omitted))
            {
                if (present)
                {
                    yield return $"{setting.Name}: {key} is written though axolotl's default is the setting's meaning";
                }

                continue;
            }

            JsonNode? expected = setting.AxolotlForm switch
            {
                TrainerForm.ModelDirectory => JsonValue.Create(layout.ModelsDirWithSlash + settings.ModelInfo.Name),
                TrainerForm.MessagesFile => JsonValue.Create(layout.CheckpointDir(run.Name) + "train_messages.jsonl"),
                _ => value switch
                {
                    null => null,
                    bool flag => JsonValue.Create(flag),
                    int number => JsonValue.Create(number),
                    double number => JsonValue.Create(number),
                    _ => JsonValue.Create(value.ToString()),
                },
            };
            if (!present || !Same(expected, actual))
            {
                yield return $"{setting.Name}: declared {expected?.ToJsonString() ?? "null"} at {key}, axolotl reads {(present ? actual?.ToJsonString() ?? "null" : "(absent)")}";
            }
        }

        foreach ((string list, List<string> names) in lists)
        {
            string expected = string.Join(",", names);
            string actual = string.Join(",", config[list]?.AsArray().Select(n => n!.GetValue<string>()) ?? []);
            if (expected != actual)
            {
                yield return $"{list}: declared [{expected}], axolotl reads [{actual}]";
            }
        }
    }

    // Numbers by value and kind (an int is written as one, a double with a point or exponent), the rest by their JSON text.
    private static bool Same(JsonNode? expected, JsonNode? actual) =>
        expected is JsonValue e && actual is JsonValue a && e.TryGetValue(out double x) && a.TryGetValue(out double y)
            ? x == y && e.TryGetValue(out int _) == IsWhole(a)
            : (expected?.ToJsonString() ?? "null") == (actual?.ToJsonString() ?? "null");

    private static bool IsWhole(JsonValue value) => !value.ToJsonString().Any(c => c is '.' or 'e' or 'E');

    private static readonly ExperimentPlan Plan = OptionMatrix.Plan() with { Controls = [], Evaluations = [] };

    private static ExperimentLayout Layout(PlannedRun run) => OptionMatrix.Layout(Plan with { Runs = [run] });
}
