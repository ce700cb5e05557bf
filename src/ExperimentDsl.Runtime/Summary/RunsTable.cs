using ExperimentDsl.Runtime.Import;
using ExperimentDsl.Runtime.Catalogue;
using ExperimentDsl.Runtime.Markdown;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>The All Runs table read into runs, controls and the varying axes.</summary>
internal sealed class RunsTable
{
    private const string Section = "All Runs";

    /// <summary>The Type of an eval-only run's row.</summary>
    public const string EvalOnlyType = "Eval-only";

    private RunsTable(IReadOnlyList<string> factors, IReadOnlyList<PlanRow> rows)
    {
        Factors = factors;
        Rows = rows;
    }

    /// <summary>The Variables table's factors that the table has a column for, in the Variables table's order.</summary>
    public IReadOnlyList<string> Factors { get; }

    /// <summary>The fine-tuned runs, then the controls, then the eval-only runs.</summary>
    public IReadOnlyList<PlanRow> Rows { get; }

    public static RunsTable Read(SummaryReading reading, MarkdownOutline outline, RunSettings common)
    {
        MarkdownSection section = outline.Find(Section, "Runs", "Run Table")
            ?? throw reading.Error(Section, "the summary has no 'All Runs' section with the runs table");
        MarkdownTable table = section.Tables.Select(MarkdownTable.From).FirstOrDefault(t => t.Column("Run Name", "Run", "Name", "Run ID") >= 0)
            ?? throw reading.Error(Section, "no table with a 'Run Name' column");

        IReadOnlyList<string> factors = FactorsOf(outline);
        int nameCol = table.Column("Run Name", "Run", "Name", "Run ID");
        int modelCol = Enumerable.Range(0, table.Headers.Count).FirstOrDefault(i => SettingCodec.Find(table.Headers[i]) == SettingCatalog.Model, -1);
        int typeCol = table.Column("Type", "Run Type", "Kind");
        int checkpointCol = table.Column("Checkpoint", "Checkpoint Path");

        // Parameter columns: a setting, or an axis the Variables table names that is not a setting.
        var columns = new List<(int Index, string Member, Setting? Field)>();
        for (int i = 0; i < table.Headers.Count; i++)
        {
            string header = table.Headers[i].Trim();
            if (i == nameCol || i == modelCol || i == typeCol || i == checkpointCol || SummaryReading.IsIgnoredRunColumn(header))
            {
                continue;
            }

            if (SettingCodec.Find(header) is Setting field && field != SettingCatalog.Model)
            {
                columns.Add((i, field.Name, field));
            }
            else if (factors.Contains(header, StringComparer.Ordinal))
            {
                // A factor that is no setting becomes a C# property and a run-name placeholder on import.
                if (CSharpIdentifier.Problem(header) is string problem)
                {
                    throw reading.Error(Section, $"column '{header}' is not a variable name: {problem}; {CSharpIdentifier.Rule}");
                }

                columns.Add((i, header, null));
            }
            else
            {
                throw reading.Error(Section, $"column '{header}' is not a setting (known: {string.Join(", ", SettingCatalog.All.Select(f => f.Column))}) "
                    + "nor a factor of the Variables table");
            }
        }

        var fineTuned = new List<(MarkdownTableRow Row, string Name, RunSettings Settings, Dictionary<string, string> Texts)>();
        var controlRows = new List<(MarkdownTableRow Row, string Name, Model Model)>();
        var evalOnlyRows = new List<(MarkdownTableRow Row, string Name, Model Model, string Checkpoint)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (MarkdownTableRow row in table.Rows)
        {
            string name = row.Cell(nameCol).Trim();
            if (InputRules.DirectoryNameProblem(name) is string problem)
            {
                throw reading.RowError(Section, row, name, $"run name: {problem}; it becomes a directory name");
            }

            if (!names.Add(name))
            {
                throw reading.RowError(Section, row, name, "duplicate run name");
            }

            bool isEvalOnly = typeCol >= 0 && SummaryKeys.Is(row.Cell(typeCol), EvalOnlyType, "Evaluation only", "Eval only");
            bool isControl = typeCol >= 0 && !isEvalOnly && IsControlType(reading, row, name, row.Cell(typeCol));
            RunSettings settings = common;
            string modelText = modelCol >= 0 ? row.Cell(modelCol).Trim() : "";
            if (!SummaryReading.IsBlank(modelText))
            {
                try
                {
                    settings = settings with { Model = SettingCodec.ParseModel(modelText) };
                }
                catch (SettingValueException e)
                {
                    throw reading.RowError(Section, row, name, $"column '{table.Headers[modelCol]}' value '{modelText}' {e.Message}");
                }
            }

            if (isControl)
            {
                controlRows.Add((row, name, settings.Model));
                continue;
            }

            if (isEvalOnly)
            {
                string checkpoint = checkpointCol >= 0 ? row.Cell(checkpointCol).Trim() : "";
                if (SummaryReading.IsBlank(checkpoint))
                {
                    throw reading.RowError(Section, row, name, "an eval-only run needs its checkpoint in the 'Checkpoint' column");
                }

                evalOnlyRows.Add((row, name, settings.Model, checkpoint));
                continue;
            }

            var texts = new Dictionary<string, string>(StringComparer.Ordinal) { [SettingCatalog.Model.Name] = ModelCatalog.Of(settings.Model).Name };
            if (!SummaryReading.IsBlank(modelText))
            {
                texts[SettingCatalog.Model.Name] = modelText;
            }

            foreach ((int index, string member, Setting? field) in columns)
            {
                string text = row.Cell(index).Trim();
                if (field is { MayBeEmpty: true } && PromptQuoting.IsQuoted(text))
                {
                    // Quoted: whitespace inside is the prompt's own, and an empty prompt is a value.
                    text = PromptQuoting.Read(text);
                }
                else if (SummaryReading.IsBlank(text))
                {
                    // An empty cell of a fine-tuned run would train the default silently (a run named
                    // ..._r16_... training rank 8); the value must be written.
                    throw reading.RowError(Section, row, name, $"column '{table.Headers[index].Trim()}' is empty; write the run's value (controls may leave it '-')");
                }

                texts[member] = text;
                if (field is null)
                {
                    continue;
                }

                try
                {
                    settings = field.Parse(settings, text);
                }
                catch (SettingValueException e)
                {
                    throw reading.RowError(Section, row, name, $"column '{table.Headers[index]}' value '{text}' {e.Message}");
                }
            }

            fineTuned.Add((row, name, settings, texts));
        }

        var rows = fineTuned.Select(f => new PlanRow(RunKind.FineTuned, f.Name, f.Settings) { Texts = f.Texts }).ToList();

        // A control evaluates the base model with the experiment's settings (those of the first run).
        RunSettings controlBase = rows.FirstOrDefault()?.Settings ?? common;
        foreach ((MarkdownTableRow row, string name, Model model) in controlRows)
        {
            string expected = ModelCatalog.Of(model).Name;
            string controlName = name.EndsWith("_base", StringComparison.Ordinal) ? name[..^"_base".Length] : name;
            if (controlName != expected)
            {
                throw reading.RowError(Section, row, name, $"a control is named after its base model: expected '{expected}_base'");
            }

            if (rows.Any(c => c.Kind == RunKind.Control && c.Name == controlName))
            {
                throw reading.RowError(Section, row, name, "duplicate control");
            }

            rows.Add(new PlanRow(RunKind.Control, controlName, controlBase with { Model = model }));
        }

        // An eval-only run, like a control, has the experiment's settings with its own model.
        rows.AddRange(evalOnlyRows.Select(e => new PlanRow(RunKind.EvalOnly, e.Name, controlBase with { Model = e.Model }) { Checkpoint = e.Checkpoint }));
        var columnNames = columns.Select(c => c.Member).ToList();
        return new RunsTable([.. factors.Where(f => columnNames.Contains(f) || f == SettingCatalog.Model.Name && modelCol >= 0)], rows);
    }

