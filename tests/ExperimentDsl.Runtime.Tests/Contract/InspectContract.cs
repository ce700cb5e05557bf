using System.Text.Json;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// The options of <c>inspect eval</c> as pinned in <c>tests/Contract/inspect-contract.json</c>
/// (written from inspect-ai's click decorators by <c>tools/contract/extract_contract.py</c>).
/// </summary>
internal sealed class InspectContract
{
    private InspectContract(IReadOnlyDictionary<string, InspectOption> options, HfProviderLoading hf)
    {
        EvalOptions = options;
        HfProvider = hf;
    }

    public static InspectContract Pinned { get; } = Load(Path.Combine(RepoPaths.Root, "tests", "Contract", "inspect-contract.json"));

    /// <summary>Every option of <c>inspect eval</c>, by each of its spellings (<c>--model</c>, <c>-M</c>).</summary>
    public IReadOnlyDictionary<string, InspectOption> EvalOptions { get; }

    /// <summary>How the <c>hf/</c> provider loads a model and its tokenizer (<c>hf_provider</c>).</summary>
    public HfProviderLoading HfProvider { get; }

    private static InspectContract Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        var options = new Dictionary<string, InspectOption>(StringComparer.Ordinal);
        foreach (JsonProperty option in document.RootElement.GetProperty("eval_options").EnumerateObject())
        {
            options[option.Name] = new InspectOption(
                option.Value.GetProperty("takes_value").GetBoolean(),
                option.Value.GetProperty("multiple").GetBoolean(),
                option.Value.TryGetProperty("choices", out JsonElement choices) ? [.. choices.EnumerateArray().Select(c => c.GetString()!)] : null);
        }

        JsonElement hf = document.RootElement.GetProperty("hf_provider");
        return new InspectContract(options, new HfProviderLoading(Strings(hf, "model_args_collected"), Strings(hf, "model_loaded_from"), Strings(hf, "tokenizer_loaded_from")));
    }

    private static string[] Strings(JsonElement element, string name) => [.. element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}

/// <summary>
/// The <c>hf/</c> provider's model arguments it takes for itself, and what each <c>from_pretrained</c> call
/// loads, in the order the provider tries them (the rest of <c>model_args</c> goes to the model's loader).
/// </summary>
internal sealed record HfProviderLoading(IReadOnlyList<string> ArgsCollected, IReadOnlyList<string> ModelLoadedFrom, IReadOnlyList<string> TokenizerLoadedFrom);

/// <summary>One <c>inspect eval</c> option: whether it takes a value, may repeat, and its allowed values.</summary>
internal sealed record InspectOption(bool TakesValue, bool Multiple, IReadOnlyList<string>? Choices);
