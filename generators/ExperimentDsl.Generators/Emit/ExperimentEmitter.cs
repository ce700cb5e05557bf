using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ExperimentDsl.Generators.Formatting;
using ExperimentDsl.Generators.Models;

namespace ExperimentDsl.Generators.Emit;

/// <summary>
/// Writes the members the generator adds to an experiment record: <c>Runs</c>, <c>Evaluations</c>,
/// <c>Plan</c> and <c>ToRunSettings()</c>. Data and glue only; the runtime does the rest.
/// </summary>
internal static class ExperimentEmitter
{
    private const string RunSettings = "global::ExperimentDsl.RunSettings";
    private const string EvalCell = "global::ExperimentDsl.EvalCell";

    /// <summary>
    /// Up to this many runs (and <see cref="ExplicitCells"/> evaluations) every run is written out, which
    /// reads best and costs the JIT a few milliseconds on first use. Beyond, runs are emitted as tables
    /// (<see cref="RunTables"/>): written out, the JIT spent ~0.4 s on 1,000 runs and ~4 s on 10,000;
    /// as tables, 5-20 ms for either.
    /// </summary>
    public const int ExplicitRuns = 16;

    /// <summary>See <see cref="ExplicitRuns"/>.</summary>
    public const int ExplicitCells = 64;

    public static string Emit(ExperimentModel model) =>
        Emit(model, model.Runs.Count > ExplicitRuns || model.Evaluations.Count > ExplicitCells ? RunTables.From(model) : null);

