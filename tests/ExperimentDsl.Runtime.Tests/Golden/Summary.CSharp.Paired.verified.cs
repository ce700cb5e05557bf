// Imported by ExperimentDsl from "C# record Lab.QwenPaired".
using ExperimentDsl;

namespace Lab;

/// <summary>Experiment "qwen_paired", imported by ExperimentDsl.</summary>
[Experiment("qwen_paired")]
[RunName("r{LoraRank}_lr{LearningRate}_b{BatchSize}")]
[Paired(nameof(LoraRank), nameof(LearningRate), nameof(BatchSize))]
[EvalTask("dialogue", "/work/lab/tasks/dialogue.py", Description = "Multi-turn | dialogue")]
[EvalEpochs(2)]
public partial record QwenPaired
{
    [Sweep(8, 16, 32)]
    public int LoraRank { get; init; }

    [Sweep(1E-05, 5E-05, 0.0001)]
    public double LearningRate { get; init; }

    [Sweep(4, 8, 16)]
    public int BatchSize { get; init; }

    public Model Model { get; init; } = Model.Qwen2_5_3B_Instruct;

    public int Epochs { get; init; } = 3;

    public double LoraDropout { get; init; } = 0.1;

    public LrScheduler LrScheduler { get; init; } = LrScheduler.Constant;

    public int ValidationEveryNSteps { get; init; } = 50;

    public string Dataset { get; init; } = "/work/lab/data/conversations.parquet";

    public DatasetType DatasetType { get; init; } = DatasetType.Chat;

    public string SystemPrompt { get; init; } = "Answer | with `code`\nand *stars* _under_ <b>tags</b> & \\ slash  ";

    public string PromptTemplate { get; init; } = "Q: {input}\nA:";

    public int? Gpus { get; init; } = 2;

    public string FinetuneTime { get; init; } = "01:00:00";
}
