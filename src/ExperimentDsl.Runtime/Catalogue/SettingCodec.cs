using ExperimentDsl.Runtime.Import;
using System.Globalization;
using ExperimentDsl.Runtime.Summary;

namespace ExperimentDsl.Runtime.Catalogue;

/// <summary>
/// A catalogue setting's value as text, both ways: how the summaries show it, how a hand-written
/// summary may spell its key and value, how experiment_summary.yaml types it and how the C# import
/// writes it. Everything here is derived from the <see cref="Setting"/> row, so a new row needs nothing.
/// </summary>
internal static class SettingCodec
{
    /// <summary>The setting <paramref name="key"/> names in any spelling (name, label, column header, alias).</summary>
    public static Setting? Find(string key) => SettingCatalog.All.FirstOrDefault(s => s.Matches(key));

    /// <summary>Whether <paramref name="key"/> (any spelling) names this setting.</summary>
    public static bool Matches(this Setting setting, string key)
    {
        string normalized = SummaryKeys.Normalize(key);
        return normalized == SummaryKeys.Normalize(setting.Name)
            || normalized == SummaryKeys.Normalize(setting.Label)
            || normalized == SummaryKeys.Normalize(setting.Column)
            || setting.Aliases.Contains(normalized, StringComparer.Ordinal);
    }

    /// <summary>The value as the summaries write it (<c>1e-5</c>, <c>every 50 steps</c>, the model's catalogue name).</summary>
    public static string Format(this Setting setting, RunSettings settings) => (setting.Text, RunSettingsValues.Get(settings, setting)) switch
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
        (_, var other) => Convert.ToString(other, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Sets the value from a summary's text; throws <see cref="SettingValueException"/> naming what is wrong.</summary>
    public static RunSettings Parse(this Setting setting, RunSettings settings, string text)
    {
        object? value = ParseValue(setting, RunSettingsValues.ValueType(setting), text);
        // Text that is not text (a NUL, a lone surrogate) is left to the plan check, which names
        // every such field of the plan at once.
        if (!(value is string && setting.TextRule == TextRule.None) && setting.Problem(value) is { } problem)
        {
            throw new SettingValueException(problem.StartsWith("it ", StringComparison.Ordinal) ? problem[3..] : problem);
        }

        return RunSettingsValues.With(settings, setting, value);
    }

    /// <summary>The property's C# type as an imported experiment declares it.</summary>
    public static string CSharpType(this Setting setting) =>
        RunSettingsValues.ValueType(setting) is { IsEnum: true } type ? type.Name : setting.TypeDisplay;

    /// <summary>The value as a C# expression.</summary>
    public static string CSharpValue(this Setting setting, RunSettings settings) => RunSettingsValues.Get(settings, setting) switch
    {
        null => "null",
        Model model => "Model." + model,
        Enum member => member.GetType().Name + "." + member.ToString().Replace(", ", " | " + member.GetType().Name + ".", StringComparison.Ordinal),
        double number => NumberText.CSharpLiteral(number),
        int number => NumberText.Format(number),
        bool flag => flag ? "true" : "false",
        string value => Import.CSharpLiterals.String(value),
        var other => throw new InvalidOperationException($"{setting.Name}: no C# form for {other.GetType()}"),
    };

    /// <summary>The YAML type experiment_summary.yaml gives the value.</summary>
    public static YamlKind YamlKind(this Setting setting) => setting.Kind switch
    {
        SettingKind.Int or SettingKind.NullableInt => Catalogue.YamlKind.Int,
        SettingKind.Double or SettingKind.NullableDouble => Catalogue.YamlKind.Float,
        SettingKind.Bool => Catalogue.YamlKind.Bool,
        _ => Catalogue.YamlKind.String,
    };

    /// <summary>The value's text in experiment_summary.yaml: an enum by cruijff_kit's name, steps as a bare number, else the summary's text.</summary>
    public static string YamlText(this Setting setting, RunSettings settings) => RunSettingsValues.Get(settings, setting) switch
    {
        Enum member when setting.Kind == SettingKind.Enum && setting.Text == SettingText.Plain =>
            string.Format(CultureInfo.InvariantCulture, setting.CruijffValue ?? "{0}", EnumYamlName(member)),
        int steps when setting.Text == SettingText.EveryNStepsOrOff => NumberText.Format(steps),
        _ => setting.Format(settings),
    };

    public static Model ParseModel(string text) => ModelCatalog.TryFind(text.Trim(), out ModelInfo info)
        ? info.Model
        : throw new SettingValueException("is not a known model (known: " + string.Join(", ", ModelCatalog.All.Select(m => m.Name)) + ")");

    public static int ParseInt(string text) =>
        NumberText.TryParseInt(text, out int value) ? value : throw new SettingValueException("is not an integer");

    public static double ParseDouble(string text) =>
        NumberText.TryParseDouble(text, out double value) ? value : throw new SettingValueException("is not a number");

    public static bool ParseBool(string text) =>
        SummaryKeys.Is(text, "true", "yes", "on", "enabled") || (SummaryKeys.Is(text, "false", "no", "off", "disabled")
            ? false : throw new SettingValueException("is not true/false"));

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

    /// <summary>The single-bit members a [Flags] value holds, by their YAML (torchtune) names, in value order.</summary>
    public static IReadOnlyList<string> ModuleNames(Enum set) =>
        [.. Enum.GetValues(set.GetType()).Cast<Enum>()
            .Where(m => Convert.ToInt64(m, CultureInfo.InvariantCulture) is var bit && bit != 0 && (bit & (bit - 1)) == 0 && set.HasFlag(m))
            .Select(EnumYamlName)];

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

        return setting.TextRule == TextRule.InputPlaceholder && !text.Contains("{input}", StringComparison.Ordinal)
            ? throw new SettingValueException("must contain {input}")
            : text;
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
        return numbers.Length == 1 ? numbers[0] : throw new SettingValueException("is not 'off' or 'every N steps'");
    }
}

/// <summary>The YAML type of a setting's value.</summary>
internal enum YamlKind
{
    /// <summary>An integer.</summary>
    Int,

    /// <summary>A float (written with a '.' so that YAML 1.1 types it as one).</summary>
    Float,

    /// <summary>true or false.</summary>
    Bool,

    /// <summary>A string.</summary>
    String,
}
