using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Summary.Yaml;

/// <summary>
/// Writes a plan as cruijff_kit v0.3.4's <c>experiment_summary.yaml</c>, so its post-run tools
/// (summarize, archive) can read an experiment defined here.
/// </summary>
/// <remarks>
/// Values are typed as the schema says (ints as ints, floats with a '.', null epochs for controls
/// and eval-only runs). Settings shared by the runs are under <c>controls</c>; a run's own values
/// (its axis values and anything else that differs) are in its <c>parameters</c>; SLURM limits are in
/// <c>runs[].compute</c> and <c>evaluation.compute</c>. Paths are written absolute (the schema's "full
/// path"). Facts that need the disk or a clock (<c>experiment.date</c>, <c>models.base[].size_gb</c>,
/// <c>data.training.size_kb</c> and <c>splits</c>) are not known to a plan and are written as
/// <c>null</c>, so the output is the same for the same plan.
/// </remarks>
public static class ExperimentSummaryYamlWriter
{
    /// <summary>The YAML text of <paramref name="plan"/> scaffolded into <paramref name="layout"/>.</summary>
    public static string Write(ExperimentPlan plan, ExperimentLayout layout)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(layout);
        RunSettings common = YamlPlanShape.Common(plan);
        var root = new YamlMap()
            .Map("experiment", Experiment(plan, layout))
            .Map("tools", new YamlMap().Text("preparation", "torchtune").Text("evaluation", "inspect-ai"))
            .Map("variables", Variables(plan))
            .Map("controls", Controls(common))
            .Map("models", new YamlMap().MapList("base", Models(plan, layout, common)))
            .Map("data", new YamlMap().Map("training", Training(plan, common)))
            .Map("output", new YamlMap().Text("wandb_project", plan.Name))
            .MapList("runs", Runs(plan, common))
            .Map("evaluation", Evaluation(plan, common));
        return YamlText.Write(root);
    }

    private static YamlMap Experiment(ExperimentPlan plan, ExperimentLayout layout) => new YamlMap()
        .Text("name", plan.Name)
        .Text("project", plan.Name)
        .Text("question", "Experiment " + plan.Name + ", defined in " + plan.Source + ".")
        .Null("date")
        .Text("dir", layout.ExperimentDir)
        .Text(YamlPlanShape.RunNamePatternKey, plan.RunNamePattern);

    private static YamlMap Variables(ExperimentPlan plan)
    {
        var variables = new YamlMap();
        foreach (string axis in YamlPlanShape.VariableAxes(plan))
        {
            var values = new List<YamlScalar>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (PlannedRun run in plan.Runs)
            {
                YamlScalar value = YamlPlanShape.AxisScalar(run, axis);
                if (seen.Add(value.Value))
                {
                    values.Add(value);
                }
            }

            variables.ScalarList(YamlPlanShape.AxisKey(axis), values);
        }

        return variables;
    }

    private static YamlMap Controls(RunSettings common)
    {
        var controls = new YamlMap();
        // cruijff_kit's template order first, then the catalogue's.
        foreach (SettingField field in SettingFields.All.Where(f => f.Yaml.Place == CruijffPlace.Parameters).OrderBy(f => f.Row.CruijffOrder ?? int.MaxValue))
        {
            controls.Add(field.Yaml.Key, YamlPlanShape.Scalar(field, common));
            if (field.Yaml.Key == "gradient_accumulation_steps")
            {
                controls.Boolean("validation_during_training", common.ValidationEveryNSteps > 0);
            }
        }

        return controls;
    }

    private static IEnumerable<YamlMap> Models(ExperimentPlan plan, ExperimentLayout layout, RunSettings common) =>
        YamlPlanShape.AllSettings(plan).Select(s => s.Model).DefaultIfEmpty(common.Model).Distinct()
            .Select(m => new YamlMap().Text("name", ModelCatalog.Of(m).Name).Text("path", layout.ModelDir(m)).Null("size_gb"));

    private static YamlMap Training(ExperimentPlan plan, RunSettings common)
    {
        string path = YamlPlanShape.Anchor(plan, common.Dataset);
        return new YamlMap()
            .Text("path", path)
            .Text("dataset_label", Path.GetFileNameWithoutExtension(path))
            .Text("format", path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "parquet" : "json")
            .Null("size_kb")
            .Null("splits");
    }

    private static IEnumerable<YamlMap> Runs(ExperimentPlan plan, RunSettings common)
    {
        foreach (PlannedRun run in plan.Runs)
        {
            var parameters = new YamlMap();
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (string axis in YamlPlanShape.VariableAxes(plan))
            {
                parameters.Add(YamlPlanShape.AxisKey(axis), YamlPlanShape.AxisScalar(run, axis));
                written.Add(axis);
            }

            AddDifferences(plan, parameters, run.Settings, common, written);
            var compute = new YamlMap().Text("time", run.Settings.FinetuneTime);
            if (run.Settings.Gpus is int gpus)
            {
                compute.Integer("gpus", gpus);
            }

            if (run.Settings.EvalTime != common.EvalTime)
            {
                compute.Text(YamlPlanShape.EvalTimeKey, run.Settings.EvalTime);
            }

            yield return RunEntry(run.Name, "fine-tuned", run.Settings, parameters).Map("compute", compute);
        }

        foreach (ControlRun control in plan.Controls)
        {
            var parameters = new YamlMap();
            AddDifferences(plan, parameters, control.Settings, common, []);
            yield return RunEntry(control.DirectoryName, "control", control.Settings, parameters);
        }

        foreach (EvalOnlyRun evalOnly in plan.EvalOnlyRuns)
        {
            var parameters = new YamlMap().Text("checkpoint_path", YamlPlanShape.Anchor(plan, evalOnly.CheckpointPath));
            AddDifferences(plan, parameters, evalOnly.Settings, common, []);
            yield return RunEntry(evalOnly.Name, "eval-only", evalOnly.Settings, parameters);
        }
    }

    private static YamlMap RunEntry(string name, string type, RunSettings settings, YamlMap parameters) => new YamlMap()
        .Text("name", name)
        .Text("type", type)
        .Text("model", ModelCatalog.Of(settings.Model).Name)
        .Map("parameters", parameters);

    // Every setting of the run that the controls do not already give it.
    private static void AddDifferences(ExperimentPlan plan, YamlMap parameters, RunSettings settings, RunSettings common, HashSet<string> written)
    {
        foreach (SettingField field in SettingFields.All.Where(f => !written.Contains(f.Name)))
        {
            if (field.Format(settings) == field.Format(common))
            {
                continue;
            }

            if (field.Yaml.Place == CruijffPlace.Parameters)
            {
                parameters.Add(field.Yaml.Key, YamlPlanShape.Scalar(field, settings));
            }
            else if (field.Yaml.Place == CruijffPlace.TrainingData)
            {
                parameters.Text(field.Yaml.Key, YamlPlanShape.Anchor(plan, settings.Dataset));
            }
        }
    }

    private static YamlMap Evaluation(ExperimentPlan plan, RunSettings common)
    {
        var evaluation = new YamlMap();
        foreach (EvaluationFields.Field field in EvaluationFields.All)
        {
            if (field.Get(plan.Evaluation) is string value)
            {
                evaluation.Add(field.YamlKey, YamlPlanShape.Scalar(field.Kind, value));
            }
        }

        // The tasks' own scorers are used: ExperimentDsl passes none, so it names none.
        evaluation.MapList("scorers", []);
        evaluation.MapList("tasks", plan.Tasks.Select(t => Task(plan, t)));
        evaluation.Map("compute", new YamlMap().Text("time", common.EvalTime));
        evaluation.MapList("matrix", YamlPlanShape.MatrixEntries(plan).Select(MatrixEntry));
        return evaluation;
    }

    private static YamlMap Task(ExperimentPlan plan, EvalTaskSpec task)
    {
        var map = new YamlMap()
            .Text("name", task.Name)
            .Text("script", YamlPlanShape.Anchor(plan, task.Script))
            .Text("description", task.Description ?? "");
        if (task.Dataset is not null) map.Text("dataset", YamlPlanShape.Anchor(plan, task.Dataset));
        if (task.Prompt is not null) map.Text("prompt", task.Prompt);
        if (task.SystemPrompt is not null) map.Text("system_prompt", task.SystemPrompt);
        return map;
    }

    private static YamlMap MatrixEntry(YamlPlanShape.MatrixEntry entry)
    {
        var map = new YamlMap().Text("run", entry.Run);
        if (entry.VisLabel is not null)
        {
            map.Text("vis_label", entry.VisLabel);
        }

        map.FlowList("tasks", [.. entry.Tasks]);
        return entry.Epochs is null
            ? map.Null("epochs")
            : map.ScalarList("epochs", entry.Epochs.Select(YamlScalars.Integer));
    }
}
