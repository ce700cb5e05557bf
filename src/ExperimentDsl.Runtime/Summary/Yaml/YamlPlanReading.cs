using ExperimentDsl.Runtime.Import;
using ExperimentDsl.Runtime.Catalogue;
namespace ExperimentDsl.Runtime.Summary.Yaml;

/// <summary>One reading of experiment_summary.yaml: each part of the plan from its section.</summary>
internal sealed partial class YamlPlanReading(YamlSection root, PlanReport report)
{
    // cruijff_kit's setup_finetune.py options that change training but have no ExperimentDsl setting:
    // accepting them would train something else than the file says.
    private static readonly string[] TrainingOptionsWithoutSetting =
        ["batch_size_val", "train_on_input", "save_adapter_weights_only", "input_key", "output_key", "custom_recipe", "base_recipe", "input_formatting"];

    // cruijff_kit's own defaults where they differ from ours: a file that leaves them out means these.
    private static readonly RunSettings CruijffDefaults = SettingCatalog.All.Where(s => s.CruijffDefault is not null)
        .Aggregate(new RunSettings(), (settings, s) => RunSettingsValues.With(settings, s, s.CruijffDefault));

    private const int CruijffValidationSteps = 50;

    private readonly List<(string Key, string Axis)> _variables = [];

    public ExperimentPlan Plan(string sourcePath)
    {
        string name = Experiment(out string? pattern);
        Tools();
        Variables();
        RunSettings common = Data(Controls());
        Models();
        string? wandbProject = Output();
        YamlSection? evaluation = root.Section("evaluation");
        List<PlanRow> rows = Runs(EvaluationCompute(evaluation, common));
        if (rows.FirstOrDefault(r => r.Kind == RunKind.FineTuned) is PlanRow first)
        {
            // Runs without a fine-tune job have no compute block: like a control of the DSL, they take
            // the experiment's (the first run's) fine-tune resources.
            rows = [.. rows.Select(r => r.Kind == RunKind.FineTuned ? r : r with { Settings = WithComputeOf(first.Settings, r.Settings) })];
        }

        EvaluationSettings decoding = Decoding(evaluation);
        var tasks = Tasks(evaluation);
        var matrix = Matrix(evaluation);
        root.WarnUnread();
        string baseDirectory = Path.GetDirectoryName(Path.GetFullPath(sourcePath)) ?? "/";
        WarnScorersNotInScripts(tasks, baseDirectory);
        return new PlanDocument
        {
            Name = name,
            Source = sourcePath,
            BaseDirectory = baseDirectory,
            Pattern = pattern,
            PatternPlace = "experiment." + YamlPlanShape.RunNamePatternKey,
            Factors = [.. _variables.Select(v => v.Axis)],
            Rows = rows,
            Matrix = matrix,
            Tasks = tasks,
            Decoding = decoding,
            WandbProject = wandbProject,
        }.ToPlan(report);
    }

    private static RunSettings WithComputeOf(RunSettings source, RunSettings settings) =>
        SettingCatalog.All.Where(f => f.CruijffPlace == CruijffPlace.Compute).Aggregate(settings, (s, f) => f.Parse(s, f.Format(source)));

    private string Experiment(out string? pattern)
    {
        YamlSection experiment = root.Section("experiment") ?? throw report.Error("experiment", "is missing; it names the experiment (experiment.name)");
        string name = experiment.RequiredText("name");
        if (InputRules.DirectoryNameProblem(name) is string problem)
        {
            throw report.Error("experiment.name", $"value '{name}': {problem}; it becomes a directory name");
        }

        pattern = experiment.Text(YamlPlanShape.RunNamePatternKey);
        experiment.Known("project", "question", "date", "hypothesis", "purpose", "dir");
        experiment.WarnUnread();
        return name;
    }

