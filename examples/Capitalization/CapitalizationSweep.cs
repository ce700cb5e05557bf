using ExperimentDsl;

namespace Capitalization;

/// <summary>
/// The seed experiment: LoRA rank x learning rate on Llama-3.2-1B, evaluated on two tasks after
/// each of the two epochs.
/// </summary>
[Experiment("cap_4L_lora_lr_sweep")]
[RunName("{Model}_r{LoraRank}_lr{LearningRate}")]
[EvalTask("capitalization", "tasks/capitalization.py", Description = "Capitalize the first letter of each word")]
[EvalTask("reasoning", "tasks/reasoning.py", Description = "Short multi-step reasoning questions")]
[EvalEpochs(0, 1)]
public partial record CapitalizationSweep
{
    public Model Model { get; init; } = Model.Llama_3_2_1B;

    [Sweep(8, 16)]
    public int LoraRank { get; init; }

    [Sweep(1e-5, 5e-5)]
    public double LearningRate { get; init; }

    public int Epochs { get; init; } = 2;

    public string Dataset { get; init; } = "data/capitalization.json";

    public string SystemPrompt { get; init; } = "You capitalize text exactly as asked.";
}
