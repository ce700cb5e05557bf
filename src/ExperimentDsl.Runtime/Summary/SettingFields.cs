using System.Globalization;
using ExperimentDsl.Runtime.Catalogue;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// The summary's and the C# import's view of <see cref="SettingCatalog"/>: each row with the text
/// forms of its value, read from and written to <see cref="RunSettings"/> by the row's name.
/// </summary>
internal static class SettingFields
{
    public static IReadOnlyList<SettingField> All { get; } = [.. SettingCatalog.All.Select(Field)];

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

    /// <summary>
    /// An enum member as experiment_summary.yaml names it: in snake case, and members named after one of
    /// cruijff_kit's own builders (<c>CruijffChatCompletion</c>) by cruijff_kit's name (<c>chat_completion</c>).
    /// </summary>
    public static string EnumYamlName(Enum member)
    {
        const string Cruijff = "Cruijff";
        string name = member.ToString();
        if (name.StartsWith(Cruijff, StringComparison.Ordinal) && name.Length > Cruijff.Length)
        {
            name = name[Cruijff.Length..];
        }

        var snake = new System.Text.StringBuilder();
        foreach (char c in name)
        {
            if (char.IsUpper(c) && snake.Length > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }

    private static SettingField Field(Setting setting)
    {
        Type type = RunSettingsValues.ValueType(setting);
        SettingText text = setting.Text;
        string Format(RunSettings s) => FormatValue(setting, RunSettingsValues.Get(s, setting));
        RunSettings Parse(RunSettings s, string t)
        {
            object? value = ParseValue(setting, type, t);
            // Text that is not text (a NUL, a lone surrogate) is left to the plan check, which names
            // every such field of the plan at once.
            if (!(value is string && setting.TextRule == TextRule.None) && setting.Problem(value) is { } problem)
            {
                throw new SettingValueException(problem.StartsWith("it ", StringComparison.Ordinal) ? problem[3..] : problem);
            }

            return RunSettingsValues.With(s, setting, value);
        }

        string CSharpValue(RunSettings s) => RunSettingsValues.Get(s, setting) switch
        {
            null => "null",
            Model model => "Model." + model,
            Enum member => type.Name + "." + member.ToString().Replace(", ", " | " + type.Name + ".", StringComparison.Ordinal),
            double number => NumberText.CSharpLiteral(number),
            int number => NumberText.Format(number),
            bool flag => flag ? "true" : "false",
            string value => CSharpLiterals.String(value),
            var other => throw new InvalidOperationException($"{setting.Name}: no C# form for {other.GetType()}"),
        };

        YamlKind yamlKind = setting.Kind switch
        {
            SettingKind.Int or SettingKind.NullableInt => YamlKind.Int,
            SettingKind.Double or SettingKind.NullableDouble => YamlKind.Float,
            SettingKind.Bool => YamlKind.Bool,
            _ => YamlKind.String,
        };
        Func<RunSettings, string>? yamlText = text switch
        {
            _ when setting.Kind == SettingKind.Enum && text == SettingText.Plain =>
                s => string.Format(CultureInfo.InvariantCulture, setting.CruijffValue ?? "{0}", EnumYamlName((Enum)RunSettingsValues.Get(s, setting)!)),
            SettingText.EveryNStepsOrOff => s => NumberText.Format((int)RunSettingsValues.Get(s, setting)!),
            _ => null,
        };
        string csharpType = type.IsEnum ? type.Name : setting.TypeDisplay;
        return new SettingField(setting, setting.Name, setting.Label, setting.Column, setting.Aliases, csharpType, Format, Parse, CSharpValue,
            new YamlSetting(setting.CruijffKey, yamlKind, setting.CruijffPlace, yamlText));
    }

    private static string FormatValue(Setting setting, object? value) => (setting.Text, value) switch
    {
        (SettingText.Model, Model model) => ModelCatalog.Of(model).Name,
        (SettingText.EveryNStepsOrOff, int steps) => steps == 0 ? "off" : "every " + NumberText.Format(steps) + " steps",
        (_, null) => NullText(setting.Text),
        (SettingText.ModuleSet, Enum set) => ModuleNames(set) is { Count: > 0 } names ? string.Join(", ", names) : "[]",
        (_, Enum member) => member.ToString().ToLowerInvariant(),
        (_, double number) => NumberText.Format(number),
        (_, int number) => NumberText.Format(number),
        (_, bool flag) => flag ? "true" : "false",
        (_, string text) => text,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string NullText(SettingText text) => text switch
    {
        SettingText.NumberOrDefault => "default",
        SettingText.NumberOrTwiceRank => "2 x rank",
        SettingText.NumberOrAll => "all",
        SettingText.NumberOrOff => "off",
        _ => "null",
    };

    private static object? ParseValue(Setting setting, Type type, string text)
    {
        if (setting.Kind is SettingKind.NullableInt or SettingKind.NullableDouble
            && (SummaryKeys.Is(text, NullText(setting.Text), "null", "none") || setting.Text == SettingText.NumberOrDefault && SummaryKeys.Is(text, "catalogue default", "catalog default")))
        {
            return null;
        }

        return setting.Text switch
        {
            SettingText.Model => ParseModel(text),
            SettingText.EveryNStepsOrOff => ParseValidation(text),
            SettingText.ModuleSet => ParseModuleSet(setting, type, text),
            _ => setting.Kind switch
            {
                SettingKind.Int or SettingKind.NullableInt => ParseInt(text),
                SettingKind.Double or SettingKind.NullableDouble => ParseDouble(text),
                SettingKind.Bool => ParseBool(text),
                SettingKind.Enum => ParseEnum(setting, type, text),
                _ => ParseText(setting, text),
            },
        };
    }

    private static string ParseText(Setting setting, string text)
    {
        if (text.Length == 0 && !setting.MayBeEmpty)
        {
            throw new SettingValueException("must not be empty");
        }

        if (setting.TextRule == TextRule.InputPlaceholder && !text.Contains("{input}", StringComparison.Ordinal))
        {
            throw new SettingValueException("must contain {input}");
        }

        return text;
    }

    /// <summary>
    /// An enum member by any of its names: the member (<c>cosine</c>), its YAML name (<c>chat_completion</c>),
    /// cruijff_kit's form of it (<c>get_cosine_schedule_with_warmup</c>), or the member with the kind's
    /// last word (<c>instruct dataset</c>).
    /// </summary>
    private static object ParseEnum(Setting setting, Type type, string text)
    {
        string key = SummaryKeys.Normalize(text);
        string kindWord = SummaryKeys.Normalize(setting.Label.Split(' ')[0]);
        foreach (Enum member in Enum.GetValues(type).Cast<Enum>())
        {
            string name = SummaryKeys.Normalize(member.ToString());
            string yamlName = EnumYamlName(member);
            if (key == name || key == SummaryKeys.Normalize(yamlName) || key == name + kindWord
                || setting.CruijffValue is { } format && key == SummaryKeys.Normalize(string.Format(CultureInfo.InvariantCulture, format, yamlName)))
            {
                return member;
            }
        }

        throw new SettingValueException("is not a known " + setting.Label.ToLowerInvariant() + " (known: "
            + string.Join(", ", Enum.GetValues(type).Cast<Enum>().Select(EnumYamlName)) + ")");
    }

    /// <summary>The single-bit members a [Flags] value holds, by their YAML (torchtune) names, in value order.</summary>
    public static IReadOnlyList<string> ModuleNames(Enum set) =>
        [.. Enum.GetValues(set.GetType()).Cast<Enum>()
            .Where(m => Convert.ToInt64(m, CultureInfo.InvariantCulture) is var bit && bit != 0 && (bit & (bit - 1)) == 0 && set.HasFlag(m))
            .Select(EnumYamlName)];

    /// <summary>A set of modules: names separated by commas, '+' or spaces (<c>q_proj, v_proj</c>); <c>[]</c> or <c>none</c> is the empty set.</summary>
    private static object ParseModuleSet(Setting setting, Type type, string text)
    {
        long bits = 0;
        foreach (string word in text.Split([',', '+', ' ', '[', ']', '\'', '"'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!SummaryKeys.Is(word, "none"))
            {
                bits |= Convert.ToInt64(ParseEnum(setting, type, word), CultureInfo.InvariantCulture);
            }
        }

        return Enum.ToObject(type, bits);
    }

    private static int ParseValidation(string text)
    {
        string trimmed = text.Trim();
        if (SummaryKeys.Is(trimmed, "off", "no", "none", "false", "disabled", "0"))
        {
            return 0;
        }

        // "every 50 steps", "50", "yes (every 50 steps)": the step count is the only number; its range is the catalogue's.
        int[] numbers = [.. trimmed.Split([' ', '(', ')', ','], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => NumberText.TryParseInt(w, out int n) ? (int?)n : null).OfType<int>()];
        if (numbers.Length == 1)
        {
            return numbers[0];
        }

        throw new SettingValueException("is not 'off' or 'every N steps'");
    }
}
