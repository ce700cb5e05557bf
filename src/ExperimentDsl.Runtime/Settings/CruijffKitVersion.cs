using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// The cruijff_kit generation whose <c>setup_finetune.py</c> a <c>--setup-command</c> runs: it decides
/// the dialect of the <c>setup_finetune.yaml</c> we write for it. One file cannot serve both, since
/// each generation rejects the other's required keys.
/// </summary>
[JsonConverter(typeof(CruijffKitVersionJson))]
public enum CruijffKitVersion
{
    /// <summary>The seed era: <c>output_dir_base</c>, <c>prompt_template</c>, torchtune's dataset builders.</summary>
    Seed,

    /// <summary>v0.3.4: <c>project_dir</c>, <c>dataset_type</c>, <c>prompt</c>.</summary>
    V0_3_4,
}

/// <summary>The names users write (<c>seed</c>, <c>0.3.4</c>) for <see cref="CruijffKitVersion"/>.</summary>
public static class CruijffKitVersions
{
    /// <summary>Every accepted value, for error messages.</summary>
    public const string Allowed = "seed, 0.3.4";

    /// <summary>The name of <paramref name="version"/> as settings files and the recorded environment write it.</summary>
    public static string Name(this CruijffKitVersion version) => version switch
    {
        CruijffKitVersion.Seed => "seed",
        CruijffKitVersion.V0_3_4 => "0.3.4",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, null),
    };

    /// <summary>The version named <paramref name="text"/>, or <see langword="null"/> when it names none.</summary>
    public static CruijffKitVersion? Parse(string text) => text switch
    {
        "seed" => CruijffKitVersion.Seed,
        "0.3.4" or "v0.3.4" => CruijffKitVersion.V0_3_4,
        _ => null,
    };
}

/// <summary>Writes and reads <see cref="CruijffKitVersion"/> by its user-facing name.</summary>
internal sealed class CruijffKitVersionJson : JsonConverter<CruijffKitVersion>
{
    public override CruijffKitVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && CruijffKitVersions.Parse(reader.GetString()!) is { } version
            ? version
            : throw new JsonException($"cruijff_kit_version must be one of {CruijffKitVersions.Allowed}");

    public override void Write(Utf8JsonWriter writer, CruijffKitVersion value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Name());
}
