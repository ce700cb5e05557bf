using System.Buffers;
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

    /// <summary>Whether some records come from the journal of a scaffold that stopped before saving the manifest.</summary>
    [JsonIgnore]
    public bool Reconciled { get; init; }

    /// <summary>Relative path -> SHA-256 of the content the scaffold wrote, in ordinal path order.</summary>
    [JsonPropertyName("files")]
    public PathHashMap Files { get; init; } = new();

    /// <summary>
    /// Reads the manifest of <paramref name="experimentDir"/> (an absent one is empty), reconciled with
    /// the journal of a scaffold that stopped before saving it (see <see cref="ScaffoldJournal"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The file exists but is not a manifest, or records a path outside the directory.</exception>
    public static ScaffoldManifest Load(string experimentDir)
    {
        ScaffoldManifest manifest = LoadRecorded(experimentDir);
        foreach ((string path, string hash) in ScaffoldJournal.ReadLeftOver(experimentDir))
        {
            string full = Path.Combine(experimentDir, path);
            if (File.Exists(full) && SymbolicLinks.FirstLinkOnPath(experimentDir, path) is null
                && string.Equals(ContentHash.Of(GuardedFile.ReadCheckedPath(full, FileLimits.GeneratedFile)), hash, StringComparison.Ordinal))
            {
                manifest.Files[path] = hash;
                manifest = manifest with { Reconciled = true };
            }
        }

        return manifest;
    }

    private static ScaffoldManifest LoadRecorded(string experimentDir)
    {
        string path = Path.Combine(experimentDir, FileName);
        if (!GuardedFile.Exists(path))
        {
            return new ScaffoldManifest();
        }

        ScaffoldManifest? manifest;
        try
        {
            // Read as a stream: the whole text of a 70,000-file manifest would be an 18 MB string and
            // its UTF-8 copy a 32 MB buffer that the shared array pool then keeps for the process.
            using FileStream stream = GuardedFile.OpenRead(path, experimentDir, FileLimits.Manifest);
            manifest = JsonSerializer.Deserialize(stream, ManifestJson.Default.ScaffoldManifest);
        }
        catch (JsonException e)
        {
            throw Damaged(path, e.Message, e);
        }

        if (manifest is null || manifest.Files is null || manifest.ToolVersion is null || manifest.PlanHash is null)
        {
            throw Damaged(path, "'tool_version', 'plan_hash' and 'files' must all be present", null);
        }

        foreach ((string file, string hash) in manifest.Files)
        {
            if (ManifestPath.Problem(file) is { } problem)
            {
                throw Damaged(path, $"it records {problem}, '{file}'; the scaffold only records files inside the experiment directory", null);
            }

            if (!ManifestPath.IsHash(hash))
            {
                throw Damaged(path, $"the hash of '{file}' is not a SHA-256", null);
            }
        }

        return manifest;
    }

    private static InvalidDataException Damaged(string path, string why, Exception? inner) =>
        new($"{path} is not a valid scaffold manifest: {why}. Move it away and re-run with --force to rebuild it.", inner);

    /// <summary>The manifest as deterministic JSON text.</summary>
    public string ToJson() => System.Text.Encoding.UTF8.GetString(ToUtf8().WrittenSpan);

    /// <summary>
    /// The manifest's JSON in UTF-8, indented, '\n' line endings, ending with a newline: the bytes of
    /// <see cref="ToJson"/>, written straight into one buffer sized for its files. (Made as a string,
    /// then with its line endings replaced and a newline appended, then encoded, a 70,000-file
    /// manifest was about 50 MB of large objects at the end of every scaffold that saved one.)
    /// </summary>
    internal ArrayBufferWriter<byte> ToUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>((Files.Count * 160) + 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            JsonSerializer.Serialize(writer, this, ManifestJson.Default.ScaffoldManifest);
        }

        buffer.Write("\n"u8);
        return buffer;
    }

    /// <summary>Whether both manifests record the same files, hashes, plan and version.</summary>
    /// <remarks>Ordinal string comparisons: the default comparison of key-value pairs boxes and reflects over each of 70,000.</remarks>
    public bool SameAs(ScaffoldManifest other) =>
        ToolVersion == other.ToolVersion && PlanHash == other.PlanHash && Files.SameAs(other.Files);
}
