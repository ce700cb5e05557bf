using ExperimentDsl.Runtime.Catalogue;
namespace ExperimentDsl.Runtime.Summary.Yaml;

// The runs list: fine-tuned runs, controls and eval-only runs with their settings.
internal sealed partial class YamlPlanReading
{
    private List<PlanRow> Runs(RunSettings common)
    {
        var rows = new List<PlanRow>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<YamlSection> entries = root.Sections("runs");
        if (entries.Count == 0)
        {
            throw report.Error("runs", "is missing or empty; list the fine-tuned, control and eval-only runs");
        }

        foreach (YamlSection run in entries)
        {
            string name = run.RequiredText("name");
            if (InputRules.DirectoryNameProblem(name) is string problem)
            {
                throw report.Error(run.PathOf("name"), $"value '{name}': {problem}; it becomes a directory name");
            }

            if (!names.Add(name))
            {
                throw report.Error(run.PathOf("name"), $"value '{name}' is used by an earlier run; run names must be unique");
            }

            string type = run.RequiredText("type");
            RunSettings settings = Parse(run.PathOf("model"), SettingCatalog.Model, common, run.RequiredText("model"));
            YamlSection? parameters = run.Section("parameters");
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            string? checkpoint = null;
            if (parameters is not null)
            {
                settings = Parameters(parameters, settings, allowRunKeys: true);
                checkpoint = parameters.Text("checkpoint_path");
                if (parameters.Text("model") is string modelText)
                {
                    if (Parse(parameters.PathOf("model"), SettingCodec.ParseModel, modelText) != settings.Model)
                    {
                        throw report.Error(parameters.PathOf("model"), $"value '{modelText}' is not the run's model '{ModelCatalog.Of(settings.Model).Name}'");
                    }

                    texts[SettingCatalog.Model.Name] = modelText;
                }

                foreach (string key in parameters.Keys)
                {
                    if (_variables.Any(v => v.Key == key && v.Axis == key) && parameters.Text(key) is string value)
                    {
                        texts[key] = value;
                    }
                }

                foreach (string key in parameters.Keys.Where(k => parameters.Text(k) is not null && !IsRead(k)))
                {
                    throw report.Error(parameters.PathOf(key),
                        $"value '{parameters.Text(key)}' cannot be honoured: ExperimentDsl has no setting '{key}' (and no variable of that name). Supported keys: {SupportedParameterKeys()}, dataset_path, checkpoint_path (eval-only runs)");
                }

                bool IsRead(string key) =>
                    key is "checkpoint_path" or "model" or "dataset_path" or "validation_during_training"
                    || texts.ContainsKey(key) || TrainingOptionsWithoutSetting.Contains(key)
                    || SettingCatalog.All.Any(f => f.CruijffPlace == CruijffPlace.Parameters && f.CruijffKey == key);
            }

            if (run.Section("compute") is { } compute)
            {
                if (type != "fine-tuned")
                {
                    report.Warn(run.PathOf("compute"), $"is ignored: only fine-tuned runs have a fine-tune job (this run is {type})");
                    compute.Known("time", "gpus", "mem", "cpus_per_task", YamlPlanShape.EvalTimeKey);
                }
                else
                {
                    foreach (string key in new[] { "time", "gpus", YamlPlanShape.EvalTimeKey })
                    {
                        if (compute.Text(key) is string value)
                        {
                            // A run's own evaluation time limit sits beside its fine-tune job's resources.
                            Setting setting = key == YamlPlanShape.EvalTimeKey
                                ? SettingCatalog.AtCruijff(CruijffPlace.EvaluationCompute, "time")!
                                : SettingCatalog.AtCruijff(CruijffPlace.Compute, key)!;
                            settings = Parse(compute.PathOf(key), setting, settings, value);
                        }
                    }

                    RefuseResources(compute, "one run's fine-tune job");
                }

                compute.WarnUnread();
            }

            if (run.Section("slurm_overrides") is { } overrides && overrides.Keys.Any())
            {
                string key = overrides.Keys.First();
                throw report.Error(overrides.PathOf(key),
                    $"value '{overrides.Text(key)}' cannot be honoured: ExperimentDsl takes SLURM account, partition and constraint for all jobs from claude.local.md or the command line, not per run");
            }

            if (run.Text("training_condition") is string condition)
            {
                throw report.Error(run.PathOf("training_condition"), $"value '{condition}' cannot be honoured: data generation conditions are not supported; give the run's training file as parameters.dataset_path");
            }

            switch (type)
            {
                case "fine-tuned":
                    if (checkpoint is not null)
                    {
                        throw report.Error(parameters!.PathOf("checkpoint_path"), "is for eval-only runs; a fine-tuned run's checkpoints are the ones it trains");
                    }

                    rows.Add(new PlanRow(RunKind.FineTuned, name, settings) { Texts = texts, Where = run.PathOf });
                    break;
                case "control":
                    if (!name.EndsWith("_base", StringComparison.Ordinal) || name.Length == "_base".Length)
                    {
                        throw report.Error(run.PathOf("name"),
                            $"value '{name}': ExperimentDsl names a control's directory '{{model}}_base'; rename the control '{ModelCatalog.Of(settings.Model).Name}_base' (and its matrix entry)");
                    }

                    rows.Add(new PlanRow(RunKind.Control, name[..^"_base".Length], settings));
                    break;
                case "eval-only":
                    rows.Add(new PlanRow(RunKind.EvalOnly, name, settings)
                    {
                        Checkpoint = checkpoint ?? throw report.Error(run.PathOf("parameters.checkpoint_path"),
                            "is missing: an eval-only run evaluates an existing checkpoint, so ExperimentDsl needs its path (cruijff_kit's computed default is not supported)"),
                    });
                    break;
                default:
                    throw report.Error(run.PathOf("type"), $"value '{type}' is not supported; a run is 'fine-tuned', 'control' or 'eval-only'");
            }

            run.WarnUnread();
        }

        return rows;
    }
}
