using System.Text.Json;
using System.Text.Json.Serialization;
using ExperimentDsl.Runtime.Files;

namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// <c>{experiment_dir}/scaffold-environment.json</c>: the environment a scaffold wrote into the
/// scripts (paths, Python environment, SLURM placement, resources). Written by every scaffold and
/// listed in its manifest; <c>submit</c>, <c>status</c> and <c>preflight</c> work in it, so a
/// researcher who scaffolded with <c>--output-root X</c> on one day need not repeat it on the next.
/// </summary>
public static class RecordedEnvironment
{
    /// <summary>The file name inside the experiment directory.</summary>
    public const string FileName = "scaffold-environment.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The file of an experiment directory.</summary>
    public static string PathIn(string experimentDir) => Path.Combine(experimentDir, FileName);

    /// <summary>The file's content: indented JSON with <c>\n</c> line endings and a final newline.</summary>
    /// <remarks>
    /// Written by code generated at build time with the same options as <see cref="Options"/> (the same
    /// bytes): every scaffold and plan writes it, for the file and for the inputs hash, and the
    /// reflection serializer's first use (a converter for every primitive type, accessors emitted at
    /// run time) cost every scaffold over a hundred methods compiled at start.
    /// </remarks>
    public static string ToJson(EnvironmentSettings environment) => JsonSerializer.Serialize(environment, RecordedEnvironmentJson.Default.EnvironmentSettings) + "\n";

    /// <summary>The environment recorded in <paramref name="experimentDir"/>, or <see langword="null"/> when none was recorded.</summary>
    /// <exception cref="InvalidDataException">The file exists but cannot be read back.</exception>
    public static EnvironmentSettings? Load(string experimentDir)
    {
        string path = PathIn(experimentDir);
        if (!GuardedFile.Exists(path))
        {
            return null;
        }

        try
        {
            EnvironmentSettings environment = JsonSerializer.Deserialize<EnvironmentSettings>(GuardedFile.ReadAllText(path, experimentDir, FileLimits.RecordedEnvironment), Options)
                ?? throw new InvalidDataException($"{path} is empty; run 'scaffold' again to record the environment.");
            return MissingField(environment) is { } field
                ? throw new InvalidDataException($"{path} has no value for '{field}' (null); run 'scaffold' again to rewrite it.")
                : environment;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid recorded environment ({e.Message}); run 'scaffold' again to rewrite it.", e);
        }
    }

    // The deserializer fills a field written as null with null, whatever the property's type says;
    // every verb after it relies on these being there.
    private static string? MissingField(EnvironmentSettings environment) =>
        environment.OutputRoot is null ? "output_root"
        : environment.ModelsDir is null ? "models_dir"
        : environment.WandbProject is null ? "wandb_project"
        : environment.Modules is null || environment.Modules.Any(m => m is null) ? "modules"
        : environment.Finetune is null ? "finetune"
        : environment.Eval is null ? "eval"
        : null;
}

/// <summary>The writing half of <see cref="RecordedEnvironment"/>'s JSON options, generated at build time.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    NewLine = "\n",
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(EnvironmentSettings))]
internal sealed partial class RecordedEnvironmentJson : JsonSerializerContext;
