using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ExperimentDsl.Generators.Formatting;
using ExperimentDsl.Generators.Models;

namespace ExperimentDsl.Generators.Emit;

/// <summary>
/// Writes the nested class that builds <c>Runs</c>, the plan's runs and <c>Evaluations</c> from
/// <see cref="RunTables"/>: array literals plus one loop each, instead of one expression per run.
/// </summary>
internal static class TableEmitter
{
    /// <summary>The nested class; the double underscore keeps it clear of the record's own members.</summary>
    public const string ClassName = "__ExperimentDslTables";

    private const string PlannedRun = "global::ExperimentDsl.PlannedRun";
    private const string AxisValue = "global::ExperimentDsl.AxisValue";
    private const string EvalCell = "global::ExperimentDsl.EvalCell";

    /// <summary>Numbers per line in the index columns.</summary>
    private const int PerLine = 32;

    public static void Write(SourceWriter w, ExperimentModel model, RunTables tables)
    {
        string run = "global::ExperimentDsl.Run<" + model.FullTypeName + ">";
        string runList = "global::System.Collections.Generic.IReadOnlyList<" + run + ">";

        w.Line("/// <summary>");
        w.Line("/// The runs and evaluations of this experiment as tables: a member's distinct values, and each");
        w.Line("/// run's index into them. Array literals are stored as data, so the code stays the same size");
        w.Line("/// however many runs there are.");
        w.Line("/// </summary>");
        w.Line(GeneratedCode.Attribute);
        using (w.Block("private static class " + ClassName))
        {
            w.Line("/// <summary>The run names in plan order, one a line.</summary>");
            w.Line("private const string RunNameLines =");
            w.Line("@\"" + string.Join("\n", tables.Names.Select(n => n.Replace("\"", "\"\""))) + "\";");

            foreach (Column column in tables.Definition)
            {
                w.Line();
                w.Line("/// <summary>The distinct values of <c>" + column.Member + "</c>.</summary>");
                w.Line("private static readonly " + column.ElementType + "[] " + column.Stem + "Values = new " + column.ElementType + "[] { " + string.Join(", ", column.Values) + " };");
                w.Line();
                w.Line("/// <summary>Each run's <c>" + column.Member + "</c>: an index into <c>" + column.Stem + "Values</c>.</summary>");
                WriteIndices(w, "private static readonly ", column.Stem + "Of", column.Of);
            }

            foreach (AxisColumn axis in tables.Axes)
            {
                w.Line();
                string of = axis.Member is null ? axis.Stem + "TextOf" : axis.Member.Stem + "Of";
                w.Line("/// <summary>The distinct texts of axis <c>" + axis.Axis + "</c>, indexed by <c>" + of + "</c>.</summary>");
                w.Line("private static readonly string[] " + axis.Stem + "Texts = new string[] { " + string.Join(", ", axis.Texts.Select(Literal.Of)) + " };");
                if (axis.Member is null)
                {
                    w.Line();
                    w.Line("/// <summary>Each run's text of axis <c>" + axis.Axis + "</c>: an index into <c>" + axis.Stem + "Texts</c>.</summary>");
                    WriteIndices(w, "private static readonly ", of, axis.Of);
                }
            }

            if (tables.Cells is { } cells)
            {
                w.Line();
                WriteCellTables(w, cells);
            }

            w.Line();
            WriteRuns(w, model, tables, run);
            w.Line();
            WritePlannedRuns(w, tables, runList);
            if (tables.Cells is { } withCells)
            {
                w.Line();
                WriteEvaluations(w, withCells, runList);
            }
        }
    }

