// Imported by ExperimentDsl from "C# record Capitalization.CapitalizationSweep".
using ExperimentDsl;

namespace Lab;

/// <summary>Experiment "cap_4L_lora_lr_sweep", imported by ExperimentDsl.</summary>
[Experiment("cap_4L_lora_lr_sweep")]
[RunName("{Model}_r{LoraRank}_lr{LearningRate}")]
[EvalTask("capitalization", "/repo/examples/Capitalization/tasks/capitalization.py", Description = "Capitalize the first letter of each word")]
[EvalTask("reasoning", "/repo/examples/Capitalization/tasks/reasoning.py", Description = "Short multi-step reasoning questions")]
[EvalEpochs(0, 1)]
public partial record CapSweep
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
