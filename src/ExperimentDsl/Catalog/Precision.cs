namespace ExperimentDsl;

/// <summary>The floating-point precision torchtune trains in (finetune.yaml's <c>dtype</c>).</summary>
public enum Precision
{
    /// <summary>bfloat16: half the memory of fp32; needs a GPU that supports it (Ampere or newer).</summary>
    Bf16,

    /// <summary>32-bit floats: for GPUs without bfloat16, at twice the memory.</summary>
    Fp32,
}
