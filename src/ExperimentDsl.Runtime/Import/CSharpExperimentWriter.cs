using ExperimentDsl.Runtime.Catalogue;
using System.Text;

using ExperimentDsl.Runtime.Summary;

namespace ExperimentDsl.Runtime.Import;

/// <summary>
/// Turns a plan (typically read from an <c>experiment_summary.md</c>) into a C# experiment record with
/// the DSL's attributes, so the generator rebuilds the same runs, names and evaluations.
/// </summary>
/// <remarks>
/// Runs that form the full grid of their axes' values (first axis outermost) become one
/// <c>[Sweep]</c> per axis; any other set of runs becomes one <c>[Paired]</c> group listing each run's
/// values in order. Settings shared by the runs become property initializers when they differ from
/// the defaults. <see cref="CSharpImportException"/> is thrown when the plan cannot be said in the DSL:
/// the run-name pattern does not give the runs' names, the evaluation matrix is not one epoch
/// selection per task with a run filter, or a variable, the record or its namespace has a name that is
/// not a plain identifier (<see cref="CSharpIdentifier.Rule"/>). Every string is written by
/// <see cref="CSharpLiterals.String"/>; nothing else of the plan reaches the file as text.
/// </remarks>
public static class CSharpExperimentWriter
{
    /// <summary>The C# source of <paramref name="plan"/> as record <paramref name="typeName"/>.</summary>
    /// <param name="plan">The experiment.</param>
    /// <param name="namespaceName">The record's namespace.</param>
    /// <param name="typeName">The record's name.</param>
    /// <returns>A C# file, <c>\n</c> line endings.</returns>
    /// <exception cref="CSharpImportException">The plan or a name cannot be written as a C# experiment; the message says why.</exception>
    public static string Write(ExperimentPlan plan, string namespaceName, string typeName)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(namespaceName);
        ArgumentNullException.ThrowIfNull(typeName);
        string? typeProblem = CSharpIdentifier.Problem(typeName)
            ?? (RecordMembers.Contains(typeName) || SettingCatalog.Find(typeName) is not null ? "the record declares a member of that name" : null)
            ?? (DslTypeNames.Contains(typeName) ? "it would hide the DSL's type of that name" : null);
        if (typeProblem is not null)
        {
            throw new CSharpImportException($"The record name {CSharpLiterals.String(typeName)} is refused: {typeProblem}; {CSharpIdentifier.Rule}.");
        }

        if (namespaceName.Split('.').Select(CSharpIdentifier.Problem).FirstOrDefault(p => p is not null) is string namespaceProblem)
        {
            throw new CSharpImportException($"The namespace {CSharpLiterals.String(namespaceName)} is refused: {namespaceProblem}; each dot-separated part follows the rule that {CSharpIdentifier.Rule}.");
        }

        plan = Anchored(plan);
        CheckAxes(plan, typeName);
        RunSettings common = plan.Runs.FirstOrDefault()?.Settings ?? plan.Controls.FirstOrDefault()?.Settings ?? plan.EvalOnlyRuns.FirstOrDefault()?.Settings ?? new RunSettings();
        CheckNames(plan);
        CheckEvalOnlySettings(plan, common);

        var axes = plan.VaryingAxes;
        var values = axes.ToDictionary(a => a, a => plan.Runs.Select(r => Value(r, a)).ToList());
        bool grid = IsGrid(plan, axes);

        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        // Comments carry user text only as a string literal: it cannot hold a line break, so it cannot end the comment.
        Line("// Imported by ExperimentDsl from " + CSharpLiterals.String(plan.Source) + ".");
        Line("using ExperimentDsl;");
        Line();
        Line("namespace " + namespaceName + ";");
        Line();
        Line("/// <summary>Experiment " + Xml(CSharpLiterals.String(plan.Name)) + ", imported by ExperimentDsl.</summary>");
        Line("[Experiment(" + CSharpLiterals.String(plan.Name) + ")]");
        Line("[RunName(" + CSharpLiterals.String(plan.RunNamePattern) + ")]");
        if (!grid && axes.Count > 0)
        {
            Line("[Paired(" + string.Join(", ", axes.Select(a => "nameof(" + a + ")")) + ")]");
        }

        foreach (ControlRun control in plan.Controls)
        {
            Line("[Control(Model." + control.Settings.Model + ")]");
        }

        foreach (EvalOnlyRun evalOnly in plan.EvalOnlyRuns)
        {
            Line("[EvalOnly(" + CSharpLiterals.String(evalOnly.Name) + ", Model." + evalOnly.Settings.Model + ", " + CSharpLiterals.String(evalOnly.CheckpointPath) + ")]");
        }

