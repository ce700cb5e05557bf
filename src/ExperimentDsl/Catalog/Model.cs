namespace ExperimentDsl;

/// <summary>
/// The base models ExperimentDsl knows how to fine-tune. Each has a canonical name (its directory
/// under the models directory) and the torchtune facts in <see cref="ModelCatalog"/>.
/// </summary>
public enum Model
{
    /// <summary>Llama-3.2-1B.</summary>
    Llama_3_2_1B,

    /// <summary>Llama-3.2-1B-Instruct.</summary>
    Llama_3_2_1B_Instruct,

    /// <summary>Llama-3.2-3B-Instruct.</summary>
    Llama_3_2_3B_Instruct,

    /// <summary>Llama-3.1-8B-Instruct.</summary>
    Llama_3_1_8B_Instruct,

    /// <summary>Llama-3.3-70B-Instruct (4 GPUs, distributed recipe).</summary>
    Llama_3_3_70B_Instruct,

    /// <summary>Mistral-7B-v0.1.</summary>
    Mistral_7B_v0_1,

    /// <summary>Mistral-7B-Instruct-v0.1.</summary>
    Mistral_7B_Instruct_v0_1,

    /// <summary>Qwen2.5-3B.</summary>
    Qwen2_5_3B,

    /// <summary>Qwen2.5-3B-Instruct.</summary>
    Qwen2_5_3B_Instruct,
}
