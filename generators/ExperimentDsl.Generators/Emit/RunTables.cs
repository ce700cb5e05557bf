using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ExperimentDsl.Generators.Models;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Generators.Emit;

/// <summary>
/// An experiment's runs and evaluations as columns: per member, its distinct values and each run's
/// index into them. Emitted as array literals (the compiler stores them as data) and a loop, the
/// code the JIT compiles on first use stays the same size however many runs there are.
/// </summary>
internal sealed class RunTables
{
    private RunTables(List<string> names, List<Column> definition, List<AxisColumn> axes, Cells? cells)
    {
        Names = names;
        Definition = definition;
        Axes = axes;
        Cells = cells;
    }

    public List<string> Names { get; }

    /// <summary>The members every run's definition assigns, in assignment order.</summary>
    public List<Column> Definition { get; }

    /// <summary>The varying axes in plan order.</summary>
    public List<AxisColumn> Axes { get; }

    /// <summary>The evaluation matrix, or null when it is empty.</summary>
    public Cells? Cells { get; }

    /// <summary>
    /// The tables of <paramref name="model"/>, or null when its runs do not share one shape (members,
    /// axes) or a value cannot be put in a typed column; the emitter then writes every run out.
    /// </summary>
    public static RunTables? From(ExperimentModel model)
    {
        EquatableArray<RunModel> runs = model.Runs;

        // The names are one string split at newlines: an empty list would read back as one empty name.
        if (runs.Count == 0 || runs.Any(r => r.Name.IndexOf('\n') >= 0 || r.Name.IndexOf('\r') >= 0))
        {
            return null;
        }

        RunModel first = runs[0];
        if (runs.Any(r => r.Assignments.Count != first.Assignments.Count || r.AxisValues.Count != first.AxisValues.Count))
        {
            return null;
        }

        var definition = new List<Column>();
        for (int m = 0; m < first.Assignments.Count; m++)
        {
            string member = first.Assignments[m].Member;
            if (runs.Any(r => r.Assignments[m].Member != member))
            {
                return null;
            }

            (List<string> values, int[] of) = Index(runs.Select(r => r.Assignments[m].Literal));
            if (ColumnType(values) is not string type)
            {
                return null;
            }

            definition.Add(new Column(member, Stem(member), type, values, of));
        }

        var axes = new List<AxisColumn>();
        for (int a = 0; a < first.AxisValues.Count; a++)
        {
            string axis = first.AxisValues[a].Axis;
            if (runs.Any(r => r.AxisValues[a].Axis != axis))
            {
                return null;
            }

            (List<string> texts, int[] of) = Index(runs.Select(r => r.AxisValues[a].Text));

            // An axis is a member: its texts follow the member's values, so they share its index column.
            Column? member = definition.FirstOrDefault(c => c.Of.SequenceEqual(of));
            axes.Add(new AxisColumn(axis, Stem(axis), texts, member, of));
        }

        Cells? cells = null;
        if (model.Evaluations.Count > 0)
        {
            cells = Cells.From(model);
            if (cells is null)
            {
                return null;
            }
        }

        var fields = definition.SelectMany(c => new[] { c.Stem + "Values", c.Stem + "Of" })
            .Concat(axes.SelectMany(a => new[] { a.Stem + "Texts", a.Stem + "TextOf" }))
            .ToList();
        if (fields.Any(f => !SyntaxFacts.IsValidIdentifier(f)) || fields.Distinct(StringComparer.Ordinal).Count() != fields.Count)
        {
            return null;
        }

        return new RunTables(runs.Select(r => r.Name).ToList(), definition, axes, cells);
    }

    /// <summary>The distinct items in order of first appearance, and each item's index among them.</summary>
    private static (List<string> Distinct, int[] Of) Index(IEnumerable<string> items)
    {
        var distinct = new List<string>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var of = new List<int>();
        foreach (string item in items)
        {
            if (!positions.TryGetValue(item, out int position))
            {
                position = distinct.Count;
                positions.Add(item, position);
                distinct.Add(item);
            }

            of.Add(position);
        }

        return (distinct, of.ToArray());
    }

    /// <summary>A field-name stem from a member or axis name: <c>@event</c> gives <c>event</c>.</summary>
    private static string Stem(string name) => name.StartsWith("@", StringComparison.Ordinal) ? name.Substring(1) : name;

    /// <summary>
    /// The C# element type that holds every literal of a column exactly and converts implicitly to the
    /// member (the literals the model builder writes: int, long, double, bool, string, enum members and
    /// null for int?), or null when the literals do not share one.
    /// </summary>
    private static string? ColumnType(List<string> literals)
    {
        bool hasNull = false;
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (string literal in literals)
        {
            if (literal == "null")
            {
                hasNull = true;
            }
            else if (TypeOf(literal) is string type)
            {
                types.Add(type);
            }
            else
            {
                return null;
            }
        }

        if (hasNull)
        {
            return types.Count == 0 || (types.Count == 1 && types.Contains("int")) ? "int?" : null;
        }

        return types.Count == 1 ? types.Single() : null;
    }