        foreach (string attribute in Evaluations(plan))
        {
            Line(attribute);
        }

        if (Decoding(plan.Evaluation) is string decoding)
        {
            Line(decoding);
        }

        foreach ((string run, string label) in VisLabels(plan))
        {
            Line("[VisLabel(" + CSharpLiterals.String(run) + ", " + CSharpLiterals.String(label) + ")]");
        }

        Line("public partial record " + typeName);
        Line("{");
        var members = new List<string>();
        var placeholders = (RunNamePatternSyntax.Parse(plan.RunNamePattern, out _)
                ?? throw new CSharpImportException($"The run-name pattern '{plan.RunNamePattern}' is malformed."))
            .Where(p => p.IsMember).Select(p => p.Text).ToHashSet(StringComparer.Ordinal);
        // Axes first, in the plan's order: the generator nests a grid by declaration order.
        foreach (string axis in axes)
        {
            members.Add(SettingCatalog.Find(axis) is Setting field
                ? SweepProperty(axis, field.CSharpType(), values[axis], grid)
                : SweepProperty(axis, "string", values[axis], grid) + " = \"\";");
        }

        foreach (Setting field in SettingCatalog.All.Where(f => !axes.Contains(f.Name)))
        {
            if (field == SettingCatalog.Model || placeholders.Contains(field.Name) || field.Format(common) != field.Format(new RunSettings()))
            {
                members.Add("    public " + field.CSharpType() + " " + field.Name + " { get; init; } = " + field.CSharpValue(common) + ";");
            }
        }

        text.Append(string.Join("\n\n", members)).Append('\n');
        Line("}");
        return text.ToString();

