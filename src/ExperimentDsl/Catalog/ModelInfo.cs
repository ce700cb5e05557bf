namespace ExperimentDsl;

/// <summary>What torchtune, axolotl and SLURM need to know about one base model.</summary>
/// <param name="Model">The catalogue entry.</param>
/// <param name="Name">Canonical name, also the model's directory under the models directory.</param>
/// <param name="ShortName">Name used by the default run-name pattern.</param>
/// <param name="LoraComponent">The LoRA model builder, <c>model._component_</c>.</param>
/// <param name="ModelType">The checkpointer's <c>model_type</c>.</param>
/// <param name="CheckpointShards">1 for a single <c>model.safetensors</c>, otherwise the number of shards.</param>
/// <param name="Tokenizer">The tokenizer.</param>
/// <param name="Memory">Default <c>--mem</c> of a fine-tune job.</param>
/// <param name="Cpus">Default <c>--cpus-per-task</c>.</param>
/// <param name="Gpus">Default GPU count.</param>
public sealed record ModelInfo(
    Model Model,
    string Name,
    string ShortName,
    string LoraComponent,
    string ModelType,
    int CheckpointShards,
    TokenizerInfo Tokenizer,
    string Memory,
    int Cpus,
    int Gpus)
{
    /// <summary>
    /// axolotl's <c>base_model</c>, relative to the models directory: the model's Hugging Face directory,
    /// the one torchtune's checkpointer reads. axolotl needs nothing else about these models: its
    /// <c>model_type</c> and <c>tokenizer_type</c> are optional and default to transformers' Auto classes,
    /// which read the directory's config.json (base_model is the only model field the pinned schema requires).
    /// </summary>
    public string AxolotlBaseModel => Name;
}
