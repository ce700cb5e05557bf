namespace ExperimentDsl;

/// <summary>
/// Every setting of one fine-tuning run, with the defaults a run gets when the experiment does not
/// set it. A property of an experiment record with the same name and type sets the value. Each
/// property has one row in <see cref="Rules.SettingCatalog"/> (same order) with its range, summary
/// labels and file keys.
/// </summary>
public sealed record RunSettings
{
    /// <summary>The base model (default Llama-3.2-1B-Instruct).</summary>
    public Model Model { get; init; } = Model.Llama_3_2_1B_Instruct;

    /// <summary>Training epochs (default 1); must be positive.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Stop each epoch after this many steps; <see langword="null"/> trains on the whole dataset (default).</summary>
    public int? MaxStepsPerEpoch { get; init; }

    /// <summary>Batch size (default 4); must be positive.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>LoRA rank (default 8); must be positive.</summary>
    public int LoraRank { get; init; } = 8;

    /// <summary>LoRA alpha, the adapter's scale; <see langword="null"/> takes twice the rank (default).</summary>
    public int? LoraAlpha { get; init; }

    /// <summary>The attention projections LoRA adapts (default q, v and output projections).</summary>
    public LoraModules LoraAttnModules { get; init; } = LoraModules.QProj | LoraModules.VProj | LoraModules.OutputProj;

    /// <summary>Whether LoRA adapts the MLP layers too (default true).</summary>
    public bool ApplyLoraToMlp { get; init; } = true;

    /// <summary>Whether LoRA adapts the final output projection (default false).</summary>
    public bool ApplyLoraToOutput { get; init; }

    /// <summary>Learning rate (default 1e-4); must be in (0, 1).</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>LoRA dropout (default 0.0, as torchtune's LoRA configs and cruijff_kit); must be in [0, 1).</summary>
    public double LoraDropout { get; init; }

    /// <summary>AdamW weight decay (default 0.01).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Clip gradients to this norm; <see langword="null"/> does not clip (default).</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Learning-rate warmup steps (default 100).</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>Learning-rate schedule (default cosine).</summary>
    public LrScheduler LrScheduler { get; init; } = LrScheduler.Cosine;

    /// <summary>Gradient accumulation steps (default 1).</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Maximum sequence length of the tokenizer (default 2048).</summary>
    public int MaxSeqLen { get; init; } = 2048;

    /// <summary>Random seed (default 42).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Whether samples are packed to <see cref="MaxSeqLen"/> (default true).</summary>
    public bool Packed { get; init; } = true;

    /// <summary>Run validation every this many steps; 0 turns validation off (default 0).</summary>
    public int ValidationEveryNSteps { get; init; }

    /// <summary>Log metrics every this many steps (default 5).</summary>
    public int LogEveryNSteps { get; init; } = 5;

    /// <summary>Training precision (default bf16).</summary>
    public Precision Dtype { get; init; } = Precision.Bf16;

    /// <summary>Whether activations are recomputed in the backward pass, trading time for memory (default false).</summary>
    public bool ActivationCheckpointing { get; init; }

    /// <summary>The program that fine-tunes the run (default <see cref="Trainer.Torchtune"/>).</summary>
    public Trainer Trainer { get; init; } = Trainer.Torchtune;

    /// <summary>Training dataset: a <c>.json</c> or <c>.parquet</c> file (default <c>data/train.json</c>).</summary>
    public string Dataset { get; init; } = "data/train.json";

    /// <summary>Dataset builder (default instruct).</summary>
    public DatasetType DatasetType { get; init; } = DatasetType.Instruct;

    /// <summary>System prompt used in training and in every evaluation (default none).</summary>
    public string SystemPrompt { get; init; } = "";

    /// <summary>Prompt template; must contain <c>{input}</c> (default <c>{input}</c>).</summary>
    public string PromptTemplate { get; init; } = "{input}";

    /// <summary>GPUs of the fine-tune job; <see langword="null"/> takes the model catalogue's default.</summary>
    public int? Gpus { get; init; }

    /// <summary>SLURM <c>--time</c> of the fine-tune job (default <c>00:15:00</c>).</summary>
    public string FinetuneTime { get; init; } = "00:15:00";

    /// <summary>SLURM <c>--time</c> of each evaluation job (default <c>0:30:00</c>).</summary>
    public string EvalTime { get; init; } = "0:30:00";

    /// <summary>The catalogue facts of <see cref="Model"/>.</summary>
    public ModelInfo ModelInfo => ModelCatalog.Of(Model);

    /// <summary>The LoRA alpha torchtune gets: <see cref="LoraAlpha"/>, or twice the rank.</summary>
    public int EffectiveLoraAlpha => LoraAlpha ?? 2 * LoraRank;

    /// <summary>The GPUs the fine-tune job asks for.</summary>
    public int EffectiveGpus => Gpus ?? ModelInfo.Gpus;

    /// <summary>The batch of one optimiser step: <see cref="BatchSize"/> accumulated <see cref="GradientAccumulationSteps"/> times.</summary>
    public BatchShape Batch => new(BatchSize, GradientAccumulationSteps);

    /// <summary>These settings with another batch shape (what an out-of-memory retry runs).</summary>
    public RunSettings WithBatch(BatchShape batch) => this with { BatchSize = batch.Size, GradientAccumulationSteps = batch.Accumulation };
}
