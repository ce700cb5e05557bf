using ExperimentDsl.Runtime.Preflight;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

/// <summary>Plans for the experiment_summary.yaml tests, and what reading a written one gives back.</summary>
internal static class YamlPlans
{
    public const string YamlPath = "/scratch/experiments/x/experiment_summary.yaml";

    /// <summary>Facts fixed for tests that write without a disk: a date, split counts, no scorers (no script exists to name them).</summary>
    public static SummaryFacts Facts { get; } = new() { Date = "2026-03-16", Splits = new DatasetSplitCounts(8, 1, 1, 1) };

    /// <summary>The plan's experiment_summary.yaml, written with <see cref="Facts"/>.</summary>
    public static string Written(ExperimentPlan plan) => ExperimentSummaryYamlWriter.Write(plan, TestPlans.Layout(plan), Facts);

    /// <summary>Everything cruijff_kit v0.3.4's plan adds: an eval-only run, per-task prompts, vis labels, decoding settings, epochs per run.</summary>
    public static ExperimentPlan CruijffFeatures()
    {
        ExperimentPlan plan = TestPlans.CapitalizationWithControl();
        EvalTaskSpec[] tasks =
        [
            new("capitalization", "tasks/capitalization.py", Description: "Capitalize the first letter of each word"),
            new("cued", "tasks/capitalization.py", Dataset: "data/cued.json", Prompt: "Capitalize, carefully: {input}\n", SystemPrompt: "You are careful."),
        ];
        var evalOnly = new EvalOnlyRun("earlier_r8", plan.Runs[0].Settings, "/scratch/outputs/earlier/ck-out-r8/epoch_1");
        var cells = new List<EvalCell>
        {
            new(plan.Runs[0].Name, "capitalization", 0) { VisLabel = "r8 low" },
            new(plan.Runs[0].Name, "capitalization", 1) { VisLabel = "r8 low" },
            new(plan.Runs[0].Name, "cued", 1) { VisLabel = "r8 low" },
            new(plan.Runs[1].Name, "capitalization", 1),
            new(plan.Runs[2].Name, "cued", 0),
            new(plan.Controls[0].Name, "capitalization", null) { VisLabel = "base" },
            new(plan.Controls[0].Name, "cued", null) { VisLabel = "base" },
            new(evalOnly.Name, "cued", null) { IsEvalOnly = true, VisLabel = "earlier" },
        };
        return plan with
        {
            Name = "cap_cruijff",
            EvalOnlyRuns = [evalOnly],
            Evaluation = new EvaluationSettings { Temperature = 0.7, DoSample = true, Seed = 14, MaxTokens = 20, MaxConnections = 8 },
            Tasks = tasks,
            Evaluations = cells,
        };
    }

    /// <summary>The cruijff_kit features as the DSL can say them: one epoch list per task, one label per run.</summary>
    public static ExperimentPlan CSharpExpressible()
    {
        ExperimentPlan plan = TestPlans.CapitalizationWithControl();
        EvalTaskSpec[] tasks =
        [
            new("capitalization", "tasks/capitalization.py", Description: "Capitalize the first letter of each word"),
            new("cued", "tasks/capitalization.py", Prompt: "Capitalize, carefully: {input}\n", SystemPrompt: "You are careful."),
        ];
        var evalOnly = new EvalOnlyRun("earlier_r8", plan.Runs[0].Settings, "/scratch/outputs/earlier/ck-out-r8/epoch_1");
        string? Label(string run) => run == plan.Runs[0].Name ? "r8 low" : run == plan.Controls[0].Name ? "base" : run == evalOnly.Name ? "earlier" : null;
        return plan with
        {
            Name = "cap_cruijff_csharp",
            EvalOnlyRuns = [evalOnly],
            Evaluation = new EvaluationSettings { Temperature = 0.7, DoSample = true, MaxTokens = 20 },
            Tasks = tasks,
            Evaluations =
            [
                .. from run in plan.Runs
                   from task in tasks
                   from epoch in new[] { 0, 1 }
                   select new EvalCell(run.Name, task.Name, epoch) { VisLabel = Label(run.Name) },
                .. tasks.Select(t => new EvalCell(plan.Controls[0].Name, t.Name, null) { VisLabel = "base" }),
                new EvalCell(evalOnly.Name, "cued", null) { IsEvalOnly = true, VisLabel = "earlier" },
            ],
        };
    }

    /// <summary>
    /// What reading the plan's written YAML gives: the file is the source and its directory the base
    /// directory, so every relative path comes back absolute (the schema's paths are full paths).
    /// </summary>
    public static ExperimentPlan AsRead(ExperimentPlan plan)
    {
        string Anchor(string path) =>
            Path.IsPathRooted(path) || plan.BaseDirectory is null ? path : Path.GetFullPath(Path.Combine(plan.BaseDirectory, path));
        RunSettings Settings(RunSettings settings) => settings with { Dataset = Anchor(settings.Dataset) };
        return plan with
        {
            Evaluation = AsCruijffReads(plan.Evaluation),
            // The file names the project the runs log to: the environment's, which the layout gives.
            WandbProject = TestPlans.Environment.WandbProject,
            Source = YamlPath,
            BaseDirectory = Path.GetDirectoryName(YamlPath),
            Runs = [.. plan.Runs.Select(r => r with { Settings = Settings(r.Settings) })],
            Controls = [.. plan.Controls.Select(c => c with { Settings = Settings(c.Settings) })],
            EvalOnlyRuns = [.. plan.EvalOnlyRuns.Select(e => e with { Settings = Settings(e.Settings), CheckpointPath = Anchor(e.CheckpointPath) })],
            Tasks = [.. plan.Tasks.Select(t => t with { Script = Anchor(t.Script), Dataset = t.Dataset is null ? null : Anchor(t.Dataset) })],
        };
    }

    /// <summary>
    /// cruijff_kit's decoding rules on the way back: a plan that does not sample reads back as greedy
    /// (do_sample false) without a temperature; one that samples keeps both.
    /// </summary>
    public static EvaluationSettings AsCruijffReads(EvaluationSettings evaluation) =>
        evaluation.DoSample == true || (evaluation.DoSample is null && evaluation.Temperature is > 0)
            ? evaluation with { DoSample = true }
            : evaluation with { DoSample = false, Temperature = null };
}
