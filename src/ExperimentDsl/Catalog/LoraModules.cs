namespace ExperimentDsl;

/// <summary>
/// The attention projections LoRA adapts (finetune.yaml's <c>lora_attn_modules</c>), by torchtune's
/// names; combine with <c>|</c>, e.g. <c>LoraModules.QProj | LoraModules.VProj</c>.
/// </summary>
[System.Flags]
public enum LoraModules
{
    /// <summary>No attention projection (LoRA only on the MLP or output, if those are on).</summary>
    None = 0,

    /// <summary><c>q_proj</c>: the query projection.</summary>
    QProj = 1,

    /// <summary><c>k_proj</c>: the key projection.</summary>
    KProj = 2,

    /// <summary><c>v_proj</c>: the value projection.</summary>
    VProj = 4,

    /// <summary><c>output_proj</c>: the attention output projection.</summary>
    OutputProj = 8,
}
