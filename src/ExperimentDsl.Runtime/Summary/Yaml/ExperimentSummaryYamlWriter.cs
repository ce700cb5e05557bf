using ExperimentDsl.Runtime.Catalogue;
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
/// path"). What the plan does not hold (the date, the training data's split counts and size, the
/// scorers the task scripts name) comes from <see cref="SummaryFacts"/>, read at scaffold time: the
/// same plan and facts give the same bytes. Decoding follows cruijff_kit's rules: greedy unless
/// <c>do_sample: true</c>, and a temperature only under sampling.
/// </remarks>
public static class ExperimentSummaryYamlWriter
{
    /// <summary>The YAML text of <paramref name="plan"/> scaffolded into <paramref name="layout"/>, stating <paramref name="facts"/>.</summary>
    public static string Write(ExperimentPlan plan, ExperimentLayout layout, SummaryFacts facts)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(facts);
        var document = PlanDocument.From(plan);
        RunSettings common = document.Common;
        var root = new YamlMap()
            .Map("experiment", Experiment(plan, layout, facts))
            .Map("tools", new YamlMap().Text("preparation", "torchtune").Text("evaluation", "inspect-ai"))
            .Map("variables", Variables(plan, document))
            .Map("controls", Controls(common))
            .Map("models", new YamlMap().MapList("base", Models(document, layout)))
            .Map("data", new YamlMap().Map("training", Training(plan, common, facts)))
            .Map("output", new YamlMap().Text("wandb_project", layout.Environment.WandbProject))
            .MapList("runs", document.Rows.Select(row => Run(plan, row, common)))
            .Map("evaluation", Evaluation(plan, document, facts));
        return YamlText.Write(root);
    }

    private static YamlMap Experiment(ExperimentPlan plan, ExperimentLayout layout, SummaryFacts facts) => new YamlMap()
        .Text("name", plan.Name)
        .Text("project", plan.Name)
        .Text("question", "Experiment " + plan.Name + ", defined in " + plan.Source + ".")
        .Text("date", facts.Date)
        .Text("dir", layout.ExperimentDir)
        .Text(YamlPlanShape.RunNamePatternKey, plan.RunNamePattern);

    private static YamlMap Variables(ExperimentPlan plan, PlanDocument document)
    {
        var variables = new YamlMap();
        foreach (string axis in YamlPlanShape.VariableAxes(plan))
        {
            var values = new List<YamlScalar>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (PlanRow run in document.FineTuned)
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
        foreach (Setting field in SettingCatalog.All.Where(f => f.CruijffPlace == CruijffPlace.Parameters).OrderBy(f => f.CruijffOrder ?? int.MaxValue))
        {
            controls.Add(field.CruijffKey, YamlPlanShape.Scalar(field, common));
            if (field.CruijffKey == "gradient_accumulation_steps")
            {
                controls.Boolean("validation_during_training", common.ValidationEveryNSteps > 0);
            }
        }

        return controls;
    }

    private static IEnumerable<YamlMap> Models(PlanDocument document, ExperimentLayout layout) =>
        document.Rows.Select(r => r.Settings.Model).DefaultIfEmpty(document.Common.Model).Distinct()
            .Select(m => new YamlMap().Text("name", ModelCatalog.Of(m).Name).Text("path", layout.ModelDir(m)).Null("size_gb"));

    private static YamlMap Training(ExperimentPlan plan, RunSettings common, SummaryFacts facts)
    {
        string path = YamlPlanShape.Anchor(plan, common.Dataset);
        var training = new YamlMap()
            .Text("path", path)
            .Text("dataset_label", Path.GetFileNameWithoutExtension(path))
            .Text("format", path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "parquet" : "json");
        if (facts.Splits is { } splits)
        {
            return training
                .Add("size_kb", YamlScalars.Integer(checked((int)splits.SizeKb)))
                .Map("splits", new YamlMap().Integer("train", splits.Train).Integer("validation", splits.Validation).Integer("test", splits.Test));
        }

        // Said in the file, not left null: the dataset was not readable when the scaffold ran.
        return training.Null("size_kb").Text("splits", "not counted at scaffold time: " + facts.SplitsProblem);
    }

    private static YamlMap Run(ExperimentPlan plan, PlanRow row, RunSettings common)
    {
        var parameters = new YamlMap();
        if (row.Checkpoint is not null)
        {
            parameters.Text("checkpoint_path", YamlPlanShape.Anchor(plan, row.Checkpoint));
        }

        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (string axis in row.Kind == RunKind.FineTuned ? YamlPlanShape.VariableAxes(plan) : [])
        {
            parameters.Add(YamlPlanShape.AxisKey(axis), YamlPlanShape.AxisScalar(row, axis));
            written.Add(axis);
        }

        AddDifferences(plan, parameters, row.Settings, common, written);
        var entry = new YamlMap()
            .Text("name", row.DirectoryName)
            .Text("type", row.Kind switch { RunKind.FineTuned => "fine-tuned", RunKind.Control => "control", _ => "eval-only" })
            .Text("model", ModelCatalog.Of(row.Settings.Model).Name)
            .Map("parameters", parameters);
        if (row.Kind != RunKind.FineTuned)
        {
            return entry;
        }

        var compute = new YamlMap().Text("time", row.Settings.FinetuneTime);
        if (row.Settings.Gpus is int gpus)
        {
            compute.Integer("gpus", gpus);
        }

        if (row.Settings.EvalTime != common.EvalTime)
        {
            compute.Text(YamlPlanShape.EvalTimeKey, row.Settings.EvalTime);
        }

        return entry.Map("compute", compute);
    }

    // Every setting of the run that the controls do not already give it.
    private static void AddDifferences(ExperimentPlan plan, YamlMap parameters, RunSettings settings, RunSettings common, HashSet<string> written)
    {
        foreach (Setting field in SettingCatalog.All.Where(f => !written.Contains(f.Name)))
        {
            if (field.Format(settings) == field.Format(common))
            {
                continue;
            }

            if (field.CruijffPlace == CruijffPlace.Parameters)
            {
                parameters.Add(field.CruijffKey, YamlPlanShape.Scalar(field, settings));
            }
            else if (field.CruijffPlace == CruijffPlace.TrainingData)
            {
                parameters.Text(field.CruijffKey, YamlPlanShape.Anchor(plan, settings.Dataset));
            }
        }
    }

    private static YamlMap Evaluation(ExperimentPlan plan, PlanDocument document, SummaryFacts facts)
    {
        // cruijff_kit's schema test wants the key; its propagate.py warns on any value but null (the
        // system prompt is read from controls.system_prompt and evaluation.tasks[].system_prompt).
        var evaluation = new YamlMap().Null("system_prompt");
        foreach (EvaluationFields.Field field in EvaluationFields.All)
        {
            if (CruijffDecoding.Written(plan.Evaluation, field) is YamlScalar value)
            {
                evaluation.Add(field.YamlKey, value);
            }
        }

        // The scorers the task scripts name: ExperimentDsl passes none, each task uses its own.
        evaluation.MapList("scorers", facts.Scorers.Select(name => new YamlMap().Text("name", name)));
        evaluation.MapList("tasks", plan.Tasks.Select(t => Task(plan, t)));
        evaluation.Map("compute", new YamlMap().Text("time", document.Common.EvalTime));
        evaluation.MapList("matrix", document.Matrix.Select(MatrixEntry));
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

    private static YamlMap MatrixEntry(MatrixEntry entry)
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
