using System;
using System.Collections.Generic;
using System.Globalization;

// The generator's copy lives in its own namespace: its tests see both assemblies.
#if EXPERIMENTDSL_GENERATOR
namespace ExperimentDsl.Generators.Catalog;
#else
namespace ExperimentDsl.Rules;
#endif

/// <summary>
/// One run setting as <see cref="SettingCatalog"/> declares it. Compiled into the generator too, so
/// values are plain data: ints, doubles, bools, strings and enum members by name.
/// </summary>
/// <param name="Name">The <c>RunSettings</c> property (and axis) name; an experiment property with this name sets it.</param>
/// <param name="Kind">The value shape.</param>
/// <param name="Default">The default: int, double, bool, string, the enum member's name (flags joined by ", "), or null.</param>
/// <param name="NamePrefix">Prefix of the value in default run names (empty for the model: its short name stands alone).</param>
/// <param name="Label">Label of the summary's Configuration bullet.</param>
/// <param name="Column">Header of the summary's All Runs column.</param>
/// <param name="Aliases">Further keys a hand-written summary may use (lower case, letters and digits only).</param>
/// <param name="CruijffKey">The key in cruijff_kit's experiment_summary.yaml.</param>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
sealed record Setting(string Name, SettingKind Kind, object? Default, string NamePrefix, string Label, string Column, IReadOnlyList<string> Aliases, string CruijffKey)
{
    /// <summary>The enum's metadata name when <see cref="Kind"/> is <see cref="SettingKind.Enum"/>.</summary>
    public string? EnumType { get; init; }

    /// <summary>The summary's Configuration group.</summary>
    public SettingGroup Group { get; init; } = SettingGroup.Training;

    /// <summary>The numeric range, for numeric settings that have one.</summary>
    public SettingRange? Range { get; init; }

    /// <summary>The rule a text setting's value follows.</summary>
    public TextRule TextRule { get; init; }

    /// <summary>
    /// Whether an empty text is a value (not "not given") in a summary. The Markdown summary quotes such
    /// a value, so that an empty text and spaces at its ends survive the round trip.
    /// </summary>
    public bool MayBeEmpty { get; init; }

    /// <summary>Whether the summary's Configuration writes the value as code: a path or a template whose characters Markdown would read as formatting.</summary>
    public bool AsCode { get; init; }

    /// <summary>How the summary writes the value when not as a plain number, name or text.</summary>
    public SettingText Text { get; init; }

    /// <summary>Which block of experiment_summary.yaml holds it.</summary>
    public CruijffPlace CruijffPlace { get; init; } = CruijffPlace.Parameters;

    /// <summary>Its place among the controls cruijff_kit's template lists first (1 is first); settings without one follow in catalogue order.</summary>
    public int? CruijffOrder { get; init; }

    /// <summary>
    /// cruijff_kit's value when its experiment_summary.yaml leaves the key out, where it differs from
    /// <see cref="Default"/> (an int, double or bool); null when it is the same.
    /// </summary>
    public object? CruijffDefault { get; init; }

    /// <summary>A format of the YAML value (<c>{0}</c>: the value's own text), when cruijff_kit names it otherwise.</summary>
    public string? CruijffValue { get; init; }

    /// <summary>
    /// The dotted key path of the value in torchtune's finetune.yaml; null when no one key holds it as is
    /// (the finetune.yaml writer derives other keys from it).
    /// </summary>
    public string? TorchtuneKey { get; init; }

    /// <summary>The <c>RunSettings</c> property whose value the trainers get, when not the setting itself (a default that depends on another setting).</summary>
    public string? TrainerValueFrom { get; init; }

    /// <summary>
    /// The dotted key path of the value in axolotl's config (<c>datasets[0].type</c> for the dataset
    /// entry); a key ending in <c>[]</c> is a list several settings fill together. Null when axolotl's
    /// config holds no key for it: a SLURM setting, or one whose only expressible value
    /// (<see cref="AxolotlValues"/>) is to leave the matter to axolotl.
    /// </summary>
    public string? AxolotlKey { get; init; }

    /// <summary>How the value is written at <see cref="AxolotlKey"/>, when not as it is.</summary>
    public TrainerForm AxolotlForm { get; init; }

    /// <summary>
    /// Values that become something else in axolotl's config, or that axolotl cannot express (with the
    /// reason); a value not listed is written as it is, unless the list ends with
    /// <see cref="TrainerValue.RefusesOthers"/>.
    /// </summary>
    public IReadOnlyList<TrainerValue> AxolotlValues { get; init; } = Array.Empty<TrainerValue>();

    /// <summary>What <paramref name="value"/> (an int, double, bool, string, null or one enum member's name) becomes for axolotl, or null when it goes as it is.</summary>
    public TrainerValue? AxolotlValue(object? value)
    {
        TrainerValue? others = null;
        foreach (TrainerValue entry in AxolotlValues)
        {
            if (entry.IsOthers)
            {
                others = entry;
            }
            else if (Equals(entry.Value, value))
            {
                return entry;
            }
        }

        return others;
    }

