namespace ExperimentDsl;

/// <summary>The facts of every <see cref="Model"/>: names, torchtune components, checkpoint layout, resources.</summary>
public static class ModelCatalog
{
    private static readonly TokenizerInfo LlamaTokenizer =
        new("torchtune.models.llama3.llama3_tokenizer", "original/tokenizer.model");

    private static readonly TokenizerInfo MistralTokenizer =
        new("torchtune.models.mistral.mistral_tokenizer", "tokenizer.model");

    private static readonly TokenizerInfo QwenTokenizer =
        new("torchtune.models.qwen2_5.qwen2_5_tokenizer", "vocab.json", "merges.txt");

    private static readonly ModelInfo[] Entries =
    [
        new(Model.Llama_3_2_1B, "Llama-3.2-1B", "Llama-3.2-1B", "torchtune.models.llama3_2.lora_llama3_2_1b", "LLAMA3_2", 1, LlamaTokenizer, "80G", 1, 1),
        new(Model.Llama_3_2_1B_Instruct, "Llama-3.2-1B-Instruct", "Llama-3.2-1B-Instruct", "torchtune.models.llama3_2.lora_llama3_2_1b", "LLAMA3_2", 1, LlamaTokenizer, "80G", 1, 1),
        new(Model.Llama_3_2_3B_Instruct, "Llama-3.2-3B-Instruct", "Llama-3.2-3B", "torchtune.models.llama3_2.lora_llama3_2_3b", "LLAMA3_2", 2, LlamaTokenizer, "80G", 1, 1),
        new(Model.Llama_3_1_8B_Instruct, "Llama-3.1-8B-Instruct", "Llama-3.1-8B", "torchtune.models.llama3_1.lora_llama3_1_8b", "LLAMA3", 4, LlamaTokenizer, "80G", 1, 1),
        new(Model.Llama_3_3_70B_Instruct, "Llama-3.3-70B-Instruct", "Llama-3.3-70B", "torchtune.models.llama3_3.lora_llama3_3_70b", "LLAMA3", 30, LlamaTokenizer, "320G", 4, 4),
        new(Model.Mistral_7B_v0_1, "Mistral-7B-v0.1", "Mistral-7B-v0.1", "torchtune.models.mistral.lora_mistral_7b", "MISTRAL", 2, MistralTokenizer, "80G", 1, 1),
        new(Model.Mistral_7B_Instruct_v0_1, "Mistral-7B-Instruct-v0.1", "Mistral-7B-Instruct-v0.1", "torchtune.models.mistral.lora_mistral_7b", "MISTRAL", 2, MistralTokenizer, "80G", 1, 1),
        new(Model.Qwen2_5_3B, "Qwen2.5-3B", "Qwen2.5-3B", "torchtune.models.qwen2_5.lora_qwen2_5_3b", "QWEN2", 2, QwenTokenizer, "80G", 1, 1),
        new(Model.Qwen2_5_3B_Instruct, "Qwen2.5-3B-Instruct", "Qwen2.5-3B-Instruct", "torchtune.models.qwen2_5.lora_qwen2_5_3b", "QWEN2", 2, QwenTokenizer, "80G", 1, 1),
    ];

    /// <summary>Every model, in <see cref="Model"/> order.</summary>
    public static IReadOnlyList<ModelInfo> All => Entries;

    /// <summary>The facts of one model.</summary>
    public static ModelInfo Of(Model model)
    {
        int index = (int)model;
        if (index < 0 || index >= Entries.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(model), model, "Not a model of the catalogue.");
        }

        return Entries[index];
    }

    /// <summary>Finds a model by its canonical name (ordinal, case-insensitive) or by its enum member name.</summary>
    public static bool TryFind(string name, out ModelInfo info)
    {
        foreach (ModelInfo entry in Entries)
        {
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(entry.Model.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                info = entry;
                return true;
            }
        }

        info = null!;
        return false;
    }
}
