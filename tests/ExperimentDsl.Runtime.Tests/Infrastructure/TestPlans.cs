using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>Plans and environments written by hand, equal to what the generator produces for the examples.</summary>
internal static class TestPlans
{
    public const string ExperimentDir = "/scratch/experiments/cap_4L_lora_lr_sweep";

    public static EnvironmentSettings Environment { get; } = new()
    {
        OutputRoot = "/scratch/outputs",
        ModelsDir = "/scratch/models",
        WandbProject = "cap_project",
        CondaEnv = "ttenv",
    };

    public static RunSettings CapitalizationSettings(int rank, double lr) => new()
    {
        Model = Model.Llama_3_2_1B,
        LoraRank = rank,
        LearningRate = lr,
        Epochs = 2,
        Dataset = "/data/capitalization.json",
        SystemPrompt = "You capitalize text exactly as asked.",
    };

    public static PlannedRun CapitalizationRun(int rank, double lr, string lrText) => new(
        $"Llama-3.2-1B_r{rank}_lr{lrText}",
        CapitalizationSettings(rank, lr),
        [new AxisValue("LoraRank", rank.ToString(System.Globalization.CultureInfo.InvariantCulture)), new AxisValue("LearningRate", lrText)]);

    /// <summary>The seed example: 4 runs x 2 tasks x 2 epochs, no controls.</summary>
    public static ExperimentPlan Capitalization(string? baseDirectory = "/repo/examples/Capitalization")
    {
        PlannedRun[] runs =
        [
            CapitalizationRun(8, 1e-5, "1e-5"),
            CapitalizationRun(8, 5e-5, "5e-5"),
            CapitalizationRun(16, 1e-5, "1e-5"),
            CapitalizationRun(16, 5e-5, "5e-5"),
        ];
        EvalTaskSpec[] tasks =
        [
            new("capitalization", "tasks/capitalization.py", Description: "Capitalize the first letter of each word"),
            new("reasoning", "tasks/reasoning.py", Description: "Short multi-step reasoning questions"),
        ];
        return new ExperimentPlan
        {
            Name = "cap_4L_lora_lr_sweep",
            Source = "C# record Capitalization.CapitalizationSweep",
            BaseDirectory = baseDirectory,
            RunNamePattern = "{Model}_r{LoraRank}_lr{LearningRate}",
            VaryingAxes = ["LoraRank", "LearningRate"],
            Runs = runs,
            Tasks = tasks,
            Evaluations =
            [
                .. from run in runs
                   from task in tasks
                   from epoch in new[] { 0, 1 }
                   select new EvalCell(run.Name, task.Name, epoch),
            ],
        };
    }

    /// <summary>The example plus a base-model control evaluated on both tasks.</summary>
    public static ExperimentPlan CapitalizationWithControl(string? baseDirectory = "/repo/examples/Capitalization")
    {
        ExperimentPlan plan = Capitalization(baseDirectory);
        var control = new ControlRun("Llama-3.2-1B", CapitalizationSettings(8, 1e-5));
        return plan with
        {
            Controls = [control],
            Evaluations = [.. plan.Evaluations, .. plan.Tasks.Select(t => new EvalCell(control.Name, t.Name, null))],
        };
    }

    public static ExperimentLayout Layout(ExperimentPlan plan, EnvironmentSettings? environment = null) =>
        new(plan, ExperimentDir, environment ?? Environment);
}
