using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System;
using ExperimentDsl.Generators.Catalog;
using ExperimentDsl.Generators.Diagnostics;
using ExperimentDsl.Generators.Extraction;
using ExperimentDsl.Generators.Models;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Planning;

/// <summary>
/// Expands a compact <see cref="ExperimentSpec"/> into every run, its name and the evaluation
/// matrix, and checks what only the expanded runs show (name collisions, unsafe names, unknown
/// eval runs, epochs out of range). Shared by the generator's output step (no reporter: an invalid
/// experiment yields null) and the analyzer (through the builder, which locates the problems).
/// </summary>
internal sealed class RunExpansion
{
    private readonly ExperimentSpec _spec;
    private readonly int _maxRuns;
    private readonly IExpansionReporter? _reporter;
    private readonly CancellationToken _ct;
    private readonly bool _checkOnly;
    private bool _invalid;

    private RunExpansion(ExperimentSpec spec, int maxRuns, IExpansionReporter? reporter, bool checkOnly, CancellationToken ct)
    {
        _spec = spec;
        _maxRuns = maxRuns;
        _reporter = reporter;
        _checkOnly = checkOnly;
        _ct = ct;
    }

    /// <summary>The expanded model, or null when the expansion found an error.</summary>
    public static ExperimentModel? Expand(ExperimentSpec spec, int maxRuns, IExpansionReporter? reporter, CancellationToken ct) =>
        new RunExpansion(spec, maxRuns, reporter, checkOnly: false, ct).Expand();

    /// <summary>Whether the runs are valid (what <see cref="Expand"/> checks), without building the model.</summary>
    public static bool IsValid(ExperimentSpec spec, CancellationToken ct)
    {
        var expansion = new RunExpansion(spec, int.MaxValue, reporter: null, checkOnly: true, ct);
        expansion.Expand();
        return !expansion._invalid;
    }

    private ExperimentModel? Expand()
    {
        List<Value[]> rows = Rows();
        List<int> varying = rows.Count == 0
            ? []
            : Enumerable.Range(0, _spec.Dimensions.Count).Where(d => rows.Select(r => r[d].Literal).Distinct(StringComparer.Ordinal).Count() > 1).ToList();
        string pattern = _spec.RunNamePattern ?? DefaultPattern(varying);
        List<string>? names = Names(rows, varying);
        if (names is null)
        {
            return null;
        }

        _reporter?.NamesChecked();
        CheckTrainersCanExpress(rows);
        List<ControlModel> controls = Controls(rows);
        CheckControlDirectories(names, controls);
        CheckEvalOnlyNames(names, controls);
        CheckTaskRuns(names);
        Dictionary<string, string> labels = VisLabels(names, controls);
        List<EvalCellModel> evaluations = Evaluations(rows, names, controls, labels);
        if (_invalid || _checkOnly)
        {
            return null;
        }

        EquatableArray<DimensionSpec> dims = _spec.Dimensions;
        return new ExperimentModel(
            _spec.MetadataName,
            _spec.Namespace,
            _spec.ContainingTypes,
            _spec.TypeName,
            _spec.FullTypeName,
            _spec.DisplayName,
            _spec.ExperimentName,
            _spec.BaseDirectory,
            pattern,
            varying.Select(d => dims[d].Name).ToEquatableArray(),
            _spec.SettingMembers,
            rows.Select((row, i) => new RunModel(
                names[i],
                Enumerable.Range(0, dims.Count).Select(d => new Assignment(dims[d].Identifier, row[d].Literal)).ToEquatableArray(),
                varying.Select(d => new AxisText(dims[d].Name, row[d].Text)).ToEquatableArray())).ToEquatableArray(),
            controls.ToEquatableArray(),
            _spec.Tasks.Select(t => t.Task).ToEquatableArray(),
            evaluations.ToEquatableArray(),
            _spec.EvalOnlyRuns,
            _spec.Evaluation);
    }

    private void Report(DiagnosticDescriptor descriptor, ProblemSite site, params object?[] args) => Report(descriptor, site, 0, 0, null, args);

