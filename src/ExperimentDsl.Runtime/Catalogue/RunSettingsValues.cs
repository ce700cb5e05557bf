using System.Collections.Frozen;
using System.Reflection;

namespace ExperimentDsl.Runtime.Catalogue;

/// <summary>
/// A catalogue setting's value in a <see cref="RunSettings"/>, found by the row's name: the one place
/// the runtime goes from a row of <see cref="SettingCatalog"/> to the typed property.
/// </summary>
internal static class RunSettingsValues
{
    private static readonly FrozenDictionary<string, PropertyInfo> Properties = SettingCatalog.All.ToFrozenDictionary(
        s => s.Name,
        s => typeof(RunSettings).GetProperty(s.Name)
            ?? throw new InvalidOperationException($"The setting catalogue names {s.Name}, which RunSettings does not have."),
        StringComparer.Ordinal);

    /// <summary>The property's type (an enum's, not its Nullable's).</summary>
    public static Type ValueType(Setting setting)
    {
        Type type = Properties[setting.Name].PropertyType;
        return Nullable.GetUnderlyingType(type) ?? type;
    }

    /// <summary>The value of <paramref name="setting"/> in <paramref name="settings"/> (boxed; null for an unset nullable).</summary>
    public static object? Get(RunSettings settings, Setting setting) => Properties[setting.Name].GetValue(settings);

    /// <summary>A copy of <paramref name="settings"/> with <paramref name="setting"/> set to <paramref name="value"/>.</summary>
    public static RunSettings With(RunSettings settings, Setting setting, object? value)
    {
        RunSettings copy = settings with { };
        Properties[setting.Name].SetValue(copy, value);
        return copy;
    }
}