    private void Tools()
    {
        if (root.Section("tools") is not { } tools)
        {
            return;
        }

        Require(tools, "preparation", "torchtune");
        Require(tools, "evaluation", "inspect-ai");
        tools.WarnUnread();

        void Require(YamlSection section, string key, string supported)
        {
            if (section.Text(key) is { } value && value != supported)
            {
                throw report.Error(section.PathOf(key), $"value '{value}' is not supported; ExperimentDsl scaffolds '{supported}' only");
            }
        }
    }

    private void Variables()
    {
        if (root.Section("variables") is not { } variables)
        {
            return;
        }

        foreach (string key in variables.Keys)
        {
            if (variables.TextList(key) is not { Count: > 0 })
            {
                throw report.Error(variables.PathOf(key), "must be a non-empty list of the values the runs take");
            }

            string axis = (SettingCatalog.AtCruijff(CruijffPlace.Parameters, key) ?? SettingCatalog.AtCruijff(CruijffPlace.TrainingData, key)
                ?? SettingCatalog.AtCruijff(CruijffPlace.RunModel, key))?.Name ?? key;
            if (axis == key && VariableNameProblem(key) is string problem)
            {
                throw report.Error(variables.PathOf(key), problem);
            }

            _variables.Add((key, axis));
        }
    }

    // A variable that is no setting becomes a C# property and a run-name placeholder on import, and is
    // copied into the summaries a scaffold writes: its name is refused here, on every path that reads it.
    private static string? VariableNameProblem(string key)
    {
        if (CSharpIdentifier.Problem(key) is string problem)
        {
            return $"is not a variable name: {problem}; {CSharpIdentifier.Rule}";
        }

        return SettingCatalog.Find(key) is not null
            ? $"is the name of a setting, not its key; vary the setting by its key (supported: model, {SupportedParameterKeys()})"
            : null;
    }

    private RunSettings Controls()
    {
        RunSettings settings = CruijffDefaults;
        YamlSection controls = root.Section("controls") ?? throw report.Error("controls", "is missing; it holds the settings shared by the runs (at least epochs)");
        if (!controls.Has("epochs"))
        {
            throw report.Error("controls.epochs", "is missing: the number of epochs decides the checkpoints and evaluations, so it is never assumed");
        }

        settings = Parameters(controls, settings, allowRunKeys: false);
        controls.WarnUnread();
        return settings;
    }

