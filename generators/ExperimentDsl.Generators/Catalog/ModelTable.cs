using System;
using System.Collections.Generic;
using System.Linq;

namespace ExperimentDsl.Generators.Catalog;

/// <summary>A model of the catalogue: its <c>ExperimentDsl.Model</c> member, canonical and short names.</summary>
internal sealed record ModelEntry(string Member, string Name, string ShortName);

/// <summary>
/// The names of <c>ExperimentDsl.ModelCatalog</c>, needed at compile time for run names and
/// controls. A test pins it to the real catalogue.
/// </summary>
internal static class ModelTable
{
    public static IReadOnlyList<ModelEntry> All { get; } =
    [
        new("Llama_3_2_1B", "Llama-3.2-1B", "Llama-3.2-1B"),
        new("Llama_3_2_1B_Instruct", "Llama-3.2-1B-Instruct", "Llama-3.2-1B-Instruct"),
        new("Llama_3_2_3B_Instruct", "Llama-3.2-3B-Instruct", "Llama-3.2-3B"),
        new("Llama_3_1_8B_Instruct", "Llama-3.1-8B-Instruct", "Llama-3.1-8B"),
        new("Llama_3_3_70B_Instruct", "Llama-3.3-70B-Instruct", "Llama-3.3-70B"),
        new("Mistral_7B_v0_1", "Mistral-7B-v0.1", "Mistral-7B-v0.1"),
        new("Mistral_7B_Instruct_v0_1", "Mistral-7B-Instruct-v0.1", "Mistral-7B-Instruct-v0.1"),
        new("Qwen2_5_3B", "Qwen2.5-3B", "Qwen2.5-3B"),
        new("Qwen2_5_3B_Instruct", "Qwen2.5-3B-Instruct", "Qwen2.5-3B-Instruct"),
    ];

    private static readonly Dictionary<string, ModelEntry> ByMember =
        All.ToDictionary(m => m.Member, StringComparer.Ordinal);

    /// <summary>The entry of an enum member, or null for a member this generator does not know.</summary>
    public static ModelEntry? Find(string member) => ByMember.TryGetValue(member, out ModelEntry? m) ? m : null;
}
