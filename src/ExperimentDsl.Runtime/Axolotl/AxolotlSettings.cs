using ExperimentDsl.Runtime.Catalogue;

namespace ExperimentDsl.Runtime.Axolotl;

/// <summary>
/// The catalogue's axolotl column applied to one run: what each setting's value becomes in axolotl's
/// config (<see cref="Setting.AxolotlKey"/>, <see cref="Setting.AxolotlValues"/>), and which values
/// axolotl cannot express.
/// </summary>
internal static class AxolotlSettings
{
    /// <summary>The value of <paramref name="setting"/> as the catalogue names values: numbers, bools, text, null, an enum member's name (flags joined by ", ").</summary>
    public static object? CatalogueValue(RunSettings settings, Setting setting) =>
        RunSettingsValues.Get(settings, setting) is Enum member ? member.ToString() : RunSettingsValues.Get(settings, setting);

    /// <summary>"Setting = value: reason" for every value of the run that axolotl cannot express, in catalogue order.</summary>
    public static IReadOnlyList<string> Refusals(RunSettings settings) =>
    [
        .. from setting in SettingCatalog.All
           let value = CatalogueValue(settings, setting)
           let refusal = setting.AxolotlRefusal(value)
           where refusal is not null
           select $"{setting.Name} = {Describe(setting, value)}: {refusal}",
    ];

    /// <summary>
    /// What axolotl's config holds for <paramref name="setting"/>: a scalar, a list of names (a key several
    /// settings fill), or <see cref="TrainerValue.Omitted"/>. The value's form (a model directory, a split file)
    /// is applied by the writer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is one axolotl cannot express (check <see cref="Refusals"/> first).</exception>
    public static object? Value(RunSettings settings, Setting setting)
    {
        object? value = setting.TrainerValueFrom is { } from
            ? typeof(RunSettings).GetProperty(from)!.GetValue(settings)
            : CatalogueValue(settings, setting);
        if (value is string text && setting.Kind == SettingKind.Enum && text.Contains(',', StringComparison.Ordinal))
        {
            // A set of flags: each member's names, in member order.
            return text.Split(", ").SelectMany(member => (string[])Mapped(setting, member)!).ToArray();
        }

        return Mapped(setting, value);
    }

    private static object? Mapped(Setting setting, object? value)
    {
        TrainerValue? entry = setting.AxolotlValue(value);
        if (entry is null)
        {
            return value;
        }

        return entry.Refusal is { } refusal
            ? throw new InvalidOperationException($"{setting.Name} = {Describe(setting, value)} has no axolotl form: {refusal}")
            : entry.Becomes;
    }

    /// <summary>A value as the compile-time diagnostic shows it: text in quotes, a number or member name as it reads.</summary>
    private static string Describe(Setting setting, object? value) => value switch
    {
        null => "null",
        string text when setting.Kind == SettingKind.String => "\"" + text + "\"",
        bool flag => flag ? "true" : "false",
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