    // controls or runs[].parameters: every setting by its YAML key.
    private RunSettings Parameters(YamlSection section, RunSettings settings, bool allowRunKeys)
    {
        foreach (Setting field in SettingCatalog.All.Where(f => f.CruijffPlace == CruijffPlace.Parameters))
        {
            if (section.Text(field.CruijffKey) is string value)
            {
                settings = Parse(section.PathOf(field.CruijffKey), field, settings, value);
            }
        }

        if (section.Text("validation_during_training") is string validation)
        {
            bool on = Parse(section.PathOf("validation_during_training"), SettingCodec.ParseBool, validation);
            if (!section.Has("run_val_every_n_steps"))
            {
                // cruijff_kit's scaffold turns 'true' into validation every 50 steps.
                settings = settings with { ValidationEveryNSteps = on ? CruijffValidationSteps : 0 };
            }
            else if (!on && settings.ValidationEveryNSteps != 0)
            {
                throw report.Error(section.PathOf("validation_during_training"),
                    $"is false but run_val_every_n_steps is {settings.ValidationEveryNSteps}; set one of them only");
            }
        }

        if (allowRunKeys && section.Text("dataset_path") is string dataset)
        {
            settings = Parse(section.PathOf("dataset_path"), SettingCatalog.AtCruijff(CruijffPlace.TrainingData, "dataset_path")!, settings, dataset);
        }

        foreach (string key in TrainingOptionsWithoutSetting)
        {
            if (section.Text(key) is string value && !(key == "batch_size_val" && value == settings.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
                && !(key == "input_key" && value == "input") && !(key == "output_key" && value == "output"))
            {
                throw report.Error(section.PathOf(key),
                    $"value '{value}' cannot be honoured: ExperimentDsl has no setting for '{key}'. Supported keys: {SupportedParameterKeys()}");
            }
        }

        return settings;
    }

    private static string SupportedParameterKeys() =>
        string.Join(", ", SettingCatalog.All.Where(f => f.CruijffPlace == CruijffPlace.Parameters).Select(f => f.CruijffKey).Append("validation_during_training"));

    private RunSettings Parse(string path, Setting field, RunSettings settings, string value)
    {
        try
        {
            return field.Parse(settings, value);
        }
        catch (SettingValueException e)
        {
            throw report.Error(path, $"value '{value}' {e.Message}");
        }
    }

    private T Parse<T>(string path, Func<string, T> parse, string value)
    {
        try
        {
            return parse(value);
        }
        catch (SettingValueException e)
        {
            throw report.Error(path, $"value '{value}' {e.Message}");
        }
    }

    private RunSettings Data(RunSettings settings)
    {
        if (root.Section("data") is not { } data)
        {
            return settings;
        }

        if (data.Section("training") is { } training)
        {
            if (training.Text("path") is string path)
            {
                settings = Parse(training.PathOf("path"), SettingCatalog.AtCruijff(CruijffPlace.TrainingData, "dataset_path")!, settings, path);
            }

            if (training.Text("format") is string format && !SummaryKeys.Is(format, "json", "parquet"))
            {
                throw report.Error(training.PathOf("format"), $"value '{format}' is not supported; training data is 'json' or 'parquet'");
            }

            training.Known("dataset_label", "size_kb", "splits");
            training.WarnUnread();
        }

        if (data.Node("data_generation") is not null)
        {
            report.Warn(data.PathOf("data_generation"),
                "is not performed: ExperimentDsl does not run cruijff_kit's data generators; generate the dataset first (cruijff_kit's prepare_data.py) so the training path exists");
        }

        data.WarnUnread();
        return settings;
    }

    private void Models()
    {
        if (root.Section("models") is not { } models)
        {
            return;
        }

        foreach (YamlSection model in models.Sections("base"))
        {
            string name = model.RequiredText("name");
            Parse(model.PathOf("name"), SettingCodec.ParseModel, name);
            model.Known("path", "size_gb");
            model.WarnUnread();
        }

        models.WarnUnread();
    }

    // output.wandb_project: the project the runs log to (finetune.yaml's my_wandb_project).
    private string? Output()
    {
        if (root.Section("output") is not { } output)
        {
            return null;
        }

        string? project = output.Text("wandb_project");
        output.WarnUnread();
        return string.IsNullOrEmpty(project) ? null : project;
    }

    private RunSettings EvaluationCompute(YamlSection? evaluation, RunSettings settings)
    {
        if (evaluation?.Section("compute") is not { } compute)
        {
            return settings;
        }

        if (compute.Text("time") is string time)
        {
            settings = Parse(compute.PathOf("time"), SettingCatalog.AtCruijff(CruijffPlace.EvaluationCompute, "time")!, settings, time);
        }

        RefuseResources(compute, "evaluation jobs");
        compute.WarnUnread();
        return settings;
    }

    private void RefuseResources(YamlSection compute, string jobs)
    {
        foreach (string key in new[] { "mem", "cpus_per_task", "gpus" }.Where(k => compute.Path.StartsWith("evaluation", StringComparison.Ordinal) || k != "gpus"))
        {
            if (compute.Text(key) is string value)
            {
                throw report.Error(compute.PathOf(key),
                    $"value '{value}' cannot be honoured: ExperimentDsl takes no per-experiment {key} for {jobs}; "
                    + "the model catalogue and the scaffold's environment options (claude.local.md, --mem) set it. Supported: time"
                    + (jobs == "evaluation jobs" ? "" : ", gpus"));
            }
        }
    }
}
