using ExperimentDsl.Runtime.Catalogue;
using ExperimentDsl.Runtime.Summary.Markdown;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>One reading of a summary: each part of the plan from its section, errors with their location.</summary>
internal sealed class SummaryReading(MarkdownOutline outline, string fileName)
{
    private const string RunsSection = "All Runs";
    private const string TasksSection = "Evaluation Tasks";
    private const string EvalSection = "Evaluation Plan";
    private const string ConfigSection = "Configuration";

    /// <summary>The Evaluation Matrix column of each run's vis label.</summary>
    public const string VisLabelColumn = "Vis Label";

    private static readonly string[] IgnoredRunColumns = ["Est. Time", "Estimated Time", "Est Time", "Time Estimate", "Notes", "Note", "Comment", "Comments", "Description", "Status"];

    public ExperimentPlan Plan(string sourcePath)
    {
        string name = Title();
        (RunSettings common, string? baseDirectory) = Configuration();
        var tasks = Tasks();
        var table = RunsTable.Read(this, outline, common);
        RequireEpochs();
        string pattern = Pattern(table.CustomAxes) ?? RunNamePattern.Default(table.VaryingAxes);
        var evaluations = Evaluations(table.Runs, table.Controls, table.EvalOnlyRuns, tasks);

        string summaryDir = Path.GetDirectoryName(Path.GetFullPath(sourcePath)) ?? "/";
        return new ExperimentPlan
        {
            Name = name,
            Source = sourcePath,
            BaseDirectory = baseDirectory is null ? summaryDir : Path.GetFullPath(Path.Combine(summaryDir, baseDirectory)),
            RunNamePattern = pattern,
            VaryingAxes = table.VaryingAxes,
            Runs = table.Runs,
            Controls = table.Controls,
            EvalOnlyRuns = table.EvalOnlyRuns,
            Evaluation = Decoding(),
            Tasks = tasks,
            Evaluations = evaluations,
        };
    }

    public SummaryFormatException Error(string section, string detail) =>
        new($"{fileName}: section '{section}': {detail}");

    public SummaryFormatException RowError(string section, MarkdownTableRow row, string what, string detail) =>
        new($"{fileName}: section '{section}', row {row.Number} ('{what}'): {detail}");

    public SummaryFormatException LineError(string section, MarkdownField field, string detail) =>
        new($"{fileName}: section '{section}', line {field.Line} ('{field.Key}'): {detail}");

    public static bool IsBlank(string cell) => cell.Trim() is "" or "-" or "–" or "—" || SummaryKeys.Is(cell, "n/a", "na", "none");

    public static bool IsIgnoredRunColumn(string header) => SummaryKeys.Is(header, IgnoredRunColumns);

    private string Title()
    {
        MarkdownSection title = outline.Title ?? throw Error("title", "the summary has no '# experiment name' heading");
        string name = title.Heading;
        if (InputRules.DirectoryNameProblem(name) is string problem)
        {
            throw Error("title", $"experiment name '{name}': {problem}; it becomes a directory name");
        }

        return name;
    }

    private (RunSettings Settings, string? BaseDirectory) Configuration()
    {
        var settings = new RunSettings();
        string? baseDirectory = null;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);

        // Resources give the model and dataset when Configuration does not.
        if (outline.Find("Resources") is MarkdownSection resources)
        {
            foreach (MarkdownSection sub in outline.Subsections(resources))
            {
                if (SummaryKeys.Is(sub.Heading, "Models", "Model"))
                {
                    foreach (MarkdownField field in sub.Fields)
                    {
                        if (ModelCatalog.TryFind(field.Key, out ModelInfo info))
                        {
                            settings = settings with { Model = info.Model };
                            break;
                        }
                    }
                }
                else if (SummaryKeys.Is(sub.Heading, "Dataset", "Data", "Datasets"))
                {
                    if (sub.Fields.FirstOrDefault(f => SummaryKeys.Is(f.Key, "Path", "Dataset", "Dataset path", "Location")) is MarkdownField path && !IsBlank(path.Value))
                    {
                        settings = settings with { Dataset = path.Value };
                    }
                }
            }
        }

        if (outline.Find(ConfigSection, "Config", "Settings") is not MarkdownSection config)
        {
            return (settings, null);
        }

