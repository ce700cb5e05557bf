using ExperimentDsl.Runtime.Catalogue;
namespace ExperimentDsl.Runtime.Summary.Yaml;

// The evaluation section: decoding settings, scorers, tasks and the matrix of cells.
internal sealed partial class YamlPlanReading
{
    // evaluation.scorers[].name, with its path: checked against the task scripts once the tasks are read.
    private readonly List<(string Path, string Name)> _scorers = [];

    /// <summary>
    /// Warns about each listed scorer that no task's script names: ExperimentDsl passes no scorer, so
    /// a listed one is used only when a task's own code uses it (as in the files this tool writes).
    /// </summary>
    private void WarnScorersNotInScripts(List<EvalTaskSpec> tasks, string baseDirectory)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (string script in tasks.Select(t => Path.IsPathRooted(t.Script) ? t.Script : Path.Combine(baseDirectory, t.Script)).Distinct(StringComparer.Ordinal))
        {
            if (File.Exists(script))
            {
                named.UnionWith(Inspect.TaskScorerReader.Read(File.ReadAllText(script)).Values.SelectMany(s => s.Names));
            }
        }

        foreach ((string path, string name) in _scorers.Where(s => !named.Contains(s.Name)))
        {
            report.Warn(path, $"scorer '{name}' is not passed: each task script's own scorer is used, and no task script names '{name}'");
        }
    }

    private EvaluationSettings Decoding(YamlSection? evaluation)
    {
        if (evaluation is null)
        {
            return CruijffDecoding.Read(EvaluationSettings.Default, out _);
        }

        EvaluationSettings decoding = EvaluationSettings.Default;
        foreach (EvaluationFields.Field field in EvaluationFields.All)
        {
            if (evaluation.Text(field.YamlKey) is string text)
            {
                decoding = Parse(evaluation.PathOf(field.YamlKey), t => field.Set(decoding, t), text);
            }
        }

        if (EvaluationFields.Problem(decoding) is string problem)
        {
            throw report.Error(evaluation.PathOf("temperature"), problem);
        }

        decoding = CruijffDecoding.Read(decoding, out double? dropped);
        if (dropped is double temperature)
        {
            report.Warn(evaluation.PathOf("temperature"),
                $"value '{NumberText.Format(temperature)}' is not used: decoding is greedy unless do_sample is true (cruijff_kit's default), so the temperature is dropped; set do_sample: true to sample");
        }

        // cruijff_kit's own files carry the key (its schema test wants it); only a value is unread.
        if (evaluation.Text("system_prompt") is not null)
        {
            report.Warn(evaluation.PathOf("system_prompt"),
                "is not read (as in cruijff_kit v0.3.4): the system prompt comes from controls.system_prompt; set evaluation.tasks[].system_prompt for a task's own");
        }

        foreach (YamlSection scorer in evaluation.Sections("scorers"))
        {
            string name = scorer.RequiredText("name");
            if (scorer.Section("params") is { } parameters && parameters.Keys.Any())
            {
                throw report.Error(parameters.PathOf(parameters.Keys.First()),
                    $"scorer '{name}' parameters cannot be honoured: ExperimentDsl passes no scorer settings; each task script's own scorer is used. Remove evaluation.scorers[].params or set them in the task script");
            }

            _scorers.Add((scorer.PathOf("name"), name));
            scorer.WarnUnread();
        }

        if (evaluation.Text("assistant_prefix") is string prefix)
        {
            throw report.Error(evaluation.PathOf("assistant_prefix"), $"value '{prefix}' cannot be honoured: ExperimentDsl does not prefill the assistant's answer");
        }

        return decoding;
    }

    private List<EvalTaskSpec> Tasks(YamlSection? evaluation)
    {
        var tasks = new List<EvalTaskSpec>();
        if (evaluation is null)
        {
            return tasks;
        }

        foreach (YamlSection task in evaluation.Sections("tasks"))
        {
            string name = task.RequiredText("name");
            if (InputRules.DirectoryNameProblem(name) is string problem)
            {
                throw report.Error(task.PathOf("name"), $"value '{name}': {problem}");
            }

            if (tasks.Any(t => t.Name == name))
            {
                throw report.Error(task.PathOf("name"), $"value '{name}' is used by an earlier task; task names must be unique");
            }

            string script = task.RequiredText("script");
            string? dataset = task.Text("dataset");
            if (dataset is "same" or "")
            {
                dataset = null; // cruijff_kit's "same": the training data.
            }

            if (task.Text("eval_condition") is string condition)
            {
                throw report.Error(task.PathOf("eval_condition"), $"value '{condition}' cannot be honoured: data generation conditions are not supported; give the evaluation file as 'dataset'");
            }

            if (task.Text("assistant_prefix") is string prefix)
            {
                throw report.Error(task.PathOf("assistant_prefix"), $"value '{prefix}' cannot be honoured: ExperimentDsl does not prefill the assistant's answer");
            }

            string? prompt = task.Text("prompt");
            if (prompt is not null && !prompt.Contains("{input}", StringComparison.Ordinal))
            {
                throw report.Error(task.PathOf("prompt"), $"value '{prompt}' must contain {{input}}");
            }

            string? description = task.Text("description");
            tasks.Add(new EvalTaskSpec(name, script, dataset, string.IsNullOrEmpty(description) ? null : description, prompt, task.Text("system_prompt")));
            task.WarnUnread();
        }

        return tasks;
    }

    private List<MatrixEntry> Matrix(YamlSection? evaluation)
    {
        var entries = new List<MatrixEntry>();
        foreach (YamlSection entry in evaluation?.Sections("matrix") ?? [])
        {
            string run = entry.RequiredText("run");
            IReadOnlyList<string> tasks = entry.TextList("tasks") ?? throw report.Error(entry.PathOf("tasks"), "is missing; list the tasks this run is evaluated on");
            IReadOnlyList<int>? epochs = entry.TextList("epochs") is { } texts
                ? [.. texts.Select((text, i) => Parse($"{entry.PathOf("epochs")}[{i}]", SettingCodec.ParseInt, text))]
                : null;
            entries.Add(new MatrixEntry(run, tasks, epochs) { VisLabel = entry.Text("vis_label"), Where = entry.PathOf });
            entry.WarnUnread();
        }

        evaluation?.Known("compute");
        evaluation?.WarnUnread();
        return entries;
    }
}
