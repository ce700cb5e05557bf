// Imported by ExperimentDsl from "C# record Capitalization.CapitalizationSweep".
using ExperimentDsl;

namespace Lab;

/// <summary>Experiment "cap_selective", imported by ExperimentDsl.</summary>
[Experiment("cap_selective")]
[RunName("{Model}_r{LoraRank}_lr{LearningRate}")]
[Control(Model.Llama_3_2_1B)]
[EvalTask("capitalization", "/repo/examples/Capitalization/tasks/capitalization.py", Description = "Capitalize the first letter of each word", Runs = ["Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r8_lr5e-5"])]
[EvalTask("reasoning", "/repo/examples/Capitalization/tasks/reasoning.py", Dataset = "/repo/examples/Capitalization/data/reasoning_holdout.json", Epochs = [0, 1], Controls = false)]
[EvalEpochs(1)]
public partial record Selective
{
    [Sweep(8, 16)]
    public int LoraRank { get; init; }

    [Sweep(1E-05, 5E-05)]
    public double LearningRate { get; init; }

    public Model Model { get; init; } = Model.Llama_3_2_1B;

    public int Epochs { get; init; } = 2;

    public string Dataset { get; init; } = "/data/capitalization.json";

    public string SystemPrompt { get; init; } = "You capitalize text exactly as asked.";
}