    private static bool IsControlType(SummaryReading reading, MarkdownTableRow row, string name, string type)
    {
        if (SummaryReading.IsBlank(type) || SummaryKeys.Is(type, "Fine-tuned", "Finetuned", "Fine-tune", "Finetune", "Fine tuned", "LoRA", "Trained"))
        {
            return false;
        }

        if (SummaryKeys.Is(type, "Control", "Base", "Baseline", "Base model"))
        {
            return true;
        }

        throw reading.RowError(Section, row, name, $"column 'Type' value '{type}' is not 'Fine-tuned' or 'Control'");
    }

    /// <summary>The Factor column of the Variables table, each mapped to a setting name when it is one.</summary>
    private static IReadOnlyList<string> FactorsOf(MarkdownOutline outline)
    {
        if (outline.Find("Variables", "Factors", "Variable") is not MarkdownSection section)
        {
            return [];
        }

        MarkdownTable? table = section.Tables.Select(MarkdownTable.From).FirstOrDefault(t => t.Column("Factor", "Variable", "Parameter") >= 0);
        if (table is null)
        {
            return [];
        }

        int column = table.Column("Factor", "Variable", "Parameter");
        return table.Rows.Select(r => r.Cell(column).Trim()).Where(f => f.Length > 0)
            .Select(f => SettingCodec.Find(f)?.Name ?? f).ToList();
    }
}
