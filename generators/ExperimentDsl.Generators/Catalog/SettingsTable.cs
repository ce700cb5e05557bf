using System;
using System.Collections.Generic;
using System.Linq;

namespace ExperimentDsl.Generators.Catalog;

/// <summary>
/// The settings of <c>ExperimentDsl.RunSettings</c> with their types, defaults and run-name prefixes.
/// The generator cannot load RunSettings, so it keeps this copy; a test compares it with
/// <c>new RunSettings()</c> so the two cannot drift apart.
/// </summary>
internal static class SettingsTable
{
    // Prefixes are short so default names stay readable: r8_lr1e-5_e2.
    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new("Model", SettingKind.Enum, KnownNames.Model, "Llama_3_2_1B_Instruct", ""),
        new("Epochs", SettingKind.Int, null, 1, "e"),
        new("BatchSize", SettingKind.Int, null, 4, "b"),
        new("LoraRank", SettingKind.Int, null, 8, "r"),
        new("LearningRate", SettingKind.Double, null, 1e-4, "lr"),
        new("LoraDropout", SettingKind.Double, null, 0.0, "do"),
        new("WeightDecay", SettingKind.Double, null, 0.01, "wd"),
        new("WarmupSteps", SettingKind.Int, null, 100, "warmup"),
        new("LrScheduler", SettingKind.Enum, KnownNames.LrScheduler, "Cosine", "sched"),
        new("GradientAccumulationSteps", SettingKind.Int, null, 1, "ga"),
        new("MaxSeqLen", SettingKind.Int, null, 2048, "len"),
        new("Seed", SettingKind.Int, null, 42, "seed"),
        new("SystemPrompt", SettingKind.String, null, "", "sys"),
        new("PromptTemplate", SettingKind.String, null, "{input}", "tmpl"),
        new("Dataset", SettingKind.String, null, "data/train.json", "data"),
        new("DatasetType", SettingKind.Enum, KnownNames.DatasetType, "Instruct", "dt"),
        new("Packed", SettingKind.Bool, null, true, "packed"),
        new("ValidationEveryNSteps", SettingKind.Int, null, 0, "val"),
        new("LogEveryNSteps", SettingKind.Int, null, 5, "log"),
        new("Gpus", SettingKind.NullableInt, null, null, "gpu"),
        new("FinetuneTime", SettingKind.String, null, "00:15:00", "ft"),
        new("EvalTime", SettingKind.String, null, "0:30:00", "et"),
    ];

    private static readonly Dictionary<string, SettingDefinition> ByName =
        All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static SettingDefinition? Find(string name) => ByName.TryGetValue(name, out SettingDefinition? s) ? s : null;
}
