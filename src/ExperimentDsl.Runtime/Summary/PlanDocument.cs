using ExperimentDsl.Runtime.Catalogue;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// A plan as its files state it: the runs one by one with their settings, the axes, the evaluation
/// matrix as entries, the tasks, decoding and the run-name pattern. The formats (Markdown, YAML, C#)
/// only map this to and from their syntax: <see cref="From"/> gives a writer what to write, and a
/// reader fills one in and calls <see cref="ToPlan"/>, where the axes, the matrix, the pattern and
/// their checks are worked out once for every format.
/// </summary>
internal sealed class PlanDocument
{
    public required string Name { get; init; }

    public required string Source { get; init; }

    public string? BaseDirectory { get; init; }

    /// <summary>The pattern the file gives (any spelling of the setting names), or <see langword="null"/>.</summary>
    public string? Pattern { get; init; }

    /// <summary>Where <see cref="Pattern"/> was read; a pattern that cannot be used is then an error, else it is passed over.</summary>
    public string? PatternPlace { get; init; }

    /// <summary>The axes the file names (setting names, or a variable's own name), in its order.</summary>
    public IReadOnlyList<string> Factors { get; init; } = [];

    public required IReadOnlyList<PlanRow> Rows { get; init; }

    public IReadOnlyList<MatrixEntry> Matrix { get; init; } = [];

    /// <summary>
    /// The epochs of a fine-tuned run the matrix checks without listing them, and of every run the
    /// matrix does not name (then evaluated on every task); <see langword="null"/>: an unnamed run is not evaluated.
    /// </summary>
    public EpochRule? Rule { get; init; }

    /// <summary>Where <see cref="Rule"/> was read.</summary>
    public string RulePlace { get; init; } = "";

    public IReadOnlyList<EvalTaskSpec> Tasks { get; init; } = [];

    public EvaluationSettings Decoding { get; init; } = EvaluationSettings.Default;

    public string? WandbProject { get; init; }

    /// <summary>The settings shared by the runs: the first run's (or control's, or eval-only run's).</summary>
    public RunSettings Common => Rows.FirstOrDefault()?.Settings ?? new RunSettings();

    /// <summary>
    /// <see cref="Common"/> of <paramref name="plan"/>'s document without building it (its rows are the
    /// runs, then the controls, then the eval-only runs): a document of 10,000 runs and 40,000 cells
    /// took a tenth of a second to build for this one value.
    /// </summary>
    public static RunSettings CommonOf(ExperimentPlan plan) =>
        plan.Runs.FirstOrDefault()?.Settings ?? plan.Controls.FirstOrDefault()?.Settings ?? plan.EvalOnlyRuns.FirstOrDefault()?.Settings ?? new RunSettings();

    public IEnumerable<PlanRow> FineTuned => Rows.Where(r => r.Kind == RunKind.FineTuned);

    // Entries by run: a 10,000-run sweep must not scan the matrix for every run.
    private ILookup<string, MatrixEntry> EntriesByRun => _entriesByRun ??= Matrix.ToLookup(e => e.Run, StringComparer.Ordinal);

    private ILookup<string, MatrixEntry>? _entriesByRun;

    /// <summary>The document of <paramref name="plan"/>: its runs as rows, its cells as matrix entries.</summary>
    public static PlanDocument From(ExperimentPlan plan)
    {
        var texts = plan.Runs.ToDictionary(r => r.Name, r => (IReadOnlyDictionary<string, string>)r.AxisValues.ToDictionary(v => v.Axis, v => v.Text), StringComparer.Ordinal);
        ILookup<(string Run, RunKind Kind), EvalCell> cells = plan.Evaluations.ToLookup(c => (c.RunName, c.IsEvalOnly ? RunKind.EvalOnly : c.Epoch is null ? RunKind.Control : RunKind.FineTuned));
        var rows = plan.Runs.Select(r => new PlanRow(RunKind.FineTuned, r.Name, r.Settings) { Texts = texts[r.Name] })
            .Concat(plan.Controls.Select(c => new PlanRow(RunKind.Control, c.Name, c.Settings)))
            .Concat(plan.EvalOnlyRuns.Select(e => new PlanRow(RunKind.EvalOnly, e.Name, e.Settings) { Checkpoint = e.CheckpointPath }))
            .ToList();
        return new PlanDocument
        {
            Name = plan.Name,
            Source = plan.Source,
            BaseDirectory = plan.BaseDirectory,
            Pattern = plan.RunNamePattern,
            Factors = plan.VaryingAxes,
            Rows = rows,
            Matrix = [.. rows.SelectMany(row => Entries(row, plan.Tasks, cells[(row.Name, row.Kind)]))],
            Tasks = plan.Tasks,
            Decoding = plan.Evaluation,
            WandbProject = plan.WandbProject,
        };
    }

