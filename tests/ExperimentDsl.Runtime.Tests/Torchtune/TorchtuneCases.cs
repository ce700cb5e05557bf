using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>One run in one environment: what a torchtune golden file is written from.</summary>
internal sealed record TorchtuneCase(string Name, PlannedRun Run, ExperimentLayout Layout)
{
    public string EmitSetup() => SetupFinetuneYaml.Emit(Run, Layout);

    public string EmitFinetune() => FinetuneYaml.Emit(Run, Layout);
}

/// <summary>The runs the torchtune golden files cover: the seed example and one variation per feature.</summary>
internal static class TorchtuneCases
{
    public const string HostilePrompt =
        "Say \"hi\" and 'bye'.\nThen run $(rm -rf /) and `id` # not a comment: really\n\ttabbed \\ ünïcödé 😀";

    private static readonly ExperimentPlan Plan = TestPlans.Capitalization();

    private static readonly RunSettings Base = TestPlans.CapitalizationSettings(8, 1e-5);

    /// <summary>Cases whose finetune.yaml has a golden file.</summary>
    public static readonly string[] FinetuneCases =
    [
        "Example", "Llama70B", "Llama3B", "Qwen", "Mistral", "Parquet", "Chat", "ValidationOn",
        "HostilePrompt", "SchedulerConstant",
    ];

    /// <summary>Cases whose setup_finetune.yaml has a golden file.</summary>
    public static readonly string[] SetupCases =
    [
        "Example", "Llama70B", "Parquet", "ValidationOn", "HostilePrompt", "Venv", "Cluster",
    ];

    public static IEnumerable<object[]> Finetune => FinetuneCases.Select(name => new object[] { name });

    public static IEnumerable<object[]> Setup => SetupCases.Select(name => new object[] { name });

    /// <summary>The four runs of the seed example.</summary>
    public static IEnumerable<TorchtuneCase> ExampleRuns() =>
        Plan.Runs.Select(run => new TorchtuneCase(run.Name, run, TestPlans.Layout(Plan)));

    public static TorchtuneCase Get(string name) => name switch
    {
        "Example" => new(name, Plan.Runs[0], TestPlans.Layout(Plan)),
        "Llama70B" => Case(name, "Llama-3.3-70B_r8_lr1e-5", Base with { Model = Model.Llama_3_3_70B_Instruct, Gpus = 4 }),
        "Llama3B" => Case(name, "Llama-3.2-3B_r8_lr1e-5", Base with { Model = Model.Llama_3_2_3B_Instruct }),
        "Qwen" => Case(name, "Qwen2.5-3B-Instruct_r8_lr1e-5", Base with { Model = Model.Qwen2_5_3B_Instruct }),
        "Mistral" => Case(name, "Mistral-7B-Instruct-v0.1_r8_lr1e-5", Base with { Model = Model.Mistral_7B_Instruct_v0_1 }),
        "Parquet" => Case(name, "parquet_r8", Base with { Dataset = "data/capitalization.parquet", ValidationEveryNSteps = 50 }),
        "Chat" => Case(name, "chat_r8", Base with { Dataset = "/data/conversations.json", DatasetType = DatasetType.Chat, ValidationEveryNSteps = 25, Packed = false }),
        "ValidationOn" => Case(name, "val_r8", Base with { ValidationEveryNSteps = 10 }),
        "HostilePrompt" => Case(name, "hostile_r8", Base with { SystemPrompt = HostilePrompt, PromptTemplate = "Q: {input}\nA:" }),
        "SchedulerConstant" => Case(name, "constant_r8", Base with { LrScheduler = LrScheduler.Constant, SystemPrompt = "", WarmupSteps = 10, LearningRate = 2.5e-4, WeightDecay = 0, LoraDropout = 0.1 }),
        "Venv" => Case(name, "venv_r8", Base, TestPlans.Environment with { Venv = "/home/me/venvs/tune env", CondaEnv = null }),
        "Cluster" => Case(name, "cluster_r8", Base, TestPlans.Environment with { Account = "lab-account", Partition = "gpu", Constraint = "a100|h100" }),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such torchtune case."),
    };

    private static TorchtuneCase Case(string name, string runName, RunSettings settings, EnvironmentSettings? environment = null) =>
        new(name, new PlannedRun(runName, settings, []), TestPlans.Layout(Plan, environment));
}
