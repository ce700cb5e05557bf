namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// One setting of <see cref="RunSettings"/> as the summary and the C# import see it: its labels, the
/// keys a hand-written file may use for it, and how its value is written and read back.
/// </summary>
/// <param name="Row">The catalogue's row of the setting.</param>
/// <param name="Name">The <see cref="RunSettings"/> property (and axis) name, e.g. <c>LoraRank</c>.</param>
/// <param name="Label">Label of the Configuration bullet, e.g. <c>LoRA rank</c>.</param>
/// <param name="Column">Header of the All Runs column, e.g. <c>LoRA Rank</c>.</param>
/// <param name="Aliases">Further accepted keys (normalized with <see cref="SummaryKeys.Normalize"/>).</param>
/// <param name="CSharpType">The property's C# type.</param>
/// <param name="Format">The value as text in the summary.</param>
/// <param name="Parse">Sets the value from summary text; throws <see cref="SettingValueException"/>.</param>
/// <param name="CSharpValue">The value as a C# expression.</param>
/// <param name="Yaml">Where and how cruijff_kit's experiment_summary.yaml holds the setting.</param>
internal sealed record SettingField(
    Rules.Setting Row,
    string Name,
    string Label,
    string Column,
    IReadOnlyList<string> Aliases,
    string CSharpType,
    Func<RunSettings, string> Format,
    Func<RunSettings, string, RunSettings> Parse,
    Func<RunSettings, string> CSharpValue,
    YamlSetting Yaml)
{
    /// <summary>Whether <paramref name="key"/> (any spelling) names this setting.</summary>
    public bool Matches(string key)
    {
        string normalized = SummaryKeys.Normalize(key);
        return normalized == SummaryKeys.Normalize(Name)
            || normalized == SummaryKeys.Normalize(Label)
            || normalized == SummaryKeys.Normalize(Column)
            || Aliases.Contains(normalized, StringComparer.Ordinal);
    }
}