    /// <summary>
    /// The columns a table of the runs needs: the axes (the model has its own column) and every other
    /// setting that differs between fine-tuned runs, so each run can be rebuilt.
    /// </summary>
    public IReadOnlyList<string> Columns()
    {
        var columns = Factors.Where(a => a != SettingCatalog.Model.Name).ToList();
        columns.AddRange(SettingCatalog.All.Where(s => s != SettingCatalog.Model && !columns.Contains(s.Name) && Differs(s)).Select(s => s.Name));
        return columns;
    }

    /// <summary>The evaluated epochs of a fine-tuned run on a task, ascending; empty when not evaluated.</summary>
    public IReadOnlyList<int> Epochs(string run, string task) =>
        EntriesByRun[run].Where(e => e.Tasks.Contains(task)).Select(e => e.Epochs ?? []).FirstOrDefault() ?? [];

    /// <summary>Whether a run of any kind, named by its directory (a control's <c>{model}_base</c>), is evaluated on a task.</summary>
    public bool IsEvaluated(string directoryName, string task) => EntriesByRun[directoryName].Any(e => e.Tasks.Contains(task));

    /// <summary>The label of a run's evaluations, or <see langword="null"/>.</summary>
    public string? Label(PlanRow row) => EntriesByRun[row.DirectoryName].FirstOrDefault(e => e.VisLabel is not null)?.VisLabel;

    /// <summary>
    /// The experiment-wide epoch selection: the list when every evaluated (run, task) has the same
    /// epochs, else <c>last</c> or <c>all</c> when that rule explains every run, else <see langword="null"/>.
    /// </summary>
    public EpochRule? CommonRule(IEnumerable<string>? tasks = null)
    {
        var evaluated = (from entry in Matrix
                         where entry.Epochs is { Count: > 0 } && (tasks is null || entry.Tasks.Any(tasks.Contains))
                         join row in FineTuned on entry.Run equals row.Name
                         select (Count: row.Settings.Epochs, Listed: entry.Epochs)).ToList();
        return evaluated.Count == 0 ? null
            : evaluated.All(e => e.Listed.SequenceEqual(evaluated[0].Listed)) ? EpochRule.List(evaluated[0].Listed)
            : new[] { EpochRule.Last, EpochRule.All }.FirstOrDefault(rule => evaluated.All(e => e.Listed.SequenceEqual(rule.For(e.Count))));
    }

    /// <summary>The plan this document states; every problem is reported where the file says it.</summary>
    public ExperimentPlan ToPlan(PlanReport report)
    {
        List<string> axes = Axes(report);
        var runs = FineTuned.Select(r => new PlannedRun(r.Name, r.Settings, [.. axes.Select(a => new AxisValue(a, r.Text(a)))])).ToList();
        return new ExperimentPlan
        {
            Name = Name,
            Source = Source,
            BaseDirectory = BaseDirectory,
            RunNamePattern = RunNamePatternOf(report, axes, runs),
            VaryingAxes = axes,
            Runs = runs,
            Controls = [.. Rows.Where(r => r.Kind == RunKind.Control).Select(r => new ControlRun(r.Name, r.Settings))],
            EvalOnlyRuns = [.. Rows.Where(r => r.Kind == RunKind.EvalOnly).Select(r => new EvalOnlyRun(r.Name, r.Settings, r.Checkpoint!))],
            Evaluation = Decoding,
            Tasks = Tasks,
            Evaluations = Cells(report),
            WandbProject = WandbProject,
        };
    }

    private bool Differs(Setting setting) => FineTuned.Select(r => setting.Format(r.Settings)).Distinct(StringComparer.Ordinal).Skip(1).Any();

    /// <summary>The factors in file order, then the model and every other setting whose value differs between fine-tuned runs.</summary>
    private List<string> Axes(PlanReport report)
    {
        var axes = Factors.Distinct(StringComparer.Ordinal).ToList();
        axes.AddRange(SettingCatalog.All.Where(s => !axes.Contains(s.Name) && Differs(s)).Select(s => s.Name));
        foreach (string custom in axes.Where(a => SettingCatalog.Find(a) is null))
        {
            if (FineTuned.FirstOrDefault(r => !r.Texts.ContainsKey(custom)) is PlanRow missing)
            {
                throw report.Error(missing.Where("parameters." + custom), $"is missing: '{custom}' is a variable, so every fine-tuned run gives its value");
            }
        }

        return axes;
    }

