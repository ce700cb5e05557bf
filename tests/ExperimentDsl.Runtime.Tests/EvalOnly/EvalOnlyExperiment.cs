using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.EvalOnly;

/// <summary>
/// One fine-tuned run and one eval-only run evaluated on two tasks, with every input on disk in a
/// temporary directory: the example's reasoning task, a capitalization task of our own that takes
/// <c>config_dir</c> and explicit arguments alike, the dataset, a base model directory and the eval-only
/// run's checkpoint, given relative to the experiment's source folder. Vis labels on both runs.
/// </summary>
internal sealed class EvalOnlyExperiment : IDisposable
{
    public const string EvalOnlyName = "earlier_r8";
    public const string FineTunedName = "r8";
    public const string EvalOnlyLabel = "earlier rank 8";
    public const string FineTunedLabel = "rank 8, this sweep";

    // Takes config_dir as well: an eval-only run must still get its arguments explicitly.
    private const string CapitalizationTask = """
        from inspect_ai import Task, task


        @task
        def capitalization(config_dir: str = "", dataset_path: str = "", system_prompt: str = "", prompt_template: str = "{input}"):
            return Task()
        """;

    private readonly TempDirectory _root = new("exd-evalonly");

    public EvalOnlyExperiment()
    {
        Source = _root.Combine("src");
        Directory.CreateDirectory(Path.Combine(Source, "tasks"));
        Directory.CreateDirectory(Path.Combine(Source, "data"));
        File.WriteAllText(Path.Combine(Source, "tasks", "capitalization.py"), CapitalizationTask);
        File.Copy(Path.Combine(RepoPaths.CapitalizationExample, "tasks", "reasoning.py"), Path.Combine(Source, "tasks", "reasoning.py"));
        File.Copy(Path.Combine(RepoPaths.CapitalizationExample, "data", "capitalization.json"), Path.Combine(Source, "data", "capitalization.json"));

        RunSettings settings = TestPlans.CapitalizationSettings(8, 1e-5) with { Dataset = "data/capitalization.json", Epochs = 1 };
        var run = new PlannedRun(FineTunedName, settings, [new AxisValue("LoraRank", "8")]);
        var evalOnly = new EvalOnlyRun(EvalOnlyName, settings with { Model = Model.Llama_3_2_1B_Instruct }, "checkpoints/earlier/epoch_1");
        EvalTaskSpec[] tasks = [new("capitalization", "tasks/capitalization.py"), new("reasoning", "tasks/reasoning.py")];
        Plan = new ExperimentPlan
        {
            Name = "eval_only_sweep",
            Source = "C# record Lab.EvalOnlySweep",
            BaseDirectory = Source,
            RunNamePattern = "r{LoraRank}",
            VaryingAxes = ["LoraRank"],
            Runs = [run],
            EvalOnlyRuns = [evalOnly],
            Tasks = tasks,
            Evaluations =
            [
                .. tasks.Select(t => new EvalCell(FineTunedName, t.Name, 0) { VisLabel = FineTunedLabel }),
                .. tasks.Select(t => new EvalCell(EvalOnlyName, t.Name, null) { IsEvalOnly = true, VisLabel = EvalOnlyLabel }),
            ],
        };
        Environment = TestPlans.Environment with { OutputRoot = _root.Combine("out"), ModelsDir = _root.Combine("models") };
        Layout = new ExperimentLayout(Plan, _root.Combine("exp", Plan.Name), Environment);
        Checkpoint = Path.Combine(Source, "checkpoints", "earlier", "epoch_1");
    }

    public string Source { get; }

    public ExperimentPlan Plan { get; }

    public Settings.EnvironmentSettings Environment { get; }

    public ExperimentLayout Layout { get; }

    /// <summary>The eval-only run's checkpoint, absolute (not created until <see cref="CreateInputs"/>).</summary>
    public string Checkpoint { get; }

    /// <summary>Creates the base model directories and, unless told otherwise, the eval-only checkpoint.</summary>
    public void CreateInputs(bool checkpoint = true)
    {
        foreach (Model model in new[] { Model.Llama_3_2_1B, Model.Llama_3_2_1B_Instruct })
        {
            string dir = Layout.ModelDir(model);
            Directory.CreateDirectory(Path.Combine(dir, "original"));
            File.WriteAllText(Path.Combine(dir, "model.safetensors"), "weights");
            File.WriteAllText(Path.Combine(dir, "original", "tokenizer.model"), "tokenizer");
        }

        if (checkpoint)
        {
            Directory.CreateDirectory(Checkpoint);
            File.WriteAllText(Path.Combine(Checkpoint, "adapter_model.safetensors"), "weights");
        }
    }

    public string Absolute(string relative) => Layout.Absolute(relative);

    public void Dispose() => _root.Dispose();
}