        foreach (MarkdownField field in config.Fields)
        {
            if (SummaryKeys.Is(field.Key, "Base directory"))
            {
                baseDirectory = field.Value;
                continue;
            }

            if (SettingCodec.Find(field.Key) is not Setting setting || IsBlank(field.Value) && setting.Name != "SystemPrompt")
            {
                continue; // Recipe, temperature, scorer, checkpoint pattern...: not part of the plan.
            }

            string value = setting.Name == "SystemPrompt" ? PromptQuoting.Read(field.Value) : field.Value;
            if (seen.TryGetValue(setting.Name, out string? earlier))
            {
                // cruijff_kit repeats the system prompt under Evaluation: it must match training.
                if (earlier != value)
                {
                    throw LineError(ConfigSection, field, $"value differs from the earlier {setting.Label.ToLowerInvariant()} '{earlier}'");
                }

                continue;
            }

            seen[setting.Name] = value;
            try
            {
                settings = setting.Parse(settings, value);
            }
            catch (SettingValueException e)
            {
                throw LineError(ConfigSection, field, $"value '{value}' {e.Message}");
            }
        }

        return (settings, baseDirectory);
    }

    // Without a Configuration section (a cut or edited summary) every setting would silently be a
    // default; the epochs decide checkpoints and evaluations, so they are never assumed.
    private void RequireEpochs()
    {
        MarkdownSection config = outline.Find(ConfigSection, "Config", "Settings")
            ?? throw Error(ConfigSection, "the summary has no 'Configuration' section (was it cut short?); without it every setting would be a default. Restore the section, with at least '- **Epochs:** N'");
        if (!config.Fields.Concat(outline.Subsections(config).SelectMany(s => s.Fields))
                .Any(f => SettingCodec.Find(f.Key)?.Name == "Epochs" && !IsBlank(f.Value)))
        {
            throw Error(ConfigSection, "no '- **Epochs:** N' line: the number of epochs decides the checkpoints and evaluations, so it is never assumed");
        }
    }

    private List<EvalTaskSpec> Tasks()
    {
        var found = outline.Sections.SelectMany(s => s.Tables).Distinct()
            .Select(MarkdownTable.From)
            .FirstOrDefault(t => t.Column("Task Name", "Task", "Name") >= 0 && t.Column("Script", "Script Path", "Task Script", "Path") >= 0);
        if (found is null)
        {
            return [];
        }

        int nameCol = found.Column("Task Name", "Task", "Name");
        int scriptCol = found.Column("Script", "Script Path", "Task Script", "Path");
        int datasetCol = found.Column("Dataset", "Eval Dataset", "Evaluation Dataset", "Data");
        int descriptionCol = found.Column("Description", "Notes");
        int promptCol = found.Column("Prompt", "Prompt Template");
        int systemPromptCol = found.Column("System Prompt");
        var tasks = new List<EvalTaskSpec>();
        foreach (MarkdownTableRow row in found.Rows)
        {
            string name = row.Cell(nameCol).Trim();
            if (InputRules.DirectoryNameProblem(name) is string problem)
            {
                throw RowError(TasksSection, row, name, $"task name: {problem}");
            }

            if (tasks.Any(t => t.Name == name))
            {
                throw RowError(TasksSection, row, name, "duplicate task name");
            }

            string script = row.Cell(scriptCol).Trim();
            if (IsBlank(script))
            {
                throw RowError(TasksSection, row, name, "column 'Script' is empty: every task needs the inspect script that defines it");
            }

            string dataset = row.Cell(datasetCol).Trim();
            string description = row.Cell(descriptionCol).Trim();
            string? prompt = Prompt(row.Cell(promptCol));
            if (prompt is not null && !prompt.Contains("{input}", StringComparison.Ordinal))
            {
                throw RowError(TasksSection, row, name, $"column 'Prompt' value '{prompt}' must contain {{input}}");
            }

            tasks.Add(new EvalTaskSpec(name, script, LooksLikePath(dataset) ? dataset : null, IsBlank(description) ? null : description, prompt, Prompt(row.Cell(systemPromptCol))));
        }

        return tasks;
    }

    // A task's own prompt is quoted (its whitespace is its own); '-' means the run's.
    private static string? Prompt(string cell) =>
        PromptQuoting.IsQuoted(cell.Trim()) ? PromptQuoting.Read(cell.Trim()) : IsBlank(cell) ? null : cell.Trim();

    /// <summary>The Evaluation Plan's decoding bullets; a setting without one is not passed.</summary>
    private EvaluationSettings Decoding()
    {
        EvaluationSettings settings = EvaluationSettings.Default;
        if (outline.Sections.FirstOrDefault(s => s.Level <= 2 && SummaryKeys.Is(s.Heading, EvalSection, "Evaluation", "Evaluations")) is not MarkdownSection section)
        {
            return settings;
        }

        foreach (MarkdownField line in section.Fields)
        {
            if (EvaluationFields.All.FirstOrDefault(f => SummaryKeys.Is(line.Key, f.Label, f.Name, f.YamlKey)) is { } field)
            {
                try
                {
                    settings = field.Set(settings, line.Value);
                }
                catch (SettingValueException e)
                {
                    throw LineError(EvalSection, line, $"value '{line.Value}' {e.Message}");
                }
            }
        }

        if (EvaluationFields.Problem(settings) is string problem)
        {
            throw Error(EvalSection, "temperature " + problem);
        }

        return settings;
    }

    // cruijff_kit's Dataset column may hold a label ("capitalization"); only a file path overrides the training data.
    private static bool LooksLikePath(string cell) =>
        !IsBlank(cell) && (cell.Contains('/') || cell.Contains('\\')
            || cell.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || cell.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase));

    private string? Pattern(IReadOnlyCollection<string> customAxes)
    {
        if (outline.Find("Naming Conventions", "Naming", "Naming Convention") is not MarkdownSection naming)
        {
            return null;
        }

        foreach (MarkdownField field in naming.Fields)
        {
            if (SummaryKeys.Is(field.Key, "Run name pattern", "Pattern", "Naming pattern", "Run names", "Run naming", "Run name")
                && field.Value.Contains('{', StringComparison.Ordinal)
                && RunNamePattern.Canonical(field.Value, customAxes) is string pattern)
            {
                return pattern;
            }
        }

        return null;
    }

    private List<EvalCell> Evaluations(IReadOnlyList<PlannedRun> runs, IReadOnlyList<ControlRun> controls, IReadOnlyList<EvalOnlyRun> evalOnly, IReadOnlyList<EvalTaskSpec> tasks)
    {
        // A top-level section: Configuration has an "Evaluation" subsection of its own.
        MarkdownSection? section = outline.Sections.FirstOrDefault(s => s.Level <= 2 && SummaryKeys.Is(s.Heading, EvalSection, "Evaluation", "Evaluations"));
        if (section is null && tasks.Count > 0)
        {
            throw Error(EvalSection, "the summary lists evaluation tasks but has no 'Evaluation Plan' section (was it cut short?); restore it or remove the tasks");
        }

        EpochRule rule = EpochRule.Last;
        if (section?.Fields.FirstOrDefault(f => SummaryKeys.Is(f.Key, "Epochs", "Evaluation epochs", "Epochs to evaluate", "Eval epochs")) is MarkdownField epochs)
        {
            // "per run and task (see the matrix)": the matrix below is the whole truth.
            rule = epochs.Value.Contains("matrix", StringComparison.OrdinalIgnoreCase) ? EpochRule.Last : EpochRule.Parse(epochs.Value)
                ?? throw LineError(EvalSection, epochs, $"value '{epochs.Value}' is not 'last', 'all' or a list of epochs such as '0, 1'");
        }

        var matrix = new EvaluationMatrix();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var evalOnlyCells = new HashSet<(string Run, string Task)>();
        MarkdownTable? table = section?.Tables.Select(MarkdownTable.From).FirstOrDefault(t => t.Headers.Count > 0 && SummaryKeys.Is(t.Headers[0], "Run Name", "Run", "Name"));
        if (table is not null)
        {
            var taskColumns = tasks.Select(t => (Task: t, Column: Array.FindIndex(table.Headers.ToArray(), h => h.Trim() == t.Name || SummaryKeys.Is(h, t.Name)))).ToList();
            int labelColumn = table.Column(VisLabelColumn, "Label", "vis_label");
            foreach (MarkdownTableRow row in table.Rows)
            {
                string name = row.Cell(0).Trim();
                PlannedRun? run = runs.FirstOrDefault(r => r.Name == name);
                ControlRun? control = run is null ? controls.FirstOrDefault(c => c.DirectoryName == name || c.Name == name) : null;
                EvalOnlyRun? only = run is null && control is null ? evalOnly.FirstOrDefault(e => e.Name == name) : null;
                if (run is null && control is null && only is null)
                {
                    throw RowError(EvalSection, row, name, "no run, control or eval-only run of that name in All Runs");
                }

                if (labelColumn >= 0 && !IsBlank(row.Cell(labelColumn)))
                {
                    labels[run?.Name ?? control?.Name ?? only!.Name] = row.Cell(labelColumn).Trim();
                }

                if (only is not null)
                {
                    listed.Add("eval-only:" + only.Name);
                    foreach ((EvalTaskSpec task, int column) in taskColumns)
                    {
                        string cell = column >= 0 ? row.Cell(column).Trim() : "✓";
                        if (MatrixCell(cell) is not { Count: 0 })
                        {
                            throw RowError(EvalSection, row, name, $"column '{task.Name}' value '{cell}' is not '✓' or '-' (an eval-only run has no epochs)");
                        }

                        if (IsChecked(cell))
                        {
                            evalOnlyCells.Add((only.Name, task.Name));
                        }
                    }

                    continue;
                }

                listed.Add(run?.Name ?? "control:" + control!.Name);
                foreach ((EvalTaskSpec task, int column) in taskColumns)
                {
                    // A task the matrix has no column for is evaluated as the Epochs line says.
                    string cell = column >= 0 ? row.Cell(column).Trim() : "✓";
                    IReadOnlyList<int>? selected = MatrixCell(cell);
                    if (selected is null)
                    {
                        throw RowError(EvalSection, row, name, $"column '{task.Name}' value '{cell}' is not '✓', '✓ epoch 0,1' or '-'");
                    }

                    if (control is not null)
                    {
                        if (cell.Length > 0 && !IsBlank(cell))
                        {
                            matrix.AddControl(control.Name, task.Name);
                        }

                        continue;
                    }

                    IReadOnlyList<int> chosen = selected.Count == 0 && IsChecked(cell) ? rule.For(run!.Settings.Epochs) : selected;
                    foreach (int epoch in chosen)
                    {
                        if (epoch >= run!.Settings.Epochs)
                        {
                            throw RowError(EvalSection, row, name, $"column '{task.Name}': epoch {epoch} is outside 0..{run.Settings.Epochs - 1} (epochs are 0-indexed)");
                        }

                        matrix.Add(run.Name, task.Name, epoch);
                    }
                }
            }
        }

        foreach (PlannedRun run in runs.Where(r => !listed.Contains(r.Name)))
        {
            foreach (int epoch in rule.For(run.Settings.Epochs))
            {
                if (epoch >= run.Settings.Epochs)
                {
                    throw Error(EvalSection, $"epoch {epoch} is outside 0..{run.Settings.Epochs - 1} for run '{run.Name}' (epochs are 0-indexed)");
                }

                foreach (EvalTaskSpec task in tasks)
                {
                    matrix.Add(run.Name, task.Name, epoch);
                }
            }
        }

        foreach (ControlRun control in controls.Where(c => !listed.Contains("control:" + c.Name)))
        {
            foreach (EvalTaskSpec task in tasks)
            {
                matrix.AddControl(control.Name, task.Name);
            }
        }

        foreach (EvalOnlyRun only in evalOnly.Where(e => !listed.Contains("eval-only:" + e.Name)))
        {
            foreach (EvalTaskSpec task in tasks)
            {
                evalOnlyCells.Add((only.Name, task.Name));
            }
        }

        string? Label(string run) => labels.TryGetValue(run, out string? label) ? label : null;
        return
        [
            .. matrix.Cells(runs, controls, tasks).Select(c => c with { VisLabel = Label(c.RunName) }),
            .. from only in evalOnly
               from task in tasks
               where evalOnlyCells.Contains((only.Name, task.Name))
               select new EvalCell(only.Name, task.Name, null) { IsEvalOnly = true, VisLabel = Label(only.Name) },
        ];
    }

    private static bool IsChecked(string cell) =>
        cell.StartsWith('✓') || cell.StartsWith('✔') || cell.StartsWith("yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>The epochs a matrix cell lists (empty for a bare check or a dash), or <see langword="null"/> when it is unreadable.</summary>
    private static IReadOnlyList<int>? MatrixCell(string cell)
    {
        if (IsBlank(cell) || cell is "✗" or "✘" || SummaryKeys.Is(cell, "no"))
        {
            return [];
        }

        string rest = IsChecked(cell) ? cell.TrimStart('✓', '✔') : cell;
        if (rest.StartsWith("yes", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[3..];
        }

        return EpochRule.Numbers(rest) is IReadOnlyList<int> numbers && (numbers.Count > 0 || IsChecked(cell)) ? numbers : null;
    }
}