    // The file names runs one by one: a pattern is only needed to name them again from C#. The one
    // the file gives, else the default, else one read off the first run's name.
    private string RunNamePatternOf(PlanReport report, List<string> axes, List<PlannedRun> runs)
    {
        var customAxes = axes.Where(a => SettingCatalog.Find(a) is null).ToList();
        if (Pattern is not null && RunNamePattern.Canonical(Pattern, customAxes) is string given)
        {
            return given;
        }

        if (Pattern is not null && PatternPlace is not null)
        {
            throw report.Error(PatternPlace, $"value '{Pattern}' is not a run-name pattern of the experiment's settings and variables");
        }

        string fallback = RunNamePattern.Default(axes);
        if (runs.Count == 0 || Names(fallback))
        {
            return fallback;
        }

        string inferred = RunNamePattern.Escape(runs[0].Name);
        foreach (AxisValue value in runs[0].AxisValues.Where(v => v.Text.Length > 0).OrderByDescending(v => v.Text.Length))
        {
            string escaped = RunNamePattern.Escape(value.Text);
            int at = inferred.IndexOf(escaped, StringComparison.Ordinal);
            if (at >= 0)
            {
                inferred = inferred[..at] + "{" + value.Axis + "}" + inferred[(at + escaped.Length)..];
            }
        }

        return Names(inferred) ? inferred : fallback;

        bool Names(string pattern) => runs.All(r => RunNamePattern.Render(pattern, r.Settings, r.AxisValues) == r.Name);
    }

    /// <summary>The evaluation cells in the generator's order: runs × tasks × epochs, then controls and eval-only runs × tasks.</summary>
    private List<EvalCell> Cells(PlanReport report)
    {
        var epochs = new Dictionary<(string Run, string Task), SortedSet<int>>();
        var labels = new Dictionary<(string Run, string Task), string>();
        var listed = new HashSet<PlanRow>(ReferenceEqualityComparer.Instance);
        // A fine-tuned run by its name, another by its directory or its own name.
        var byName = new Dictionary<string, PlanRow>(StringComparer.Ordinal);
        foreach (PlanRow row in Rows.Reverse().OrderBy(r => r.Kind == RunKind.FineTuned))
        {
            byName[row.Name] = row;
            byName[row.DirectoryName] = row;
        }

        foreach (MatrixEntry entry in Matrix)
        {
            PlanRow row = byName.GetValueOrDefault(entry.Run)
                ?? throw report.Error(entry.Where("run"), $"value '{entry.Run}' is not the name of a run in the plan's runs");
            listed.Add(row);
            for (int i = 0; i < entry.Tasks.Count; i++)
            {
                if (Tasks.All(t => t.Name != entry.Tasks[i]))
                {
                    throw report.Error(entry.Where($"tasks[{i}]"), $"value '{entry.Tasks[i]}' is not the name of a task in the plan's evaluation tasks");
                }
            }

            IReadOnlyList<int> chosen = EntryEpochs(report, entry, row);
            foreach (string task in entry.Tasks)
            {
                Add(row, task, chosen);
                if (entry.VisLabel is not null)
                {
                    labels[(row.Name, task)] = entry.VisLabel;
                }
            }
        }

        foreach (PlanRow row in Rows.Where(r => Rule is not null && !listed.Contains(r)))
        {
            IReadOnlyList<int> chosen = row.Kind == RunKind.FineTuned ? InRange(report, Rule!.For(row.Settings.Epochs), row, _ => RulePlace) : [];
            foreach (EvalTaskSpec task in Tasks)
            {
                Add(row, task.Name, chosen);
            }
        }

        string? Label(string run, string task) => labels.TryGetValue((run, task), out string? label) ? label : null;
        return
        [
            .. from row in FineTuned
               from task in Tasks
               from epoch in epochs.TryGetValue((row.Name, task.Name), out SortedSet<int>? set) ? set : []
               select new EvalCell(row.Name, task.Name, epoch) { VisLabel = Label(row.Name, task.Name) },
            .. from kind in new[] { RunKind.Control, RunKind.EvalOnly }
               from row in Rows.Where(r => r.Kind == kind)
               from task in Tasks
               where epochs.ContainsKey((row.Name, task.Name))
               select new EvalCell(row.Name, task.Name, null) { IsEvalOnly = kind == RunKind.EvalOnly, VisLabel = Label(row.Name, task.Name) },
        ];

        void Add(PlanRow row, string task, IReadOnlyList<int> chosen)
        {
            if (!epochs.TryGetValue((row.Name, task), out SortedSet<int>? set))
            {
                epochs[(row.Name, task)] = set = [];
            }

            set.UnionWith(chosen);
        }
    }