    /// <summary>Why axolotl cannot express <paramref name="value"/>, or null when it can (flags: any member it cannot).</summary>
    public string? AxolotlRefusal(object? value)
    {
        if (value is string text && Kind == SettingKind.Enum && text.IndexOf(',') >= 0)
        {
            foreach (string member in text.Split(','))
            {
                if (AxolotlValue(member.Trim())?.Refusal is { } refusal)
                {
                    return refusal;
                }
            }

            return null;
        }

        return AxolotlValue(value)?.Refusal;
    }

    /// <summary>How the type is written in messages and C#, e.g. <c>int</c> or <c>ExperimentDsl.Model</c>.</summary>
    public string TypeDisplay => Kind switch
    {
        SettingKind.Int => "int",
        SettingKind.Long => "long",
        SettingKind.Double => "double",
        SettingKind.Bool => "bool",
        SettingKind.String => "string",
        SettingKind.NullableInt => "int?",
        SettingKind.NullableDouble => "double?",
        SettingKind.Enum => EnumType ?? "enum",
        _ => "unsupported",
    };

    /// <summary>Why <paramref name="value"/> is not a value of this setting, or <see langword="null"/>.</summary>
    public string? Problem(object? value)
    {
        if (Range is { } range && value is int or double && range.Problem(Convert.ToDouble(value, CultureInfo.InvariantCulture)) is { } outside)
        {
            return outside;
        }

        if (value is string text)
        {
            return TextRule switch
            {
                TextRule.SlurmTime when !InputRules.IsSlurmTime(text) =>
                    "it must be a SLURM time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS with minutes and seconds below 60",
                TextRule.DatasetFile when !(EndsWith(text, ".json") || EndsWith(text, ".parquet")) => "it must be a .json or .parquet file",
                _ => InputRules.TextProblem(text),
            };
        }

        return null;
    }