    private void Report(DiagnosticDescriptor descriptor, ProblemSite site, int index, int element, string? member, params object?[] args)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            _invalid = true;
        }

        _reporter?.Report(new ExpansionProblem(descriptor, site, index, element, member, args));
    }

    /// <summary>The grid (odometer order, exclusions left out), then the extra runs.</summary>
    private List<Value[]> Rows()
    {
        EquatableArray<DimensionSpec> dims = _spec.Dimensions;
        EquatableArray<EquatableArray<int>> units = _spec.Units;
        long gridSize = 1;
        foreach (EquatableArray<int> unit in units)
        {
            gridSize *= dims[unit[0]].Sweep.Count;
        }

        var rows = new List<Value[]>();
        var indices = new int[units.Count];
        for (long n = 0; n < gridSize; n++)
        {
            _ct.ThrowIfCancellationRequested();
            var values = new Value[dims.Count];
            for (int u = 0; u < units.Count; u++)
            {
                foreach (int axis in units[u])
                {
                    values[axis] = dims[axis].Sweep[indices[u]];
                }
            }

            for (int d = 0; d < dims.Count; d++)
            {
                if (!dims[d].IsAxis)
                {
                    values[d] = dims[d].Fixed!;
                }
            }

            if (!_spec.Exclusions.Any(pairs => pairs.All(p => values[p.Dimension].Literal == p.Value.Literal)))
            {
                rows.Add(values);
            }

            // Odometer: the last unit turns fastest, so the first declared axis is outermost.
            for (int u = units.Count - 1; u >= 0; u--)
            {
                if (++indices[u] < dims[units[u][0]].Sweep.Count)
                {
                    break;
                }

                indices[u] = 0;
            }
        }

        foreach (EquatableArray<DimensionValue> extra in _spec.ExtraRuns)
        {
            Value[] values = dims.Select(d => d.IsAxis ? d.Sweep[0] : d.Fixed!).ToArray();
            foreach (DimensionValue set in extra)
            {
                values[set.Dimension] = set.Value;
            }

            rows.Add(values);
        }

        if (rows.Count > _maxRuns)
        {
            Report(DiagnosticDescriptors.TooManyRuns, ProblemSite.Experiment, _spec.ExperimentName,
                rows.Count.ToString(CultureInfo.InvariantCulture), _maxRuns.ToString(CultureInfo.InvariantCulture));
        }

        return rows;
    }

    /// <summary>
    /// The default pattern in placeholder syntax, e.g. <c>{Model}_r{LoraRank}_lr{LearningRate}</c>.
    /// <c>{Model}</c> stands for the short name here. With nothing varying, the model's short name alone.
    /// </summary>
    private string DefaultPattern(List<int> varying) =>
        RunNamePatternSyntax.Default(varying.Select(d => _spec.Dimensions[d]).Select(d => (d.Name, d.IsModelSetting ? string.Empty : d.Prefix)));

    private List<string>? Names(List<Value[]> rows, List<int> varying)
    {
        EquatableArray<DimensionSpec> dims = _spec.Dimensions;
        List<string>? names;
        if (_spec.RunNamePattern is not null)
        {
            names = rows.Select(row =>
            {
                var name = new StringBuilder();
                foreach (NamePart part in _spec.NameParts)
                {
                    name.Append(!part.IsMember ? part.Text : part.Dimension >= 0 ? row[part.Dimension].Text : part.Fixed!.Text);
                }

                return name.ToString();
            }).ToList();
        }
        else if (varying.Count == 0)
        {
            string? shortName = ModelOfFirstRun(rows, "the default run name of a single run is the model's short name")?.ShortText;
            names = shortName is null ? null : rows.Select(_ => shortName).ToList();
        }
        else
        {
            names = rows.Select(r => string.Join("_", varying.Select(d => dims[d].Prefix.Length == 0 && dims[d].IsModel ? r[d].ShortText : dims[d].Prefix + r[d].ShortText))).ToList();
        }

        if (names is null)
        {
            return null;
        }

        foreach (string unsafeName in names.Distinct(StringComparer.Ordinal))
        {
            if (InputRules.RunNameProblem(unsafeName) is string problem)
            {
                // Printable: a newline in the name would cut the diagnostic's message short.
                Report(DiagnosticDescriptors.UnsafeRunName, ProblemSite.Naming, Printable(unsafeName), problem);
            }
        }

        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        Dictionary<string, List<int>>? clashes = null;
        for (int i = 0; i < names.Count; i++)
        {
            if (!first.TryGetValue(names[i], out int earlier))
            {
                first.Add(names[i], i);
                continue;
            }

            clashes ??= new Dictionary<string, List<int>>(StringComparer.Ordinal);
            if (!clashes.TryGetValue(names[i], out List<int>? same))
            {
                clashes.Add(names[i], same = [earlier]);
            }

            same.Add(i);
        }

        // Reported in the order of each name's first run, as a grouping of all runs would.
        foreach (KeyValuePair<string, List<int>> clash in (clashes ?? []).OrderBy(c => c.Value[0]))
        {
            Report(DiagnosticDescriptors.RunNameCollision, ProblemSite.Naming, clash.Key,
                string.Join(", ", clash.Value.Select(i => Describe(rows[i], i))) + WhyAlike(rows, clash.Value));
        }

        return names;
    }

    // A control evaluates in {Model}_base: a run of that name would share its directory and scripts.
    private void CheckControlDirectories(List<string> names, List<ControlModel> controls)
    {
        for (int c = 0; c < controls.Count; c++)
        {
            string directory = controls[c].Name + "_base";
            if (names.Any(n => string.Equals(n, directory, StringComparison.OrdinalIgnoreCase)))
            {
                Report(DiagnosticDescriptors.RunNameCollision, ProblemSite.Control, c, 0, null, directory,
                    "a run and the [Control] of base model " + controls[c].Name + " (its directory is " + directory + ")");
            }
        }
    }

    private static string Printable(string text)
    {
        var printable = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            printable.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '\u202e' or '\u202d' or '\u2066' or '\u2067' or '\u2068' or '\u2069'
                ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)
                : c.ToString());
        }

        return printable.ToString();
    }

    /// <summary>How a diagnostic names a run: its position and values, e.g. <c>#2 (LoraRank=8, LearningRate=5e-5)</c>.</summary>
    private string Describe(Value[] row, int index) => Position(index) + ValuesText(row);

    private string ValuesText(Value[] row) =>
        row.Length == 0 ? string.Empty : " (" + string.Join(", ", _spec.Dimensions.Select((d, i) => d.Name + "=" + row[i].Text)) + ")";

    /// <summary>
    /// Why two colliding runs read the same in the message: otherwise it would list two identical
    /// descriptions and leave the user guessing. Empty when every description differs.
    /// </summary>
    private string WhyAlike(List<Value[]> rows, List<int> runs)
    {
        var notes = new List<string>();
        for (int k = 1; k < runs.Count; k++)
        {
            string values = ValuesText(rows[runs[k]]);
            int earlier = runs.Take(k).ToList().FindIndex(e => ValuesText(rows[e]) == values);
            if (earlier < 0)
            {
                continue;
            }

            int j = runs[earlier];

            Value[] a = rows[j], b = rows[runs[k]];
            List<string> differing = Enumerable.Range(0, a.Length).Where(d => a[d].Literal != b[d].Literal)
                .Select(d => _spec.Dimensions[d].Name + " (" + a[d].Literal + " vs " + b[d].Literal + ")").ToList();
            notes.Add(differing.Count == 0
                ? Position(runs[k]) + " repeats every value of " + Position(j)
                : Position(runs[k]) + " differs from " + Position(j) + " only in values that print alike: " + string.Join(", ", differing));
        }

        return notes.Count == 0 ? string.Empty : "; " + string.Join("; ", notes);
    }

    private static string Position(int index) => "#" + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The model of the first run (or of the experiment when it has no runs).</summary>
    private Value? ModelOfFirstRun(List<Value[]> rows, string why)
    {
        if (_spec.ModelMember is { } model)
        {
            if (rows.Count > 0 && model.Dimension >= 0)
            {
                return rows[0][model.Dimension];
            }

            if (model.Fixed is null)
            {
                Report(DiagnosticDescriptors.NotConstant, ProblemSite.Member, 0, 0, SettingCatalog.Model.Name, SettingCatalog.Model.Name, why);
            }

            return model.Fixed;
        }

        ModelEntry? entry = ModelTable.Find((string)SettingCatalog.Model.Default!);
        return entry is null ? null : new Value(entry.Member, "global::ExperimentDsl.Model." + entry.Member, entry.Name, entry.ShortName);
    }

    private List<ControlModel> Controls(List<Value[]> rows)
    {
        var controls = new List<ControlModel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < _spec.Controls.Count; c++)
        {
            Value? model = _spec.Controls[c].Model ?? ModelOfFirstRun(rows, "[Control] without a model evaluates the experiment's model");
            if (model is null)
            {
                continue;
            }

            if (!seen.Add(model.Text))
            {
                Report(DiagnosticDescriptors.RunNameCollision, ProblemSite.Control, c, 0, null, model.Text, "two [Control] attributes evaluate the base model " + model.Text);
                continue;
            }

            controls.Add(new ControlModel(model.Text, model.Literal));
        }

        return controls;
    }

    private void CheckTaskRuns(List<string> names)
    {
        HashSet<string>? known = null;
        for (int t = 0; t < _spec.Tasks.Count; t++)
        {
            if (_spec.Tasks[t].Runs is not { } runs)
            {
                continue;
            }

            // An eval-only run is filtered like a run, by its name.
            known ??= new HashSet<string>(names.Concat(_spec.EvalOnlyRuns.Select(e => e.Name)), StringComparer.Ordinal);
            for (int i = 0; i < runs.Count; i++)
            {
                if (!known.Contains(runs[i]))
                {
                    Report(DiagnosticDescriptors.UnknownEvalRun, ProblemSite.TaskRuns, t, i, null, _spec.Tasks[t].Task.Name, runs[i],
                        string.Join(", ", names.Concat(_spec.EvalOnlyRuns.Select(e => e.Name))));
                }
            }
        }
    }

    /// <summary>
    /// An eval-only run's directory is its name, beside the runs' and the controls' <c>{model}_base</c>;
    /// its cells are told apart from the others' by name. Directories compare case-insensitively
    /// (macOS, Windows), names of cells exactly.
    /// </summary>
    private void CheckEvalOnlyNames(List<string> names, List<ControlModel> controls)
    {
        HashSet<string>? runNames = _spec.EvalOnlyRuns.Count == 0 ? null : new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        var earlier = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int e = 0; e < _spec.EvalOnlyRuns.Count; e++)
        {
            string name = _spec.EvalOnlyRuns[e].Name;
            string? clash = runNames!.Contains(name) ? "a run"
                : controls.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) is { } control ? "the [Control] of base model " + control.Name
                : controls.FirstOrDefault(c => string.Equals(c.Name + "_base", name, StringComparison.OrdinalIgnoreCase)) is { } owner ? "the directory of the [Control] of base model " + owner.Name
                : !earlier.Add(name) ? "another [EvalOnly] run"
                : null;
            if (clash is not null)
            {
                Report(DiagnosticDescriptors.EvalOnlyNameClash, ProblemSite.EvalOnly, e, 0, null, name, clash);
            }
        }
    }

    /// <summary>Each labelled run's [VisLabel]; a label naming no run, control or eval-only run is EXD030.</summary>
    private Dictionary<string, string> VisLabels(List<string> names, List<ControlModel> controls)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_spec.VisLabels.Count == 0)
        {
            return labels;
        }

        List<string> all = [.. names, .. controls.Select(c => c.Name), .. _spec.EvalOnlyRuns.Select(e => e.Name)];
        var known = new HashSet<string>(all, StringComparer.Ordinal);
        for (int v = 0; v < _spec.VisLabels.Count; v++)
        {
            VisLabelModel label = _spec.VisLabels[v];
            if (!known.Contains(label.Run))
            {
                Report(DiagnosticDescriptors.VisLabelUnknownRun, ProblemSite.VisLabel, v, 0, null, label.Run, string.Join(", ", all.Distinct(StringComparer.Ordinal)));
                continue;
            }

            labels[label.Run] = label.Label;
        }

        return labels;
    }

    private List<EvalCellModel> Evaluations(List<Value[]> rows, List<string> names, List<ControlModel> controls, Dictionary<string, string> labels)
    {
        var cells = new List<EvalCellModel>();
        if (_spec.EvalEpochs is not { } experimentEpochs)
        {
            return cells;
        }

        EquatableArray<TaskSpec> tasks = _spec.Tasks;
        HashSet<string>?[] runFilters = tasks.Select(t => t.Runs is { } r ? new HashSet<string>(r, StringComparer.Ordinal) : null).ToArray();
        int?[] epochCounts = EpochCounts(rows, tasks.Select(t => t.Epochs ?? experimentEpochs).Any(c => c.All || c.Last));
        var reported = new HashSet<(int, int)>();
        for (int r = 0; r < rows.Count; r++)
        {
            for (int t = 0; t < tasks.Count; t++)
            {
                TaskSpec task = tasks[t];
                if (runFilters[t] is { } filter && !filter.Contains(names[r]))
                {
                    continue;
                }

                EpochChoiceSpec choice = task.Epochs ?? experimentEpochs;
                IEnumerable<int> epochs;
                if (choice.All || choice.Last)
                {
                    if (epochCounts[r] is not int count)
                    {
                        continue; // EXD023 already reported
                    }

                    epochs = choice.All ? Enumerable.Range(0, count) : [count - 1];
                }
                else
                {
                    int source = task.Epochs is null ? -1 : t;
                    for (int i = 0; i < choice.List.Count; i++)
                    {
                        int epoch = choice.List[i];
                        if ((epoch < 0 || (epochCounts[r] is int count && epoch >= count)) && reported.Add((source, epoch)))
                        {
                            int trained = epochCounts[r] ?? 0;
                            Report(DiagnosticDescriptors.EvalEpochOutOfRange, source < 0 ? ProblemSite.EvalEpochs : ProblemSite.TaskEpochs, source, i, null,
                                epoch.ToString(CultureInfo.InvariantCulture), names[r],
                                trained.ToString(CultureInfo.InvariantCulture), (trained - 1).ToString(CultureInfo.InvariantCulture));
                        }
                    }

                    epochs = choice.List;
                }

                if (_checkOnly)
                {
                    continue;
                }

                string? label = labels.Count == 0 ? null : labels.TryGetValue(names[r], out string? l) ? l : null;
                foreach (int epoch in epochs.Distinct().OrderBy(e => e))
                {
                    cells.Add(new EvalCellModel(names[r], task.Task.Name, epoch, VisLabel: label));
                }
            }
        }

        foreach (ControlModel control in controls)
        {
            foreach (TaskSpec task in tasks.Where(t => t.Controls))
            {
                cells.Add(new EvalCellModel(control.Name, task.Task.Name, null, VisLabel: labels.TryGetValue(control.Name, out string? l) ? l : null));
            }
        }

        // Once per task, filtered like a run by the task's Runs.
        foreach (EvalOnlyModel evalOnly in _spec.EvalOnlyRuns)
        {
            string? label = labels.TryGetValue(evalOnly.Name, out string? l) ? l : null;
            for (int t = 0; t < tasks.Count; t++)
            {
                if (runFilters[t] is not { } filter || filter.Contains(evalOnly.Name))
                {
                    cells.Add(new EvalCellModel(evalOnly.Name, tasks[t].Task.Name, null, IsEvalOnly: true, VisLabel: label));
                }
            }
        }

        return cells;
    }

    /// <summary>
    /// EXD052: a run trained by axolotl with a setting value axolotl cannot express (the catalogue's
    /// axolotl column says which and why). Reported once per setting and value, at the setting's
    /// member, or at the Trainer member when the setting keeps its default.
    /// </summary>
    private void CheckTrainersCanExpress(List<Value[]> rows)
    {
        EquatableArray<DimensionSpec> dims = _spec.Dimensions;
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (Value[] row in rows)
        {
            if (!Equals(SettingValue(row, SettingCatalog.Trainer.Name, out _), "Axolotl"))
            {
                continue;
            }

            foreach (Setting setting in SettingCatalog.All)
            {
                object? value = SettingValue(row, setting.Name, out Value? declared);
                if (setting.AxolotlRefusal(value) is { } refusal && reported.Add(setting.Name + "\n" + (declared?.Literal ?? "default")))
                {
                    Report(DiagnosticDescriptors.ValueTrainerCannotExpress, ProblemSite.Member, 0, 0, declared is null ? SettingCatalog.Trainer.Name : setting.Name,
                        setting.Name, Shown(setting, value), "axolotl", refusal);
                }
            }
        }

        object? SettingValue(Value[] row, string name, out Value? declared)
        {
            for (int d = 0; d < dims.Count; d++)
            {
                if (dims[d].Name == name)
                {
                    declared = row[d];
                    return declared.Raw;
                }
            }

            declared = _spec.FixedSettings.FirstOrDefault(f => f.Name == name)?.Value;
            return declared is null ? SettingCatalog.Find(name)?.Default : declared.Raw;
        }
    }

    /// <summary>A setting's value in a message: text in quotes, a number or member name as it reads.</summary>
    private static string Shown(Setting setting, object? value) => value switch
    {
        null => "null",
        string text when setting.Kind == SettingKind.String => "\"" + text + "\"",
        bool flag => flag ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    /// <summary>Each run's number of epochs, or null when it is not known at compile time.</summary>
    private int?[] EpochCounts(List<Value[]> rows, bool required)
    {
        int? fallback = (int?)SettingCatalog.Epochs.Default;
        SettingMemberSpec? member = _spec.EpochsMember;
        if (member is not null && member.Dimension < 0)
        {
            fallback = member.Fixed?.Raw as int?;
            if (fallback is null && required && rows.Count > 0)
            {
                Report(DiagnosticDescriptors.NotConstant, ProblemSite.Member, 0, 0, SettingCatalog.Epochs.Name, SettingCatalog.Epochs.Name,
                    "the last or all epochs are evaluated, which depends on the number of epochs");
            }
        }

        return rows.Select(row => member is { Dimension: >= 0 } ? row[member.Dimension].Raw as int? : fallback).ToArray();
    }
}