    private static string? TypeOf(string literal)
    {
        if (literal is "true" or "false")
        {
            return "bool";
        }

        if (literal.StartsWith("\"", StringComparison.Ordinal))
        {
            return "string";
        }

        if (literal is "global::System.Double.NaN" or "global::System.Double.PositiveInfinity" or "global::System.Double.NegativeInfinity")
        {
            return "double";
        }

        if (literal.StartsWith("global::", StringComparison.Ordinal))
        {
            // An enum member, global::Ns.Enum.Member: its type is everything before the last dot.
            int dot = literal.LastIndexOf('.');
            return dot > "global::".Length ? literal.Substring(0, dot) : null;
        }

        if (literal.EndsWith("d", StringComparison.Ordinal)
            && double.TryParse(literal.Substring(0, literal.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return "double";
        }

        if (literal.EndsWith("L", StringComparison.Ordinal)
            && long.TryParse(literal.Substring(0, literal.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return "long";
        }

        return int.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? "int" : null;
    }
}

/// <summary>A member every run assigns: its distinct value literals and each run's index into them.</summary>
internal sealed record Column(string Member, string Stem, string ElementType, List<string> Values, int[] Of);

/// <summary>
/// A varying axis: its distinct texts and each run's index into them, either the index column of the
/// member it follows (<paramref name="Member"/>) or its own (<paramref name="Of"/>).
/// </summary>
internal sealed record AxisColumn(string Axis, string Stem, List<string> Texts, Column? Member, int[] Of);

/// <summary>
/// The evaluation matrix: per cell, who is evaluated (a run's index; then the number of runs plus a
/// control's index; then past the controls an eval-only run's index), the task's index and the epoch
/// (-1 for none). <paramref name="VisLabels"/> maps labelled runs to their label.
/// </summary>
internal sealed record Cells(
    int[] Subject, int[] Task, int[] Epoch, List<string> ControlNames, List<string> TaskNames, List<string> EvalOnlyNames, List<VisLabelModel> VisLabels)
{
    /// <summary>The cells of <paramref name="model"/>, or null when one names a run, control or task the model does not list.</summary>
    public static Cells? From(ExperimentModel model)
    {
        // Names are compared as text: a cell holds only the name, so any entry with the same text gives the same cell.
        var subjects = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int r = 0; r < model.Runs.Count; r++)
        {
            if (!subjects.ContainsKey(model.Runs[r].Name))
            {
                subjects.Add(model.Runs[r].Name, r);
            }
        }

        var controlNames = model.Controls.Select(c => c.Name).ToList();
        for (int c = 0; c < controlNames.Count; c++)
        {
            if (!subjects.ContainsKey(controlNames[c]))
            {
                subjects.Add(controlNames[c], model.Runs.Count + c);
            }
        }

        var evalOnlyNames = model.EvalOnlyRuns.Select(e => e.Name).ToList();
        var evalOnlySubjects = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int e = 0; e < evalOnlyNames.Count; e++)
        {
            evalOnlySubjects[evalOnlyNames[e]] = model.Runs.Count + controlNames.Count + e;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var taskNames = model.Tasks.Select(t => t.Name).ToList();
        var subject = new int[model.Evaluations.Count];
        var task = new int[subject.Length];
        var epoch = new int[subject.Length];
        for (int i = 0; i < subject.Length; i++)
        {
            EvalCellModel cell = model.Evaluations[i];
            int t = taskNames.IndexOf(cell.TaskName);
            bool found = cell.IsEvalOnly ? evalOnlySubjects.TryGetValue(cell.RunName, out subject[i]) : subjects.TryGetValue(cell.RunName, out subject[i]);
            if (!found || t < 0 || cell.Epoch < 0)
            {
                return null;
            }

            // The emitted code looks the label up by name: every cell of a name must carry the same one.
            if (cell.VisLabel is not null)
            {
                if (!labels.TryGetValue(cell.RunName, out string? seen))
                {
                    labels.Add(cell.RunName, cell.VisLabel);
                }
                else if (seen != cell.VisLabel)
                {
                    return null;
                }
            }

            task[i] = t;
            epoch[i] = cell.Epoch ?? -1;
        }

        if (model.Evaluations.Any(c => c.VisLabel is null && labels.ContainsKey(c.RunName)))
        {
            return null;
        }

        return new Cells(subject, task, epoch, controlNames, taskNames, evalOnlyNames,
            labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new VisLabelModel(l.Key, l.Value)).ToList());
    }
}
