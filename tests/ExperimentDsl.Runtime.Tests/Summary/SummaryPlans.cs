using System.Globalization;

namespace ExperimentDsl.Runtime.Tests.Summary;

/// <summary>Plans built for the summary tests, beyond the seed example.</summary>
internal static class SummaryPlans
{
    public const string TrickyPrompt = "Answer | with `code`\nand *stars* _under_ <b>tags</b> & \\ slash  ";

    /// <summary>The example with a control and a selective matrix: one task only on the rank-8 runs at epoch 1, the other without controls.</summary>
    public static ExperimentPlan Selective()
    {
        ExperimentPlan plan = Infrastructure.TestPlans.CapitalizationWithControl();
        EvalTaskSpec[] tasks =
        [
            new("capitalization", "tasks/capitalization.py", Description: "Capitalize the first letter of each word"),
            new("reasoning", "tasks/reasoning.py", Dataset: "data/reasoning_holdout.json"),
        ];
        var r8 = plan.Runs.Where(r => r.Settings.LoraRank == 8).Select(r => r.Name).ToHashSet();
        var cells = new List<EvalCell>();
        foreach (PlannedRun run in plan.Runs)
        {
            if (r8.Contains(run.Name))
            {
                cells.Add(new EvalCell(run.Name, "capitalization", 1));
            }

            cells.Add(new EvalCell(run.Name, "reasoning", 0));
            cells.Add(new EvalCell(run.Name, "reasoning", 1));
        }

        cells.Add(new EvalCell(plan.Controls[0].Name, "capitalization", null));
        return plan with { Name = "cap_selective", Tasks = tasks, Evaluations = cells };
    }

    /// <summary>Three paired axes (not a grid), validation on, a system prompt full of Markdown syntax.</summary>
    public static ExperimentPlan Paired()
    {
        RunSettings Settings(int rank, double lr, int batch) => new()
        {
            Model = Model.Qwen2_5_3B_Instruct,
            LoraRank = rank,
            LearningRate = lr,
            BatchSize = batch,
            Epochs = 3,
            LoraDropout = 0.1,
            LrScheduler = LrScheduler.Constant,
            ValidationEveryNSteps = 50,
            Dataset = "data/conversations.parquet",
            DatasetType = DatasetType.Chat,
            SystemPrompt = TrickyPrompt,
            PromptTemplate = "Q: {input}\nA:",
            Gpus = 2,
            FinetuneTime = "01:00:00",
        };

        PlannedRun Run(int rank, double lr, string lrText, int batch) => new(
            $"r{rank}_lr{lrText}_b{batch}",
            Settings(rank, lr, batch),
            [
                new AxisValue("LoraRank", rank.ToString(CultureInfo.InvariantCulture)),
                new AxisValue("LearningRate", lrText),
                new AxisValue("BatchSize", batch.ToString(CultureInfo.InvariantCulture)),
            ]);

        PlannedRun[] runs = [Run(8, 1e-5, "1e-5", 4), Run(16, 5e-5, "5e-5", 8), Run(32, 1e-4, "1e-4", 16)];
        EvalTaskSpec[] tasks = [new("dialogue", "tasks/dialogue.py", Description: "Multi-turn | dialogue")];
        return new ExperimentPlan
        {
            Name = "qwen_paired",
            Source = "C# record Lab.QwenPaired",
            BaseDirectory = "/work/lab",
            RunNamePattern = "r{LoraRank}_lr{LearningRate}_b{BatchSize}",
            VaryingAxes = ["LoraRank", "LearningRate", "BatchSize"],
            Runs = runs,
            Tasks = tasks,
            Evaluations = [.. runs.Select(r => new EvalCell(r.Name, "dialogue", 2))],
        };
    }

    /// <summary>The model as an axis: two models x two ranks, a control per model, evaluated at the last epoch.</summary>
    public static ExperimentPlan ModelGrid()
    {
        Model[] models = [Model.Llama_3_2_1B_Instruct, Model.Qwen2_5_3B_Instruct];
        int[] ranks = [8, 16];
        var runs = (from model in models
                    from rank in ranks
                    let name = ModelCatalog.Of(model).Name
                    select new PlannedRun(
                        $"{name}_r{rank}",
                        new RunSettings { Model = model, LoraRank = rank, Dataset = "data/train.json" },
                        [new AxisValue("Model", name), new AxisValue("LoraRank", rank.ToString(CultureInfo.InvariantCulture))])).ToList();
        var controls = models.Select(m => new ControlRun(ModelCatalog.Of(m).Name, runs[0].Settings with { Model = m })).ToList();
        EvalTaskSpec[] tasks = [new("qa", "tasks/qa.py")];
        return new ExperimentPlan
        {
            Name = "model_grid",
            Source = "C# record Lab.ModelGrid",
            BaseDirectory = "/work/lab",
            RunNamePattern = "{Model}_r{LoraRank}",
            VaryingAxes = ["Model", "LoraRank"],
            Runs = runs,
            Controls = controls,
            Tasks = tasks,
            Evaluations =
            [
                .. runs.Select(r => new EvalCell(r.Name, "qa", 0)),
                .. controls.Select(c => new EvalCell(c.Name, "qa", null)),
            ],
        };
    }
}
