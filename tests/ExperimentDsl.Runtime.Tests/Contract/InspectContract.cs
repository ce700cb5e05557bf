using System.Text.Json;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// The options of <c>inspect eval</c> as pinned in <c>tests/Contract/inspect-contract.json</c>
/// (written from inspect-ai's click decorators by <c>tools/contract/extract_contract.py</c>).
/// </summary>
internal sealed class InspectContract
{
    private InspectContract(IReadOnlyDictionary<string, InspectOption> options) => EvalOptions = options;

    public static InspectContract Pinned { get; } = Load(Path.Combine(RepoPaths.Root, "tests", "Contract", "inspect-contract.json"));

    /// <summary>Every option of <c>inspect eval</c>, by each of its spellings (<c>--model</c>, <c>-M</c>).</summary>
    public IReadOnlyDictionary<string, InspectOption> EvalOptions { get; }

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

        return new InspectContract(options);
    }
}

/// <summary>One <c>inspect eval</c> option: whether it takes a value, may repeat, and its allowed values.</summary>
internal sealed record InspectOption(bool TakesValue, bool Multiple, IReadOnlyList<string>? Choices);
