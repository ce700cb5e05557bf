namespace ExperimentDsl;

/// <summary>
/// The program that fine-tunes a run. Sweepable like any setting: a sweep over trainers trains the
/// same grid with each. A setting value a trainer cannot express is a compile-time error (EXD052).
/// </summary>
public enum Trainer
{
    /// <summary>torchtune's LoRA recipes (<c>tune run</c>, finetune.yaml), as pinned in tests/Contract/torchtune-contract.json (default).</summary>
    Torchtune,

    /// <summary>axolotl (<c>axolotl train axolotl.yaml</c>), as pinned in tests/Contract/axolotl-contract.json.</summary>
    Axolotl,
}