        string Value(PlannedRun run, string axis) => SettingCatalog.Find(axis) is Setting field
            ? field.CSharpValue(run.Settings)
            : CSharpLiterals.String(run.AxisValues.First(v => v.Axis == axis).Text);
    }

    private static string SweepProperty(string name, string type, List<string> runValues, bool grid)
    {
        IEnumerable<string> listed = grid ? runValues.Distinct(StringComparer.Ordinal) : runValues;
        return "    [Sweep(" + string.Join(", ", listed) + ")]\n    public " + type + " " + name + " { get; init; }";
    }

    /// <summary>Whether the runs are exactly the grid of their axes' distinct values, first axis outermost.</summary>
    private static bool IsGrid(ExperimentPlan plan, IReadOnlyList<string> axes)
    {
        var levels = axes.Select(a => plan.Runs.Select(r => Text(r, a)).Distinct(StringComparer.Ordinal).ToList()).ToList();
        IEnumerable<IReadOnlyList<string>> combos = [[]];
        foreach (var level in levels)
        {
            combos = combos.SelectMany(c => level.Select(v => (IReadOnlyList<string>)[.. c, v])).ToList();
        }

        var expected = combos.ToList();
        return expected.Count == plan.Runs.Count
            && plan.Runs.Select((r, i) => axes.Select(a => Text(r, a)).SequenceEqual(expected[i])).All(x => x);

        static string Text(PlannedRun run, string axis) =>
            SettingCatalog.Find(axis) is Setting f ? f.Format(run.Settings) : run.AxisValues.First(v => v.Axis == axis).Text;
    }

    // Members the record has already: the generator's (Runs, Evaluations, Plan, ToRunSettings, All)
    // and those C# gives every record. A variable of the same name would not compile.
    private static readonly HashSet<string> RecordMembers = new(StringComparer.Ordinal)
    {
        "Runs", "Evaluations", "Plan", "ToRunSettings", "All",
        "EqualityContract", "Equals", "GetHashCode", "ToString", "PrintMembers", "Deconstruct", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
    };

    // The DSL's types, attributes also by their short name ([Experiment]): a record or a property of the
    // same name would hide the type where the file names it (Model.X, EpochSelection.Last, [Sweep]).
    private static readonly HashSet<string> DslTypeNames = typeof(ExperimentAttribute).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == typeof(ExperimentAttribute).Namespace)
        .Select(t => t.Name.Split('`')[0])
        .SelectMany(name => name.EndsWith("Attribute", StringComparison.Ordinal) ? [name, name[..^"Attribute".Length]] : new[] { name })
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every axis is a setting of the catalogue or a plan variable whose name keeps <see cref="CSharpIdentifier.Rule"/>:
    /// the writer declares it as a property and names it in <c>nameof</c>, so nothing else may reach the file.
    /// </summary>
    private static void CheckAxes(ExperimentPlan plan, string typeName)
    {
        foreach (string axis in plan.VaryingAxes.Where(a => SettingCatalog.Find(a) is null))
        {
            string? problem = CSharpIdentifier.Problem(axis)
                ?? (RecordMembers.Contains(axis) ? "the experiment record already has a member of that name" : null)
                ?? (axis == typeName ? "it is the record's own name" : null)
                ?? (DslTypeNames.Contains(axis) ? "it would hide the DSL's type of that name" : null);
            if (problem is not null)
            {
                throw new CSharpImportException($"Variable {CSharpLiterals.String(axis)} cannot become a C# property: {problem}; {CSharpIdentifier.Rule}. Rename the variable in the plan (its key and each run's parameter).");
            }
        }
    }

    private static void CheckNames(ExperimentPlan plan)
    {
        foreach (PlannedRun run in plan.Runs)
        {
            string? rendered = RunNamePattern.Render(plan.RunNamePattern, run.Settings, run.AxisValues);
            if (rendered != run.Name)
            {
                throw new CSharpImportException(
                    $"Run '{run.Name}' would be named '{rendered ?? "(malformed pattern)"}' by the pattern '{plan.RunNamePattern}'; "
                    + "give the summary a run-name pattern that produces its run names.");
            }
        }

        foreach (ControlRun control in plan.Controls)
        {
            if (control.Name != ModelCatalog.Of(control.Settings.Model).Name)
            {
                throw new CSharpImportException($"Control '{control.Name}' is not named after its model; the DSL names controls by model.");
            }
        }
    }

    /// <summary>The <c>[EvalTask]</c> attributes and the experiment's <c>[EvalEpochs]</c>.</summary>
    private static List<string> Evaluations(ExperimentPlan plan)
    {
        var document = PlanDocument.From(plan);
        var perTask = new List<(EvalTaskSpec Task, List<PlannedRun> Runs, EpochRule? Rule, bool Controls, List<EvalOnlyRun> EvalOnly)>();
        foreach (EvalTaskSpec task in plan.Tasks)
        {
            var runs = plan.Runs.Where(r => document.Epochs(r.Name, task.Name).Count > 0).ToList();
            var evalOnly = plan.EvalOnlyRuns.Where(e => document.IsEvaluated(e.Name, task.Name)).ToList();
            EpochRule? rule = runs.Count == 0 ? null : document.CommonRule([task.Name]);
            if (runs.Count > 0 && rule is null)
            {
                throw new CSharpImportException($"Task '{task.Name}' is evaluated at different epochs for different runs; the DSL takes one epoch list per task.");
            }

            var controls = plan.Controls.Select(c => document.IsEvaluated(c.DirectoryName, task.Name)).Distinct().ToList();
            if (controls.Count > 1)
            {
                throw new CSharpImportException($"Task '{task.Name}' is evaluated on some controls only; the DSL evaluates all controls of a task or none.");
            }

            if (runs.Count == 0 && evalOnly.Count == 0 && plan.Runs.Count > 0)
            {
                throw new CSharpImportException($"Task '{task.Name}' evaluates no fine-tuned run; the DSL cannot say that.");
            }

            perTask.Add((task, runs, rule, controls.FirstOrDefault(true), evalOnly));
        }

        EpochRule experimentRule = perTask.Select(t => t.Rule).FirstOrDefault(r => r is not null) ?? EpochRule.Last;
        var lines = new List<string>();
        foreach ((EvalTaskSpec task, List<PlannedRun> runs, EpochRule? rule, bool controls, List<EvalOnlyRun> evalOnly) in perTask)
        {
            var arguments = new List<string> { CSharpLiterals.String(task.Name), CSharpLiterals.String(task.Script) };
            if (task.Dataset is not null) arguments.Add("Dataset = " + CSharpLiterals.String(task.Dataset));
            if (task.Description is not null) arguments.Add("Description = " + CSharpLiterals.String(task.Description));
            if (task.Prompt is not null) arguments.Add("Prompt = " + CSharpLiterals.String(task.Prompt));
            if (task.SystemPrompt is not null) arguments.Add("SystemPrompt = " + CSharpLiterals.String(task.SystemPrompt));
            if (rule is not null && rule != experimentRule && !SameEpochs(rule, experimentRule, runs))
            {
                if (rule.Selection != EpochSelection.List)
                {
                    throw new CSharpImportException($"Task '{task.Name}' uses '{rule}' epochs while the experiment uses '{experimentRule}'; a task can only list epochs.");
                }

                arguments.Add("Epochs = [" + string.Join(", ", rule.Listed.Select(NumberText.Format)) + "]");
            }

            // The Runs filter selects fine-tuned and eval-only runs alike.
            if (runs.Count != plan.Runs.Count || evalOnly.Count != plan.EvalOnlyRuns.Count)
            {
                arguments.Add("Runs = [" + string.Join(", ", runs.Select(r => r.Name).Concat(evalOnly.Select(e => e.Name)).Select(CSharpLiterals.String)) + "]");
            }

            if (!controls && plan.Controls.Count > 0)
            {
                arguments.Add("Controls = false");
            }

            lines.Add("[EvalTask(" + string.Join(", ", arguments) + ")]");
        }

        if (perTask.Count == 0)
        {
            return lines;
        }

        lines.Add(experimentRule.Selection switch
        {
            EpochSelection.Last => "[EvalEpochs(EpochSelection.Last)]",
            EpochSelection.All => "[EvalEpochs(EpochSelection.All)]",
            _ => "[EvalEpochs(" + string.Join(", ", experimentRule.Listed.Select(NumberText.Format)) + ")]",
        });
        return lines;
    }

    /// <summary>The <c>[Evaluation]</c> attribute naming the decoding settings given, or <see langword="null"/> when none is.</summary>
    private static string? Decoding(EvaluationSettings settings)
    {
        var arguments = EvaluationFields.All.Where(f => f.Get(settings) is not null).Select(f => f.Name + " = " + f.CSharpValue(settings)).ToList();
        return arguments.Count == 0 ? null : "[Evaluation(" + string.Join(", ", arguments) + ")]";
    }

    /// <summary>Each labelled run's label; the DSL labels every evaluation of a run alike.</summary>
    private static List<(string Run, string Label)> VisLabels(ExperimentPlan plan)
    {
        var labels = new List<(string, string)>();
        foreach (var cells in plan.Evaluations.GroupBy(c => c.RunName, StringComparer.Ordinal))
        {
            var distinct = cells.Select(c => c.VisLabel).Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count > 1)
            {
                throw new CSharpImportException($"Run '{cells.Key}' has evaluations with different vis labels; the DSL gives a run one label.");
            }

            if (distinct[0] is string label)
            {
                labels.Add((cells.Key, label));
            }
        }

        return labels;
    }

    // [EvalOnly] gives a run its name, model and checkpoint; every other setting is the experiment's.
    private static void CheckEvalOnlySettings(ExperimentPlan plan, RunSettings common)
    {
        foreach (EvalOnlyRun evalOnly in plan.EvalOnlyRuns)
        {
            RunSettings expected = common with { Model = evalOnly.Settings.Model };
            if (SettingCatalog.All.FirstOrDefault(f => f.Format(evalOnly.Settings) != f.Format(expected)) is Setting differing)
            {
                throw new CSharpImportException(
                    $"Eval-only run '{evalOnly.Name}' has its own {differing.Label.ToLowerInvariant()} '{differing.Format(evalOnly.Settings)}'; the DSL gives an eval-only run the experiment's settings.");
            }
        }
    }

    private static bool SameEpochs(EpochRule a, EpochRule b, IEnumerable<PlannedRun> runs) =>
        runs.All(r => a.For(r.Settings.Epochs).SequenceEqual(b.For(r.Settings.Epochs)));

    private static string Xml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    // The generator resolves a C# experiment's relative paths against the directory of its own source
    // file, which is not where the summary was: paths the plan resolves against its base directory are
    // written absolute so the imported experiment reads the same dataset and task scripts.
    private static ExperimentPlan Anchored(ExperimentPlan plan)
    {
        if (plan.BaseDirectory is not { } baseDirectory)
        {
            return plan;
        }

        string Anchor(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
        RunSettings Settings(RunSettings settings) => settings with { Dataset = Anchor(settings.Dataset) };
        return plan with
        {
            Runs = [.. plan.Runs.Select(r => r with { Settings = Settings(r.Settings) })],
            Controls = [.. plan.Controls.Select(c => c with { Settings = Settings(c.Settings) })],
            EvalOnlyRuns = [.. plan.EvalOnlyRuns.Select(e => e with { Settings = Settings(e.Settings), CheckpointPath = Anchor(e.CheckpointPath) })],
            Tasks = [.. plan.Tasks.Select(t => t with { Script = Anchor(t.Script), Dataset = t.Dataset is null ? null : Anchor(t.Dataset) })],
        };
    }
}
