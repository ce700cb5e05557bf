namespace ExperimentDsl;

/// <summary>The torchtune tokenizer of a model.</summary>
/// <param name="Component">The tokenizer's <c>_component_</c>.</param>
/// <param name="PathInModelDir">The tokenizer file, relative to the model's directory.</param>
/// <param name="MergesFileInModelDir">The BPE merges file relative to the model's directory, for tokenizers that need one.</param>
public sealed record TokenizerInfo(string Component, string PathInModelDir, string? MergesFileInModelDir = null);
