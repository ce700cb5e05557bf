using ExperimentDsl;

namespace LargeSweep;

/// <summary>
/// A thousand-run sweep (10 ranks x 10 learning rates x 10 seeds), each evaluated on two tasks at two
/// epochs: 4,000 eval scripts. Used to measure the generator and the scaffold at scale.
/// </summary>
[Experiment("large_sweep_1000")]
[EvalTask("capitalization", "../Capitalization/tasks/capitalization.py")]
[EvalTask("reasoning", "../Capitalization/tasks/reasoning.py")]
[EvalEpochs(0, 1)]
public partial record LargeSweep
{
    public Model Model { get; init; } = Model.Llama_3_2_1B_Instruct;

    [Sweep(2, 4, 8, 12, 16, 24, 32, 48, 64, 128)]
    public int LoraRank { get; init; }

    [Sweep(1e-5, 2e-5, 3e-5, 5e-5, 7e-5, 1e-4, 2e-4, 3e-4, 5e-4, 1e-3)]
    public double LearningRate { get; init; }

    [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    public int Seed { get; init; }

    public int Epochs { get; init; } = 2;

    public string Dataset { get; init; } = "../Capitalization/data/capitalization.json";
}

/// <summary>A 200-run sweep (5 ranks x 5 learning rates x 8 seeds) with one task at one epoch.</summary>
[Experiment("medium_sweep_200")]
[EvalTask("capitalization", "../Capitalization/tasks/capitalization.py")]
public partial record MediumSweep
{
    [Sweep(4, 8, 16, 32, 64)]
    public int LoraRank { get; init; }

    [Sweep(1e-5, 3e-5, 1e-4, 3e-4, 1e-3)]
    public double LearningRate { get; init; }

    [Sweep(1, 2, 3, 4, 5, 6, 7, 8)]
    public int Seed { get; init; }

    public string Dataset { get; init; } = "../Capitalization/data/capitalization.json";
}

/// <summary>
/// Ten thousand runs (4 axes of 10 values: ranks x learning rates x batch sizes x seeds), each
/// evaluated on two tasks at two epochs: 40,000 eval scripts, 70,005 files. The scale issue 16's
/// whole-process numbers (time and peak memory) are measured at.
/// </summary>
[Experiment("large_sweep_10000")]
[EvalTask("capitalization", "../Capitalization/tasks/capitalization.py")]
[EvalTask("reasoning", "../Capitalization/tasks/reasoning.py")]
[EvalEpochs(0, 1)]
public partial record HugeSweep
{
    public Model Model { get; init; } = Model.Llama_3_2_1B_Instruct;

    [Sweep(2, 4, 8, 12, 16, 24, 32, 48, 64, 128)]
    public int LoraRank { get; init; }

    [Sweep(1e-5, 2e-5, 3e-5, 5e-5, 7e-5, 1e-4, 2e-4, 3e-4, 5e-4, 1e-3)]
    public double LearningRate { get; init; }

    [Sweep(1, 2, 3, 4, 5, 6, 8, 10, 12, 16)]
    public int BatchSize { get; init; }

    [Sweep(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    public int Seed { get; init; }

    public int Epochs { get; init; } = 2;

    public string Dataset { get; init; } = "../Capitalization/data/capitalization.json";
}
