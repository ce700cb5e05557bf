using ExperimentDsl;

namespace MySweep;

/// <summary>
/// LoRA rank x learning rate on Llama-3.2-1B: four runs, each evaluated on the sweepname task after
/// its last epoch. Paths are relative to this file.
/// </summary>
[Experiment("sweepname")]
[RunName("{Model}_r{LoraRank}_lr{LearningRate}")]
[EvalTask("sweepname", "tasks/sweepname.py", Description = "Answers match the dataset's test outputs")]
public partial record LoraSweep
{
    /// <summary>Who trains each run: torchtune (the default) or axolotl; sweep it to compare them.</summary>
#if (axolotl)
    public Trainer Trainer { get; init; } = Trainer.Axolotl;
#else
    public Trainer Trainer { get; init; } = Trainer.Torchtune;
#endif

    public Model Model { get; init; } = Model.Llama_3_2_1B;

    [Sweep(8, 16)]
    public int LoraRank { get; init; }

    [Sweep(1e-5, 5e-5)]
    public double LearningRate { get; init; }

    public int Epochs { get; init; } = 1;

    public string Dataset { get; init; } = "data/sweepname.json";

    public string SystemPrompt { get; init; } = "Answer with the expected output only.";
}
