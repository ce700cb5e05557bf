using System.Globalization;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// One experiment holding every combination of the options that change what finetune.yaml and the
/// scripts contain: every catalogue model x every learning-rate schedule x both dataset types x
/// json/parquet x packed on/off x validation on/off, plus a base-model control per model, each
/// evaluated with a task that reads the run's setup file and one that takes explicit arguments.
/// cruijff_kit's dataset types come with JSON datasets only, the text one without a system prompt.
/// </summary>
internal static class OptionMatrix
{
    public static IReadOnlyList<Model> Models { get; } = Enum.GetValues<Model>();

    public static IReadOnlyList<LrScheduler> Schedules { get; } = Enum.GetValues<LrScheduler>();

    public static IReadOnlyList<DatasetType> DatasetTypes { get; } = Enum.GetValues<DatasetType>();

    public static IReadOnlyList<string> DatasetFiles { get; } = ["/data/capitalization.json", "/data/capitalization.parquet"];

    /// <summary>
    /// The dataset type and file combinations a run can have: cruijff_kit's builders read JSON only
    /// (a parquet dataset with them is refused before anything is written).
    /// </summary>
    public static IReadOnlyList<(DatasetType Type, string File)> DatasetCombinations { get; } =
    [
        .. from type in DatasetTypes
           from file in DatasetFiles
           where !global::ExperimentDsl.Runtime.Torchtune.CruijffDatasets.Builds(type) || file.EndsWith(".json", StringComparison.Ordinal)
           select (type, file),
    ];

    public static int Size => Models.Count * Schedules.Count * DatasetCombinations.Count * 2 * 2;

    /// <summary>The example's two task signatures: config_dir, and explicit dataset/system prompt.</summary>
    public static IReadOnlyList<(EvalTaskSpec Task, TaskSignature Signature)> Tasks { get; } =
    [
        (new EvalTaskSpec("capitalization", "tasks/capitalization.py"), new TaskSignature("capitalization", ["config_dir"], false)),
        (new EvalTaskSpec("reasoning", "tasks/reasoning.py"), new TaskSignature("reasoning", ["dataset_path", "system_prompt", "prompt_template"], false)),
    ];

    public static ExperimentPlan Plan(Func<RunSettings, RunSettings>? adjust = null)
    {
        adjust ??= s => s;
        var runs = new List<PlannedRun>();
        foreach (Model model in Models)
        {
            foreach (LrScheduler schedule in Schedules)
            {
                foreach ((DatasetType type, string dataset) in DatasetCombinations)
                {
                    {
                        foreach (bool packed in new[] { true, false })
                        {
                            foreach (int validation in new[] { 0, 50 })
                            {
                                RunSettings settings = adjust(new RunSettings
                                {
                                    Model = model,
                                    LrScheduler = schedule,
                                    DatasetType = type,
                                    Dataset = dataset,
                                    Packed = packed,
                                    ValidationEveryNSteps = validation,
                                    // cruijff_kit's text builder has no system prompt (one is refused).
                                    SystemPrompt = type == DatasetType.CruijffTextCompletion ? "" : "You capitalize text exactly as asked.",
                                });
                                string name = string.Join(
                                    "_",
                                    ModelCatalog.Of(model).Name,
                                    schedule.ToString(),
                                    type.ToString(),
                                    Path.GetExtension(dataset).TrimStart('.'),
                                    packed ? "packed" : "unpacked",
                                    "val" + validation.ToString(CultureInfo.InvariantCulture));
                                runs.Add(new PlannedRun(name, settings, []));
                            }
                        }
                    }
                }
            }
        }

        ControlRun[] controls = [.. Models.Select(m => new ControlRun(ModelCatalog.Of(m).Name, adjust(new RunSettings { Model = m, Dataset = DatasetFiles[0] })))];
        return new ExperimentPlan
        {
            Name = "option_matrix",
            Source = "tests",
            BaseDirectory = "/repo/examples/Capitalization",
            RunNamePattern = "{Model}",
            VaryingAxes = ["Model", "LrScheduler", "DatasetType", "Dataset", "Packed", "ValidationEveryNSteps"],
            Runs = runs,
            Controls = controls,
            Tasks = [.. Tasks.Select(t => t.Task)],
            // Every decoding setting, so every eval script's inspect options are checked against the contract.
            Evaluation = new EvaluationSettings { Temperature = 0.7, DoSample = true, Seed = 14, MaxTokens = 64, MaxConnections = 8 },
            Evaluations =
            [
                .. from run in runs from task in Tasks select new EvalCell(run.Name, task.Task.Name, 0),
                .. from control in controls from task in Tasks select new EvalCell(control.Name, task.Task.Name, null),
            ],
        };
    }

    public static ExperimentLayout Layout(ExperimentPlan plan) => TestPlans.Layout(plan);

    public static TaskSignature SignatureOf(string task) => Tasks.Single(t => t.Task.Name == task).Signature;
}
