using ExperimentDsl.Runtime.Catalogue;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// The catalogue settings torchtune reads from one key of finetune.yaml (<see cref="Setting.TorchtuneKey"/>):
/// the writer places each by its key, and the validator reads each back from its key.
/// </summary>
internal static class TorchtuneSettings
{
    /// <summary>Every setting with a torchtune key, in catalogue order.</summary>
    public static IReadOnlyList<Setting> All { get; } = [.. SettingCatalog.All.Where(s => s.TorchtuneKey is not null)];

    /// <summary>The value torchtune gets for <paramref name="setting"/>.</summary>
    public static YamlScalar Value(RunSettings settings, Setting setting)
    {
        object? value = setting.TrainerValueFrom is { } from
            ? typeof(RunSettings).GetProperty(from)!.GetValue(settings)
            : RunSettingsValues.Get(settings, setting);
        return value switch
        {
            null => YamlScalars.Null(),
            int number => YamlScalars.Integer(number),
            double number => YamlScalars.Float(number),
            bool flag => YamlScalars.Boolean(flag),
            Enum member => YamlScalars.Text(SettingCodec.EnumYamlName(member)),
            string text => YamlScalars.Text(OmegaConfText.EscapeForInstantiate(text)),
            _ => throw new InvalidOperationException($"{setting.Name}: no finetune.yaml form for {value.GetType()}"),
        };
    }

    /// <summary>The names of a set setting (torchtune's module names, in value order), or null for a single value.</summary>
    public static IReadOnlyList<string>? Names(RunSettings settings, Setting setting) =>
        setting.Text == SettingText.ModuleSet ? SettingCodec.ModuleNames((Enum)RunSettingsValues.Get(settings, setting)!) : null;

    /// <summary>Adds the setting torchtune reads at <paramref name="torchtuneKey"/> under its last segment.</summary>
    public static YamlMap Setting(this YamlMap map, RunSettings settings, string torchtuneKey)
    {
        Setting setting = All.FirstOrDefault(s => s.TorchtuneKey == torchtuneKey)
            ?? throw new ArgumentException($"No setting of the catalogue has the torchtune key {torchtuneKey}.", nameof(torchtuneKey));
        string key = torchtuneKey[(torchtuneKey.LastIndexOf('.') + 1)..];
        return Names(settings, setting) is { } names ? map.FlowList(key, [.. names]) : map.Add(key, Value(settings, setting));
    }
}
