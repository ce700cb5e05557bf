using ExperimentDsl;

namespace TrainerComparison;

/// <summary>
/// The seed experiment (LoRA rank x learning rate on Llama-3.2-1B, two tasks after each of two epochs)
/// trained by both trainers: every grid point once with torchtune and once with axolotl, so `results`
/// compares the trainers side by side on one grid.
/// </summary>
[Experiment("cap_trainer_comparison")]
[RunName("{Trainer}_{Model}_r{LoraRank}_lr{LearningRate}")]
[EvalTask("capitalization", "../Capitalization/tasks/capitalization.py", Description = "Capitalize the first letter of each word")]
[EvalTask("reasoning", "../Capitalization/tasks/reasoning.py", Description = "Short multi-step reasoning questions")]
[EvalEpochs(0, 1)]
public partial record CapitalizationByTrainer
{
    [Sweep(Trainer.Torchtune, Trainer.Axolotl)]
    public Trainer Trainer { get; init; }

    public Model Model { get; init; } = Model.Llama_3_2_1B;

    [Sweep(8, 16)]
    public int LoraRank { get; init; }

    [Sweep(1e-5, 5e-5)]
    public double LearningRate { get; init; }

    public int Epochs { get; init; } = 2;

    public string Dataset { get; init; } = "../Capitalization/data/capitalization.json";

    public string SystemPrompt { get; init; } = "You capitalize text exactly as asked.";
}
