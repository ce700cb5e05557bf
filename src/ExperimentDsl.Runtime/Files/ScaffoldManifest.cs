using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// <c>scaffold-manifest.json</c>: for every file the scaffold wrote, its SHA-256, plus the tool version
/// and a hash of the plan. It is how a re-scaffold tells "we wrote this" from "a person edited this".
/// </summary>
public sealed record ScaffoldManifest
{
    /// <summary>The manifest's file name in the experiment directory.</summary>
    public const string FileName = "scaffold-manifest.json";

    /// <summary>Version of ExperimentDsl that wrote the manifest.</summary>
    [JsonPropertyName("tool_version")]
    public string ToolVersion { get; init; } = "";

    /// <summary>Hash of the plan the files were generated from.</summary>
    [JsonPropertyName("plan_hash")]
    public string PlanHash { get; init; } = "";

    /// <summary>Relative path -> SHA-256 of the content the scaffold wrote, ordinally sorted.</summary>
    [JsonPropertyName("files")]
    public SortedDictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal);


    /// <summary>Reads the manifest of <paramref name="experimentDir"/>; an absent one is empty.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a manifest.</exception>
    public static ScaffoldManifest Load(string experimentDir)
    {
        string path = Path.Combine(experimentDir, FileName);
        if (!File.Exists(path))
        {
            return new ScaffoldManifest();
        }

        try
        {
            ScaffoldManifest? manifest = JsonSerializer.Deserialize(File.ReadAllText(path), ManifestJson.Default.ScaffoldManifest);
            return manifest is null
                ? new ScaffoldManifest()
                : manifest with { Files = new SortedDictionary<string, string>(manifest.Files, StringComparer.Ordinal) };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid scaffold manifest ({e.Message}). Move it away and re-run with --force to rebuild it.", e);
        }
    }

    /// <summary>The manifest as deterministic JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ManifestJson.Default.ScaffoldManifest).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    /// <summary>Whether both manifests record the same files, hashes, plan and version.</summary>
    public bool SameAs(ScaffoldManifest other) =>
        ToolVersion == other.ToolVersion && PlanHash == other.PlanHash && Files.SequenceEqual(other.Files);
}
