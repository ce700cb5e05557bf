using ExperimentDsl.Runtime.Catalogue;
using ExperimentDsl.Runtime.Markdown;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>One reading of a summary: each part of the plan from its section, errors with their location.</summary>
internal sealed class SummaryReading(MarkdownOutline outline, PlanReport report)
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
        (EpochRule rule, var matrix) = Evaluations(tasks);

        string summaryDir = Path.GetDirectoryName(Path.GetFullPath(sourcePath)) ?? "/";
        return new PlanDocument
        {
            Name = name,
            Source = sourcePath,
            BaseDirectory = baseDirectory is null ? summaryDir : Path.GetFullPath(Path.Combine(summaryDir, baseDirectory)),
            Pattern = Pattern(),
            Factors = table.Factors,
            Rows = table.Rows,
            Matrix = matrix,
            Rule = rule,
            RulePlace = $"section '{EvalSection}'",
            Tasks = tasks,
            Decoding = Decoding(),
        }.ToPlan(report);
    }

    public SummaryFormatException Error(string section, string detail) => report.Error($"section '{section}'", detail);

    public SummaryFormatException RowError(string section, MarkdownTableRow row, string what, string detail) => report.Error(RowPlace(section, row, what), detail);

    public SummaryFormatException LineError(string section, MarkdownField field, string detail) =>
        report.Error($"section '{section}', line {field.Line} ('{field.Key}')", detail);

    private static string RowPlace(string section, MarkdownTableRow row, string what) => $"section '{section}', row {row.Number} ('{what}')";

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
                if (SummaryKeys.Is(sub.Heading, SummaryLabels.ModelsHeading, SettingCatalog.Model.Label))
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
                else if (SummaryKeys.Is(sub.Heading, SummaryLabels.DatasetHeading, "Data", "Datasets"))
                {
                    if (sub.Fields.FirstOrDefault(f => SummaryKeys.Is(f.Key, "Path", SummaryLabels.DatasetHeading, "Dataset path", "Location")) is MarkdownField path && !IsBlank(path.Value))
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

            if (SettingCodec.Find(field.Key) is not Setting setting || IsBlank(field.Value) && !setting.MayBeEmpty)
            {
                continue; // Recipe, temperature, scorer, checkpoint pattern...: not part of the plan.
            }

            string value = setting.MayBeEmpty ? PromptQuoting.Read(field.Value) : field.Value;
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
                .Any(f => SettingCodec.Find(f.Key) == SettingCatalog.Epochs && !IsBlank(f.Value)))
        {
            throw Error(ConfigSection, $"no '- **{SettingCatalog.Epochs.Label}:** N' line: the number of epochs decides the checkpoints and evaluations, so it is never assumed");
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
        int datasetCol = found.Column(SummaryLabels.TaskDatasetColumn, "Eval Dataset", "Evaluation Dataset", "Data");
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

    // A pattern line that does not name the plan's settings is passed over: the document falls back.
    private string? Pattern()
    {
        if (outline.Find("Naming Conventions", "Naming", "Naming Convention") is not MarkdownSection naming)
        {
            return null;
        }

        foreach (MarkdownField field in naming.Fields)
        {
            if (SummaryKeys.Is(field.Key, "Run name pattern", "Pattern", "Naming pattern", "Run names", "Run naming", "Run name")
                && field.Value.Contains('{', StringComparison.Ordinal))
            {
                return field.Value;
            }
        }

        return null;
    }

    /// <summary>The Epochs line's rule and the Evaluation Matrix: an entry per checked cell, and one without tasks per row so a row of dashes counts as listed.</summary>
    private (EpochRule Rule, List<MatrixEntry> Matrix) Evaluations(IReadOnlyList<EvalTaskSpec> tasks)
    {
        // A top-level section: Configuration has an "Evaluation" subsection of its own.
        MarkdownSection? section = outline.Sections.FirstOrDefault(s => s.Level <= 2 && SummaryKeys.Is(s.Heading, EvalSection, "Evaluation", "Evaluations"));
        if (section is null && tasks.Count > 0)
        {
            throw Error(EvalSection, "the summary lists evaluation tasks but has no 'Evaluation Plan' section (was it cut short?); restore it or remove the tasks");
        }

        EpochRule rule = EpochRule.Last;
        if (section?.Fields.FirstOrDefault(f => SummaryKeys.Is(f.Key, SummaryLabels.EvaluatedEpochs, "Evaluation epochs", "Epochs to evaluate", "Eval epochs")) is MarkdownField epochs)
        {
            // "per run and task (see the matrix)": the matrix below is the whole truth.
            rule = epochs.Value.Contains("matrix", StringComparison.OrdinalIgnoreCase) ? EpochRule.Last : EpochRule.Parse(epochs.Value)
                ?? throw LineError(EvalSection, epochs, $"value '{epochs.Value}' is not 'last', 'all' or a list of epochs such as '0, 1'");
        }

        var entries = new List<MatrixEntry>();
        MarkdownTable? table = section?.Tables.Select(MarkdownTable.From).FirstOrDefault(t => t.Headers.Count > 0 && SummaryKeys.Is(t.Headers[0], "Run Name", "Run", "Name"));
        if (table is null)
        {
            return (rule, entries);
        }

        var taskColumns = tasks.Select(t => (Task: t, Column: Array.FindIndex(table.Headers.ToArray(), h => h.Trim() == t.Name || SummaryKeys.Is(h, t.Name)))).ToList();
        int labelColumn = table.Column(VisLabelColumn, "Label", "vis_label");
        foreach (MarkdownTableRow row in table.Rows)
        {
            string name = row.Cell(0).Trim();
            string place = RowPlace(EvalSection, row, name);
            string? label = labelColumn >= 0 && !IsBlank(row.Cell(labelColumn)) ? row.Cell(labelColumn).Trim() : null;
            entries.Add(new MatrixEntry(name, [], []) { VisLabel = label, Where = _ => place });
            foreach ((EvalTaskSpec task, int column) in taskColumns)
            {
                // A task the matrix has no column for is evaluated as the Epochs line says.
                string cell = column >= 0 ? row.Cell(column).Trim() : "✓";
                IReadOnlyList<int> selected = MatrixCell(cell)
                    ?? throw RowError(EvalSection, row, name, $"column '{task.Name}' value '{cell}' is not '✓', '✓ epoch 0,1' or '-'");
                if (selected.Count > 0 || IsChecked(cell))
                {
                    entries.Add(new MatrixEntry(name, [task.Name], selected.Count > 0 ? selected : null)
                    {
                        VisLabel = label,
                        ByRule = selected.Count == 0,
                        Where = part => part == "run" ? place : $"{place}: column '{task.Name}'",
                    });
                }
            }
        }

        return (rule, entries);
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