    /// <summary>Emits the runs as <paramref name="tables"/>, or every run written out when it is null.</summary>
    public static string Emit(ExperimentModel model, RunTables? tables)
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
            WriteRuns(w, model, tables);
            w.Line();
            WriteEvaluations(w, model, tables);
            w.Line();
            WritePlan(w, model, tables);
            w.Line();
            WriteToRunSettings(w, model);
            if (tables is not null)
            {
                w.Line();
                TableEmitter.Write(w, model, tables);
            }
        }

        for (int i = scopes.Count - 1; i >= 0; i--)
        {
            scopes[i].Dispose();
        }

        return w.ToString();
    }

    private static void WriteRuns(SourceWriter w, ExperimentModel model, RunTables? tables)
    {
        string run = "global::ExperimentDsl.Run<" + model.FullTypeName + ">";
        string head = "public static global::System.Collections.Generic.IReadOnlyList<" + run + "> Runs { get; } = ";
        w.Line("/// <summary>The runs of experiment <c>" + Xml(model.ExperimentName) + "</c> in plan order, each with its name and definition.</summary>");
        w.Line(GeneratedCode.Attribute);
        if (tables is not null)
        {
            w.Line(head + TableEmitter.ClassName + ".Runs();");
            return;
        }

        w.Array(
            head,
            run,
            model.Runs.Select(r => "new " + run + "(" + Literal.Of(r.Name) + ", new " + model.FullTypeName + Initializer(r) + ")").ToList(),
            ";");
    }

    private static void WriteEvaluations(SourceWriter w, ExperimentModel model, RunTables? tables)
    {
        string head = "public static global::System.Collections.Generic.IReadOnlyList<" + EvalCell + "> Evaluations { get; } = ";
        w.Line("/// <summary>The evaluation matrix: run x task x epoch in plan order, then control x task.</summary>");
        w.Line(GeneratedCode.Attribute);
        if (tables?.Cells is not null)
        {
            w.Line(head + TableEmitter.ClassName + ".Evaluations(Runs);");
            return;
        }

        w.Array(
            head,
            EvalCell,
            model.Evaluations.Select(c => "new " + EvalCell + "(" + Literal.Of(c.RunName) + ", " + Literal.Of(c.TaskName) + ", "
                + (c.Epoch is int e ? e.ToString(CultureInfo.InvariantCulture) : "null") + ")" + CellInitializer(c)).ToList(),
            ";");
    }

    private static string CellInitializer(EvalCellModel cell)
    {
        var parts = new List<string>();
        if (cell.IsEvalOnly)
        {
            parts.Add("IsEvalOnly = true");
        }

        if (cell.VisLabel is not null)
        {
            parts.Add("VisLabel = " + Literal.Of(cell.VisLabel));
        }

        return parts.Count == 0 ? string.Empty : " { " + string.Join(", ", parts) + " }";
    }

    private static void WritePlan(SourceWriter w, ExperimentModel model, RunTables? tables)
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
            w.Line("VaryingAxes = " + InlineArray("string", model.VaryingAxes.Select(Literal.Of)) + ",");
            if (tables is not null)
            {
                w.Line("Runs = " + TableEmitter.ClassName + ".PlannedRuns(Runs),");
            }
            else
            {
                w.Array("Runs = ", "global::ExperimentDsl.PlannedRun", model.Runs.Select((r, i) => PlannedRun(r, i)).ToList(), ",");
            }

            // A control evaluates the base model with the first run's settings (dataset, prompts).
            string baseSettings = model.Runs.Count > 0 ? "Runs[0].Definition.ToRunSettings()" : "new " + model.FullTypeName + "().ToRunSettings()";
            w.Array(
                "Controls = ",
                "global::ExperimentDsl.ControlRun",
                model.Controls.Select(c => "new global::ExperimentDsl.ControlRun(" + Literal.Of(c.Name) + ", " + baseSettings + " with { Model = " + c.ModelLiteral + " })").ToList(),
                ",");
            if (model.EvalOnlyRuns.Count > 0)
            {
                // Like a control: the first run's settings (dataset, prompts) with the checkpoint's base model.
                w.Array(
                    "EvalOnlyRuns = ",
                    "global::ExperimentDsl.EvalOnlyRun",
                    model.EvalOnlyRuns.Select(e => "new global::ExperimentDsl.EvalOnlyRun(" + Literal.Of(e.Name) + ", " + baseSettings + " with { Model = " + e.ModelLiteral + " }, "
                        + Literal.Of(e.CheckpointPath) + ")").ToList(),
                    ",");
            }

            if (!model.Evaluation.IsEmpty)
            {
                WriteEvaluationSettings(w, model.Evaluation);
            }

            w.Array(
                "Tasks = ",
                "global::ExperimentDsl.EvalTaskSpec",
                model.Tasks.Select(t => "new global::ExperimentDsl.EvalTaskSpec(" + Literal.Of(t.Name) + ", " + Literal.Of(t.Script) + ", "
                    + NullableLiteral(t.Dataset) + ", " + NullableLiteral(t.Description)
                    + (t.Prompt is null ? string.Empty : ", Prompt: " + Literal.Of(t.Prompt))
                    + (t.SystemPrompt is null ? string.Empty : ", SystemPrompt: " + Literal.Of(t.SystemPrompt)) + ")").ToList(),
                ",");

            w.Line("Evaluations = Evaluations,");
        }
    }

    private static void WriteEvaluationSettings(SourceWriter w, EvaluationModel evaluation)
    {
        w.Line("Evaluation = new global::ExperimentDsl.EvaluationSettings");
        using (w.Block(string.Empty, "},"))
        {
            (string Name, string? Literal)[] settings =
            [
                (KnownNames.EvaluationMembers.Temperature, evaluation.Temperature),
                (KnownNames.EvaluationMembers.DoSample, evaluation.DoSample),
                (KnownNames.EvaluationMembers.Seed, evaluation.Seed),
                (KnownNames.EvaluationMembers.MaxTokens, evaluation.MaxTokens),
                (KnownNames.EvaluationMembers.MaxConnections, evaluation.MaxConnections),
            ];
            foreach ((string name, string? literal) in settings.Where(s => s.Literal is not null))
            {
                w.Line(name + " = " + literal + ",");
            }
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

    private static string Initializer(RunModel run) => run.Assignments.Count == 0
        ? "()"
        : " { " + string.Join(", ", run.Assignments.Select(a => a.Member + " = " + a.Literal)) + " }";

    private static string PlannedRun(RunModel run, int index)
    {
        string i = index.ToString(CultureInfo.InvariantCulture);
        string axes = InlineArray("global::ExperimentDsl.AxisValue", run.AxisValues.Select(a => "new global::ExperimentDsl.AxisValue(" + Literal.Of(a.Axis) + ", " + Literal.Of(a.Text) + ")"));
        return "new global::ExperimentDsl.PlannedRun(Runs[" + i + "].Name, Runs[" + i + "].Definition.ToRunSettings(), " + axes + ")";
    }

    private static string InlineArray(string elementType, IEnumerable<string> items)
    {
        string joined = string.Join(", ", items);
        return joined.Length == 0 ? "global::System.Array.Empty<" + elementType + ">()" : "new " + elementType + "[] { " + joined + " }";
    }

    private static string NullableLiteral(string? text) => text is null ? "null" : Literal.Of(text);

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
