using System.Text.Json;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// torchtune as pinned in <c>tests/Contract/torchtune-contract.json</c> (written from torchtune's
/// source by <c>tools/contract/extract_contract.py</c>): what a finetune.yaml may name and must hold.
/// </summary>
internal sealed class TorchtuneContract
{
    private TorchtuneContract(
        IReadOnlyDictionary<string, ComponentSignature> components,
        IReadOnlySet<string> modelTypes,
        IReadOnlyDictionary<string, RecipeContract> recipes,
        ResumeContract resume)
    {
        Components = components;
        ModelTypes = modelTypes;
        Recipes = recipes;
        Resume = resume;
    }

    public static TorchtuneContract Pinned { get; } = Load(
        Path.Combine(RepoPaths.Root, "tests", "Contract", "torchtune-contract.json"),
        Path.Combine(RepoPaths.Root, "tests", "Contract", "cruijff-contract.json"));

    /// <summary>
    /// Every callable a <c>_component_</c> may name, by dotted path: torchtune's, and cruijff_kit's
    /// dataset builders (pinned in cruijff-contract.json), which torchtune instantiates the same way.
    /// </summary>
    public IReadOnlyDictionary<string, ComponentSignature> Components { get; }

    /// <summary>The checkpointer's <c>ModelType</c> members.</summary>
    public IReadOnlySet<string> ModelTypes { get; }

    /// <summary>The recipes of torchtune's registry (what <c>tune run</c> accepts), by name.</summary>
    public IReadOnlyDictionary<string, RecipeContract> Recipes { get; }

    /// <summary>How a recipe resumes from an epoch checkpoint.</summary>
    public ResumeContract Resume { get; }

    private static TorchtuneContract Load(string path, string cruijffPath)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        using JsonDocument cruijff = JsonDocument.Parse(File.ReadAllText(cruijffPath));
        JsonElement root = document.RootElement;

        var components = new Dictionary<string, ComponentSignature>(StringComparer.Ordinal);
        foreach (JsonProperty component in root.GetProperty("components").EnumerateObject()
                     .Concat(cruijff.RootElement.GetProperty("components").EnumerateObject()))
        {
            components[component.Name] = new ComponentSignature(
                Strings(component.Value.GetProperty("params")),
                Strings(component.Value.GetProperty("required")),
                component.Value.GetProperty("kwargs").GetBoolean());
        }

        var recipes = new Dictionary<string, RecipeContract>(StringComparer.Ordinal);
        foreach (JsonProperty recipe in root.GetProperty("recipes").EnumerateObject())
        {
            JsonElement value = recipe.Value;
            var calls = new Dictionary<string, InstantiateCall>(StringComparer.Ordinal);
            if (value.TryGetProperty("instantiate_calls", out JsonElement callsElement))
            {
                foreach (JsonProperty call in callsElement.EnumerateObject())
                {
                    calls[call.Name] = new InstantiateCall(call.Value.GetProperty("positional").GetInt32(), Strings(call.Value.GetProperty("keywords")));
                }
            }

            recipes[recipe.Name] = new RecipeContract(
                value.GetProperty("supports_distributed").GetBoolean(),
                value.TryGetProperty("required_keys", out JsonElement required) ? Strings(required) : null,
                value.TryGetProperty("optional_keys", out JsonElement optional) ? Strings(optional) : null,
                calls);
        }

        JsonElement resume = root.GetProperty("resume");
        var resumeContract = new ResumeContract(
            resume.GetProperty("config_key").GetString()!,
            resume.GetProperty("recipe_state_file").GetString()!,
            resume.GetProperty("adapter_file").GetString()!,
            resume.GetProperty("epoch_dir_pattern").GetString()!,
            Strings(resume.GetProperty("checkpoint_dir_markers")));
        return new TorchtuneContract(components, Strings(root.GetProperty("model_types")).ToHashSet(StringComparer.Ordinal), recipes, resumeContract);
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}

/// <summary>A callable's parameters in order, those without a default, and whether it takes <c>**kwargs</c>.</summary>
internal sealed record ComponentSignature(IReadOnlyList<string> Parameters, IReadOnlyList<string> Required, bool TakesKwargs);

/// <summary>
/// What one recipe reads: top-level keys without a default (<see langword="null"/> when the recipe's
/// reads were not extracted) and the arguments it passes itself when it instantiates a section.
/// </summary>
internal sealed record RecipeContract(
    bool SupportsDistributed,
    IReadOnlyList<string>? RequiredKeys,
    IReadOnlyList<string>? OptionalKeys,
    IReadOnlyDictionary<string, InstantiateCall> InstantiateCalls);

/// <summary><c>config.instantiate(cfg.section, {Positional args}, {Keywords}=...)</c> in the recipe.</summary>
internal sealed record InstantiateCall(int Positional, IReadOnlyList<string> Keywords);

/// <summary>
/// How a LoRA recipe resumes: the top-level key that turns it on; the recipe state and adapter files
/// the checkpointer loads from the newest directory matching <see cref="EpochDirPattern"/> in its
/// output_dir; and the strings that, found in checkpoint_dir, make it load from checkpoint_dir instead.
/// </summary>
internal sealed record ResumeContract(
    string ConfigKey, string RecipeStateFile, string AdapterFile, string EpochDirPattern, IReadOnlyList<string> CheckpointDirMarkers);
