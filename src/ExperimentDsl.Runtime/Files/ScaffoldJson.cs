using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The plan's JSON for the plan hash, written by code generated at build time: reflecting over the
/// plan's types took about a quarter of a 4-run scaffold's start-up. Same options as the default
/// serializer, so the JSON, and the hash recorded in existing manifests, are unchanged. Writing only:
/// the metadata a reader needs (a description of every property, built on first use by generic code
/// that no ahead-of-time image holds) made the runtime compile some 500 methods in every scaffold.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(ExperimentPlan))]
internal sealed partial class PlanJson : JsonSerializerContext
{
    /// <summary>What the serializer gives its own writer with these options: compact, default escaping, 64 levels.</summary>
    public static JsonWriterOptions WriterOptions => new() { MaxDepth = 64, SkipValidation = true };
}

/// <summary>System.Text.Json metadata for <see cref="ScaffoldManifest"/>, generated at build time; indented as before.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ScaffoldManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