    private static bool EndsWith(string text, string extension) => text.EndsWith(extension, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// What one value of a setting becomes in a trainer's config: another value (a list for a key several
/// settings fill), no key at all, or a refusal saying why the trainer cannot express it.
/// </summary>
/// <param name="Value">The setting's value: an int, double, bool, string, null or an enum member's name.</param>
/// <param name="Becomes">What the config holds: a value, a string array (list items), or <see cref="Omitted"/>.</param>
/// <param name="Refusal">Why the trainer cannot express the value, or null.</param>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
sealed record TrainerValue(object? Value, object? Becomes, string? Refusal)
{
    /// <summary>Stands for "leave the key out" (the trainer's default is the setting's meaning).</summary>
    public static readonly object Omitted = new();

    private static readonly object Others = new();

    /// <summary>Whether this entry covers every value not listed before it.</summary>
    public bool IsOthers => ReferenceEquals(Value, Others);

    /// <summary>Whether the key is left out for this value.</summary>
    public bool LeavesOut => ReferenceEquals(Becomes, Omitted);

    /// <summary><paramref name="value"/> is written as <paramref name="becomes"/>.</summary>
    public static TrainerValue Maps(object? value, object? becomes) => new(value, becomes, null);

    /// <summary><paramref name="value"/> leaves the key out.</summary>
    public static TrainerValue Omits(object? value) => new(value, Omitted, null);

    /// <summary>The trainer cannot express <paramref name="value"/>.</summary>
    public static TrainerValue Refuses(object? value, string reason) => new(value, null, reason);

    /// <summary>The trainer cannot express any value not listed before.</summary>
    public static TrainerValue RefusesOthers(string reason) => new(Others, null, reason);
}

/// <summary>How a setting's value is written in a trainer's config, when not as it is.</summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
enum TrainerForm
{
    /// <summary>The value (after <see cref="Setting.AxolotlValues"/>).</summary>
    AsIs,

    /// <summary>The model's directory under the models directory.</summary>
    ModelDirectory,

    /// <summary>
    /// The training split as conversation messages with the run's system prompt and prompt template
    /// applied: a file the run's job writes from the dataset before the trainer starts.
    /// </summary>
    MessagesFile,

    /// <summary>
    /// No config key: the value is applied to the conversations the run's job writes before training
    /// (a system message, the text around each user message), as the torchtune side applies it.
    /// </summary>
    InMessages,
}

/// <summary>
/// A numeric range: a lower bound, an upper bound, each inclusive or not. Its message is printed from
/// the bounds, so the rule and what it says cannot disagree.
/// </summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
sealed record SettingRange(double? Min, bool MinInclusive, double? Max, bool MaxInclusive)
{
    /// <summary>min ≤ v ≤ max.</summary>
    public static SettingRange Between(double min, double max) => new(min, true, max, true);

    /// <summary>min &lt; v &lt; max.</summary>
    public static SettingRange Open(double min, double max) => new(min, false, max, false);

    /// <summary>min ≤ v &lt; max.</summary>
    public static SettingRange AtLeastBelow(double min, double max) => new(min, true, max, false);

    /// <summary>min ≤ v.</summary>
    public static SettingRange AtLeast(double min) => new(min, true, null, false);

    /// <summary>min &lt; v.</summary>
    public static SettingRange Above(double min) => new(min, false, null, false);

    /// <summary>Whether <paramref name="value"/> lies in the range (NaN never does).</summary>
    public bool Contains(double value) =>
        !double.IsNaN(value)
        && (Min is not double min || (MinInclusive ? value >= min : value > min))
        && (Max is not double max || (MaxInclusive ? value <= max : value < max));

    /// <summary>Why <paramref name="value"/> is outside the range, or <see langword="null"/>.</summary>
    public string? Problem(double value) => Contains(value) ? null : "it must " + Describe();

    /// <summary>What a value must be, after "it must": e.g. <c>be at least 0 and less than 1000</c>.</summary>
    public string Describe()
    {
        if (Min == 0 && MinInclusive && Max is null)
        {
            return "not be negative";
        }

        if (Min is double a && MinInclusive && Max is double b && MaxInclusive)
        {
            return "be between " + Number(a) + " and " + Number(b);
        }

        string? lower = Min is double min ? (MinInclusive ? "at least " : "greater than ") + Number(min) : null;
        string? upper = Max is double max ? (MaxInclusive ? "at most " : "less than ") + Number(max) : null;
        return "be " + (lower is null ? upper : upper is null ? lower : lower + " and " + upper);
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>The value shapes a property may have in the DSL (settings and custom sweep axes).</summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
enum SettingKind
{
    /// <summary>A type the DSL cannot hold.</summary>
    Unsupported,

    /// <summary><c>int</c>.</summary>
    Int,

    /// <summary><c>long</c> (custom axes only).</summary>
    Long,

    /// <summary><c>double</c>.</summary>
    Double,

    /// <summary><c>bool</c>.</summary>
    Bool,

    /// <summary><c>string</c>.</summary>
    String,

    /// <summary>An enum.</summary>
    Enum,

    /// <summary><c>int?</c>: null takes a default that depends on something else.</summary>
    NullableInt,

    /// <summary><c>double?</c>: null leaves the feature off.</summary>
    NullableDouble,
}

/// <summary>The groups of the summary's Configuration section.</summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
enum SettingGroup
{
    /// <summary>Training.</summary>
    Training,

    /// <summary>Data and Prompts.</summary>
    DataAndPrompts,

    /// <summary>SLURM.</summary>
    Slurm,
}

/// <summary>A rule on a text setting's value.</summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
enum TextRule
{
    /// <summary>Any text that is text (no NUL, no lone surrogate).</summary>
    None,

    /// <summary>A SLURM <c>--time</c> limit.</summary>
    SlurmTime,

    /// <summary>A <c>.json</c> or <c>.parquet</c> file.</summary>
    DatasetFile,

    /// <summary>Contains <c>{input}</c> once (checked by the generator's own diagnostics and the summary reader).</summary>
    InputPlaceholder,
}

/// <summary>How a summary writes a value that is not a plain number, enum name or text.</summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
enum SettingText
{
    /// <summary>As its kind says.</summary>
    Plain,

    /// <summary>The model catalogue's name.</summary>
    Model,

    /// <summary><c>off</c> for 0, else <c>every N steps</c>.</summary>
    EveryNStepsOrOff,

    /// <summary><c>default</c> for null (the catalogue's default), else the number.</summary>
    NumberOrDefault,

    /// <summary><c>2 x rank</c> for null, else the number.</summary>
    NumberOrTwiceRank,

    /// <summary><c>all</c> for null (every step), else the number.</summary>
    NumberOrAll,

    /// <summary><c>off</c> for null, else the number.</summary>
    NumberOrOff,

    /// <summary>torchtune's module names, comma-separated.</summary>
    ModuleSet,
}

/// <summary>Where a setting lives in experiment_summary.yaml.</summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
enum CruijffPlace
{
    /// <summary><c>controls.KEY</c> for every run, <c>runs[].parameters.KEY</c> for one run.</summary>
    Parameters,

    /// <summary><c>runs[].compute.KEY</c> (the fine-tune job's SLURM resources).</summary>
    Compute,

    /// <summary><c>evaluation.compute.KEY</c> (the evaluation jobs' SLURM resources).</summary>
    EvaluationCompute,

    /// <summary><c>runs[].model</c> (and <c>models.base[]</c>).</summary>
    RunModel,

    /// <summary><c>data.training.path</c> for every run, <c>runs[].parameters.dataset_path</c> for one run.</summary>
    TrainingData,
}
