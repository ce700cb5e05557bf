using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ExperimentDsl.Generators.Formatting;
using ExperimentDsl.Generators.Model;

namespace ExperimentDsl.Generators.Emit;

/// <summary>
/// Writes the members the generator adds to an experiment record: <c>Runs</c>, <c>Evaluations</c>,
/// <c>Plan</c> and <c>ToRunSettings()</c>. Data and glue only; the runtime does the rest.
/// </summary>
internal static class ExperimentEmitter
{
    private const string RunSettings = "global::ExperimentDsl.RunSettings";
    private const string EvalCell = "global::ExperimentDsl.EvalCell";

    public static string Emit(ExperimentModel model)
    {
        var w = new SourceWriter();
        w.Lines(GeneratedCode.Header).Line();

        var scopes = new List<SourceWriter.Scope>();
        if (model.Namespace.Length > 0)
        {
            scopes.Add(w.Block("namespace " + model.Namespace));
        }

        foreach (string outer in model.ContainingTypes)
        {
            scopes.Add(w.Block(outer));
        }

        using (w.Block("partial record " + model.TypeName))
        {
            WriteRuns(w, model);
            w.Line();
            WriteEvaluations(w, model);
            w.Line();
            WritePlan(w, model);
            w.Line();
            WriteToRunSettings(w, model);
        }

        for (int i = scopes.Count - 1; i >= 0; i--)
        {
            scopes[i].Dispose();
        }

        return w.ToString();
    }

    private static void WriteRuns(SourceWriter w, ExperimentModel model)
    {
        string run = "global::ExperimentDsl.Run<" + model.FullTypeName + ">";
        w.Line("/// <summary>The runs of experiment <c>" + Xml(model.ExperimentName) + "</c> in plan order, each with its name and definition.</summary>");
        w.Line(GeneratedCode.Attribute);
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<" + run + "> Runs { get; } = new " + run + "[]");
        using (w.Block(string.Empty, "};"))
        {
            foreach (RunModel r in model.Runs)
            {
                string initializer = r.Assignments.Count == 0
                    ? "()"
                    : " { " + string.Join(", ", r.Assignments.Select(a => a.Member + " = " + a.Literal)) + " }";
                w.Line("new " + run + "(" + Literal.Of(r.Name) + ", new " + model.FullTypeName + initializer + "),");
            }
        }
    }

    private static void WriteEvaluations(SourceWriter w, ExperimentModel model)
    {
        w.Line("/// <summary>The evaluation matrix: run x task x epoch in plan order, then control x task.</summary>");
        w.Line(GeneratedCode.Attribute);
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<" + EvalCell + "> Evaluations { get; } = new " + EvalCell + "[]");
        using (w.Block(string.Empty, "};"))
        {
            foreach (EvalCellModel cell in model.Evaluations)
            {
                string epoch = cell.Epoch is int e ? e.ToString(CultureInfo.InvariantCulture) : "null";
                w.Line("new " + EvalCell + "(" + Literal.Of(cell.RunName) + ", " + Literal.Of(cell.TaskName) + ", " + epoch + "),");
            }
        }
    }

    private static void WritePlan(SourceWriter w, ExperimentModel model)
    {
        w.Line("/// <summary>The plan of experiment <c>" + Xml(model.ExperimentName) + "</c>, as the runtime consumes it.</summary>");
        w.Line(GeneratedCode.Attribute);
        w.Line("public static global::ExperimentDsl.ExperimentPlan Plan { get; } = new global::ExperimentDsl.ExperimentPlan");
        using (w.Block(string.Empty, "};"))
        {
            w.Line("Name = " + Literal.Of(model.ExperimentName) + ",");
            w.Line("Source = " + Literal.Of("C# record " + model.DisplayName) + ",");
            w.Line("BaseDirectory = " + (model.BaseDirectory is null ? "null" : Literal.Of(model.BaseDirectory)) + ",");
            w.Line("RunNamePattern = " + Literal.Of(model.RunNamePattern) + ",");
            w.Line("VaryingAxes = new string[] { " + string.Join(", ", model.VaryingAxes.Select(Literal.Of)) + " },");
            w.Line("Runs = new global::ExperimentDsl.PlannedRun[]");
            using (w.Block(string.Empty, "},"))
            {
                for (int i = 0; i < model.Runs.Count; i++)
                {
                    string index = i.ToString(CultureInfo.InvariantCulture);
                    string axes = string.Join(", ", model.Runs[i].AxisValues.Select(a => "new global::ExperimentDsl.AxisValue(" + Literal.Of(a.Axis) + ", " + Literal.Of(a.Text) + ")"));
                    w.Line("new global::ExperimentDsl.PlannedRun(Runs[" + index + "].Name, Runs[" + index + "].Definition.ToRunSettings(), new global::ExperimentDsl.AxisValue[] { " + axes + " }),");
                }
            }

            // A control evaluates the base model with the first run's settings (dataset, prompts).
            string baseSettings = model.Runs.Count > 0 ? "Runs[0].Definition.ToRunSettings()" : "new " + model.FullTypeName + "().ToRunSettings()";
            w.Line("Controls = new global::ExperimentDsl.ControlRun[]");
            using (w.Block(string.Empty, "},"))
            {
                foreach (ControlModel control in model.Controls)
                {
                    w.Line("new global::ExperimentDsl.ControlRun(" + Literal.Of(control.Name) + ", " + baseSettings + " with { Model = " + control.ModelLiteral + " }),");
                }
            }

            w.Line("Tasks = new global::ExperimentDsl.EvalTaskSpec[]");
            using (w.Block(string.Empty, "},"))
            {
                foreach (TaskModel task in model.Tasks)
                {
                    w.Line("new global::ExperimentDsl.EvalTaskSpec(" + Literal.Of(task.Name) + ", " + Literal.Of(task.Script) + ", "
                        + NullableLiteral(task.Dataset) + ", " + NullableLiteral(task.Description) + "),");
                }
            }

            w.Line("Evaluations = Evaluations,");
        }
    }

    private static void WriteToRunSettings(SourceWriter w, ExperimentModel model)
    {
        w.Line("/// <summary>The settings of this run: the record's setting properties over RunSettings' defaults.</summary>");
        w.Line(GeneratedCode.Attribute);
        w.Line("public " + RunSettings + " ToRunSettings() => new " + RunSettings);
        using (w.Block(string.Empty, "};"))
        {
            foreach (string member in model.SettingMembers)
            {
                w.Line(member + " = this." + member + ",");
            }
        }
    }

    private static string NullableLiteral(string? text) => text is null ? "null" : Literal.Of(text);

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