    private IReadOnlyList<int> EntryEpochs(PlanReport report, MatrixEntry entry, PlanRow row)
    {
        if (row.Kind != RunKind.FineTuned)
        {
            return entry.Epochs is { Count: > 0 }
                ? throw report.Error(entry.Where("epochs"), $"must be null for the {(row.Kind == RunKind.Control ? "control" : "eval-only")} run '{entry.Run}': it trains no epochs")
                : [];
        }

        IReadOnlyList<int> chosen = entry.Epochs
            ?? (entry.ByRule && Rule is not null ? Rule.For(row.Settings.Epochs)
                : throw report.Error(entry.Where("epochs"), $"is missing: list the 0-indexed epochs of fine-tuned run '{entry.Run}' to evaluate"));
        return InRange(report, chosen, row, i => entry.Epochs is null ? "epochs" : $"epochs[{i}]", entry);
    }

    private static IReadOnlyList<int> InRange(PlanReport report, IReadOnlyList<int> chosen, PlanRow row, Func<int, string> part, MatrixEntry? entry = null)
    {
        int count = row.Settings.Epochs;
        for (int i = 0; i < chosen.Count; i++)
        {
            if (chosen[i] < 0 || chosen[i] >= count)
            {
                string where = entry?.Where(part(i)) ?? part(i);
                throw report.Error(where, $"epoch {chosen[i]} is outside 0..{count - 1}{(entry is null ? $" for run '{row.Name}'" : "")} (epochs are 0-indexed)");
            }
        }

        return chosen;
    }

    // A run's tasks grouped by the epochs and label they are evaluated at, in task order.
    private static List<MatrixEntry> Entries(PlanRow row, IReadOnlyList<EvalTaskSpec> tasks, IEnumerable<EvalCell> runCells)
    {
        var groups = new List<MatrixEntry>();
        ILookup<string, EvalCell> cells = runCells.ToLookup(c => c.TaskName, StringComparer.Ordinal);
        foreach (EvalTaskSpec task in tasks.Where(t => cells[t.Name].Any()))
        {
            string? label = cells[task.Name].First().VisLabel;
            IReadOnlyList<int>? epochs = row.Kind == RunKind.FineTuned ? [.. cells[task.Name].Select(c => c.Epoch!.Value).Distinct().Order()] : null;
            int found = groups.FindIndex(g => g.VisLabel == label && (g.Epochs ?? []).SequenceEqual(epochs ?? []));
            if (found >= 0)
            {
                groups[found] = groups[found] with { Tasks = [.. groups[found].Tasks, task.Name] };
            }
            else
            {
                groups.Add(new MatrixEntry(row.DirectoryName, [task.Name], epochs) { VisLabel = label });
            }
        }

        return groups;
    }
}

/// <summary>What a run is.</summary>
internal enum RunKind
{
    /// <summary>Trained by this experiment.</summary>
    FineTuned,

    /// <summary>A base model, evaluated without training.</summary>
    Control,

    /// <summary>An existing checkpoint, evaluated without training.</summary>
    EvalOnly,
}

/// <summary>One run as a plan file lists it (a control by its model's name).</summary>
internal sealed record PlanRow(RunKind Kind, string Name, RunSettings Settings)
{
    /// <summary>An eval-only run's checkpoint.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>Axis values as the file wrote them (the model's name, variables); a setting without one shows its value.</summary>
    public IReadOnlyDictionary<string, string> Texts { get; init; } = new Dictionary<string, string>();

    /// <summary>Where a part of the row (<c>parameters.x</c>) was read, in the reader's words.</summary>
    public Func<string, string> Where { get; init; } = part => part;

    /// <summary>The run's directory (a control's is <c>{model}_base</c>).</summary>
    public string DirectoryName => Kind == RunKind.Control ? Name + "_base" : Name;

    /// <summary>The run's value on an axis as the file wrote it, else as the summaries write it.</summary>
    public string Text(string axis) =>
        Texts.TryGetValue(axis, out string? text) ? text
        : SettingCatalog.Find(axis) is Setting setting ? setting.Format(Settings)
        : "";
}

/// <summary>One entry of the evaluation matrix: a run's tasks evaluated at the same epochs under one label.</summary>
/// <param name="Run">The run's directory name (a control's <c>{model}_base</c>; its model's name is accepted too).</param>
/// <param name="Tasks">The tasks.</param>
/// <param name="Epochs">The 0-indexed epochs of a fine-tuned run; <see langword="null"/> for other runs or when <see cref="ByRule"/>.</param>
internal sealed record MatrixEntry(string Run, IReadOnlyList<string> Tasks, IReadOnlyList<int>? Epochs)
{
    public string? VisLabel { get; init; }

    /// <summary>The epochs are the document's <see cref="PlanDocument.Rule"/> (a bare check mark in Markdown).</summary>
    public bool ByRule { get; init; }

    /// <summary>Where a part of the entry (<c>run</c>, <c>tasks[0]</c>, <c>epochs[1]</c>) was read, in the reader's words.</summary>
    public Func<string, string> Where { get; init; } = part => part;
}