    private static void WriteCellTables(SourceWriter w, Cells cells)
    {
        w.Line("/// <summary>The task names, indexed by <c>EvaluationTask</c>.</summary>");
        w.Line("private static readonly string[] TaskNames = new string[] { " + string.Join(", ", cells.TaskNames.Select(Literal.Of)) + " };");
        if (cells.ControlNames.Count > 0)
        {
            w.Line();
            w.Line("/// <summary>The control names; <c>EvaluationRun</c> counts them after the runs.</summary>");
            w.Line("private static readonly string[] ControlNames = new string[] { " + string.Join(", ", cells.ControlNames.Select(Literal.Of)) + " };");
        }

        if (cells.EvalOnlyNames.Count > 0)
        {
            w.Line();
            w.Line("/// <summary>The eval-only run names; <c>EvaluationRun</c> counts them after the runs and controls.</summary>");
            w.Line("private static readonly string[] EvalOnlyNames = new string[] { " + string.Join(", ", cells.EvalOnlyNames.Select(Literal.Of)) + " };");
        }

        if (cells.VisLabels.Count > 0)
        {
            w.Line();
            w.Line("/// <summary>The [VisLabel] of a run, control or eval-only run, or null.</summary>");
            w.Line("private static string? VisLabelOf(string run) => run switch");
            using (w.Block(string.Empty, "};"))
            {
                foreach (VisLabelModel label in cells.VisLabels)
                {
                    w.Line(Literal.Of(label.Run) + " => " + Literal.Of(label.Label) + ",");
                }

                w.Line("_ => null,");
            }
        }

        w.Line();
        w.Line("/// <summary>Each evaluation's run: an index into the runs" + (cells.ControlNames.Count > 0 ? ", then into <c>ControlNames</c>" : string.Empty)
            + (cells.EvalOnlyNames.Count > 0 ? ", then into <c>EvalOnlyNames</c>" : string.Empty) + ".</summary>");
        WriteIndices(w, "private static readonly ", "EvaluationRun", cells.Subject);
        w.Line();
        w.Line("/// <summary>Each evaluation's task: an index into <c>TaskNames</c>.</summary>");
        WriteIndices(w, "private static readonly ", "EvaluationTask", cells.Task);
        w.Line();
        w.Line("/// <summary>Each evaluation's epoch, -1 for none (a control).</summary>");
        WriteIndices(w, "private static readonly ", "EvaluationEpoch", cells.Epoch);
    }

    private static void WriteRuns(SourceWriter w, ExperimentModel model, RunTables tables, string run)
    {
        w.Line("/// <summary>The runs in plan order.</summary>");
        using (w.Block("internal static " + run + "[] Runs()"))
        {
            w.Line("string[] names = RunNameLines.Split('\\n');");
            w.Line("var runs = new " + run + "[names.Length];");
            using (w.Block("for (int i = 0; i < runs.Length; i++)"))
            {
                if (tables.Definition.Count == 0)
                {
                    w.Line("runs[i] = new " + run + "(names[i], new " + model.FullTypeName + "());");
                }
                else
                {
                    w.Line("runs[i] = new " + run + "(names[i], new " + model.FullTypeName);
                    using (w.Block(string.Empty, "});"))
                    {
                        foreach (Column column in tables.Definition)
                        {
                            w.Line(column.Member + " = " + column.Stem + "Values[" + column.Stem + "Of[i]],");
                        }
                    }
                }
            }

            w.Line();
            w.Line("return runs;");
        }
    }

    private static void WritePlannedRuns(SourceWriter w, RunTables tables, string runList)
    {
        w.Line("/// <summary>The plan's runs: each run's settings and its varying-axis values.</summary>");
        using (w.Block("internal static " + PlannedRun + "[] PlannedRuns(" + runList + " runs)"))
        {
            w.Line("var planned = new " + PlannedRun + "[runs.Count];");
            using (w.Block("for (int i = 0; i < planned.Length; i++)"))
            {
                const string head = "planned[i] = new " + PlannedRun + "(runs[i].Name, runs[i].Definition.ToRunSettings(), ";
                if (tables.Axes.Count == 0)
                {
                    w.Line(head + "global::System.Array.Empty<" + AxisValue + ">());");
                }
                else
                {
                    w.Line(head + "new " + AxisValue + "[]");
                    using (w.Block(string.Empty, "});"))
                    {
                        foreach (AxisColumn axis in tables.Axes)
                        {
                            string of = axis.Member is null ? axis.Stem + "TextOf" : axis.Member.Stem + "Of";
                            w.Line("new " + AxisValue + "(" + Literal.Of(axis.Axis) + ", " + axis.Stem + "Texts[" + of + "[i]]),");
                        }
                    }
                }
            }

            w.Line();
            w.Line("return planned;");
        }
    }

