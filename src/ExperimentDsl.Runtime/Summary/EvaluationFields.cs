using ExperimentDsl.Runtime.Catalogue;
namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// Every decoding setting of <see cref="EvaluationSettings"/> as both plans and the C# import see it:
/// its Markdown label (an Evaluation Plan bullet), its YAML key (under <c>evaluation</c>) and type, and
/// its <c>[Evaluation]</c> argument (the property's name). A new setting is added here only.
/// </summary>
internal static class EvaluationFields
{
    /// <summary>One decoding setting.</summary>
    /// <param name="Name">The property of <see cref="EvaluationSettings"/> and of <c>[Evaluation]</c>.</param>
    /// <param name="Label">The Evaluation Plan bullet's label.</param>
    /// <param name="YamlKey">The key under <c>evaluation</c>.</param>
    /// <param name="Kind">The value's YAML type.</param>
    /// <param name="Get">The value as text (invariant), or <see langword="null"/> when not given.</param>
    /// <param name="Set">Sets the value from text; throws <see cref="SettingValueException"/>.</param>
    /// <param name="CSharpValue">The given value as a C# expression.</param>
    public sealed record Field(
        string Name,
        string Label,
        string YamlKey,
        YamlKind Kind,
        Func<EvaluationSettings, string?> Get,
        Func<EvaluationSettings, string, EvaluationSettings> Set,
        Func<EvaluationSettings, string> CSharpValue);

    public static IReadOnlyList<Field> All { get; } =
    [
        new("Temperature", "Temperature", "temperature", YamlKind.Float,
            e => e.Temperature is double t ? NumberText.Format(t) : null,
            (e, t) => e with { Temperature = SettingCodec.ParseDouble(t) is var v && v >= 0 ? v : throw new SettingValueException("must not be negative") },
            e => NumberText.CSharpLiteral(e.Temperature!.Value)),
        new("DoSample", "Do sample", "do_sample", YamlKind.Bool,
            e => e.DoSample is bool b ? (b ? "true" : "false") : null,
            (e, t) => e with { DoSample = SettingCodec.ParseBool(t) },
            e => e.DoSample!.Value ? "true" : "false"),
        new(nameof(EvaluationSettings.Seed), "Evaluation seed", "seed", YamlKind.Int,
            e => e.Seed is int s ? NumberText.Format(s) : null,
            (e, t) => e with { Seed = SettingCodec.ParseInt(t) },
            e => NumberText.Format(e.Seed!.Value)),
        new("MaxTokens", "Max tokens", "max_tokens", YamlKind.Int,
            e => e.MaxTokens is int m ? NumberText.Format(m) : null,
            (e, t) => e with { MaxTokens = SettingCodec.ParseInt(t) is var v && v > 0 ? v : throw new SettingValueException("must be positive") },
            e => NumberText.Format(e.MaxTokens!.Value)),
        new("MaxConnections", "Max connections", "max_connections", YamlKind.Int,
            e => e.MaxConnections is int m ? NumberText.Format(m) : null,
            (e, t) => e with { MaxConnections = SettingCodec.ParseInt(t) is var v && v > 0 ? v : throw new SettingValueException("must be positive") },
            e => NumberText.Format(e.MaxConnections!.Value)),
    ];

    /// <summary>Sampling divides by the temperature: a plan that samples needs a positive one.</summary>
    public static string? Problem(EvaluationSettings settings) =>
        settings.DoSample == true && settings.Temperature is not > 0 ? "must be given and positive when do_sample is true (sampling divides by the temperature)" : null;
}
