using System.Text.Json.Serialization;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// System.Text.Json metadata for the plan hash, generated at build time: reflecting over the plan's
/// types took about a quarter of a 4-run scaffold's start-up. Same options as the default serializer,
/// so the JSON, and the hash recorded in existing manifests, are unchanged.
/// </summary>
[JsonSerializable(typeof(ExperimentPlan))]
internal sealed partial class PlanJson : JsonSerializerContext;

/// <summary>System.Text.Json metadata for <see cref="ScaffoldManifest"/>, generated at build time; indented as before.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ScaffoldManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