    private static void WriteEvaluations(SourceWriter w, Cells cells, string runList)
    {
        w.Line("/// <summary>The evaluation matrix in plan order.</summary>");
        using (w.Block("internal static " + EvalCell + "[] Evaluations(" + runList + " runs)"))
        {
            w.Line("var cells = new " + EvalCell + "[EvaluationRun.Length];");
            using (w.Block("for (int i = 0; i < cells.Length; i++)"))
            {
                w.Line("int run = EvaluationRun[i];");
                w.Line("int epoch = EvaluationEpoch[i];");
                string controls = cells.ControlNames.Count > 0 ? "ControlNames[run - runs.Count]" : string.Empty;
                string evalOnly = cells.EvalOnlyNames.Count > 0
                    ? "EvalOnlyNames[run - runs.Count" + (cells.ControlNames.Count > 0 ? " - ControlNames.Length" : string.Empty) + "]"
                    : string.Empty;
                string who = (controls, evalOnly) switch
                {
                    ("", "") => "runs[run].Name",
                    (_, "") => "run < runs.Count ? runs[run].Name : " + controls,
                    ("", _) => "run < runs.Count ? runs[run].Name : " + evalOnly,
                    _ => "run < runs.Count ? runs[run].Name : run < runs.Count + ControlNames.Length ? " + controls + " : " + evalOnly,
                };
                var initializer = new List<string>();
                if (cells.EvalOnlyNames.Count > 0)
                {
                    initializer.Add("IsEvalOnly = run >= runs.Count" + (cells.ControlNames.Count > 0 ? " + ControlNames.Length" : string.Empty));
                }

                if (cells.VisLabels.Count > 0)
                {
                    initializer.Add("VisLabel = VisLabelOf(name)");
                }

                if (initializer.Count == 0)
                {
                    w.Line("cells[i] = new " + EvalCell + "(" + who + ", TaskNames[EvaluationTask[i]], epoch < 0 ? (int?)null : epoch);");
                }
                else
                {
                    w.Line("string name = " + who + ";");
                    w.Line("cells[i] = new " + EvalCell + "(name, TaskNames[EvaluationTask[i]], epoch < 0 ? (int?)null : epoch) { " + string.Join(", ", initializer) + " };");
                }
            }

            w.Line();
            w.Line("return cells;");
        }
    }

    /// <summary>A numeric array literal in the smallest element type that holds every number (the compiler stores it as data).</summary>
    private static void WriteIndices(SourceWriter w, string modifiers, string name, int[] numbers)
    {
        int min = numbers.Length == 0 ? 0 : numbers.Min();
        int max = numbers.Length == 0 ? 0 : numbers.Max();
        string type = min >= 0
            ? (max <= byte.MaxValue ? "byte" : max <= ushort.MaxValue ? "ushort" : "int")
            : (min >= sbyte.MinValue && max <= sbyte.MaxValue ? "sbyte" : min >= short.MinValue && max <= short.MaxValue ? "short" : "int");
        w.Line(modifiers + type + "[] " + name + " = new " + type + "[]");
        using (w.Block(string.Empty, "};"))
        {
            var line = new StringBuilder();
            for (int i = 0; i < numbers.Length; i++)
            {
                line.Append(line.Length == 0 ? string.Empty : " ").Append(numbers[i].ToString(CultureInfo.InvariantCulture)).Append(',');
                if (line.Length > 0 && ((i + 1) % PerLine == 0 || i == numbers.Length - 1))
                {
                    w.Line(line.ToString());
                    line.Clear();
                }
            }
        }
    }
}
