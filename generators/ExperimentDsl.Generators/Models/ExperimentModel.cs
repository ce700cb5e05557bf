namespace ExperimentDsl.Generators.Models;

/// <summary>
/// Everything the emitter writes for one experiment, pre-computed as text and numbers. Holds no
/// Roslyn object, so the incremental pipeline can compare it by value.
/// </summary>
/// <param name="MetadataName">E.g. <c>Lab.Outer+CapSweep</c>: hint name and ordering tie-break.</param>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the containing types, outermost first, e.g. <c>partial class Outer</c>.</param>
/// <param name="TypeName">The record's identifier.</param>
/// <param name="FullTypeName">The <c>global::</c>-qualified type name.</param>
/// <param name="DisplayName">The dotted type name without <c>global::</c>, used in <c>Source</c>.</param>
/// <param name="ExperimentName">The name given to <c>[Experiment]</c>.</param>
/// <param name="BaseDirectory">The declaring file's directory with <c>/</c> separators, or null.</param>
/// <param name="RunNamePattern">The run-name pattern as written, or the default one.</param>
/// <param name="VaryingAxes">Members whose value differs between runs, in declaration order.</param>
/// <param name="SettingMembers">Declared properties that set a RunSettings setting, in declaration order.</param>
/// <param name="Runs">The runs in plan order.</param>
/// <param name="Controls">The controls in declaration order.</param>
/// <param name="Tasks">The evaluation tasks in declaration order.</param>
/// <param name="Evaluations">The evaluation matrix in plan order.</param>
/// <param name="EvalOnlyRuns">The eval-only runs in declaration order.</param>
/// <param name="Evaluation">The decoding settings of every evaluation.</param>
internal sealed record ExperimentModel(
    string MetadataName,
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeName,
    string FullTypeName,
    string DisplayName,
    string ExperimentName,
    string? BaseDirectory,
    string RunNamePattern,
    EquatableArray<string> VaryingAxes,
    EquatableArray<string> SettingMembers,
    EquatableArray<RunModel> Runs,
    EquatableArray<ControlModel> Controls,
    EquatableArray<TaskModel> Tasks,
    EquatableArray<EvalCellModel> Evaluations,
    EquatableArray<EvalOnlyModel> EvalOnlyRuns,
    EvaluationModel Evaluation)
{
    public string HintName => MetadataName.Replace('+', '.') + ".g.cs";
}

/// <summary>One run: its name, the property assignments of its definition and its varying-axis texts.</summary>
internal sealed record RunModel(string Name, EquatableArray<Assignment> Assignments, EquatableArray<AxisText> AxisValues);

/// <summary>A property assignment in a run's object initializer; <paramref name="Literal"/> is C# source.</summary>
internal sealed record Assignment(string Member, string Literal);

/// <summary>A run's value on a varying axis as it appears in names.</summary>
internal sealed record AxisText(string Axis, string Text);

/// <summary>A control: its name (canonical model name) and the <c>Model</c> member literal.</summary>
internal sealed record ControlModel(string Name, string ModelLiteral);

/// <summary>An evaluation task; <paramref name="Prompt"/> and <paramref name="SystemPrompt"/> override the runs' when set.</summary>
internal sealed record TaskModel(string Name, string Script, string? Dataset, string? Description, string? Prompt = null, string? SystemPrompt = null);

/// <summary>
/// One evaluation; <paramref name="Epoch"/> is null for a control and an eval-only run.
/// <paramref name="VisLabel"/> is the run's [VisLabel], or null for its name.
/// </summary>
internal sealed record EvalCellModel(string RunName, string TaskName, int? Epoch, bool IsEvalOnly = false, string? VisLabel = null);

/// <summary>An [EvalOnly] run: its name, the <c>Model</c> literal of its base model and its checkpoint directory.</summary>
internal sealed record EvalOnlyModel(string Name, string ModelLiteral, string CheckpointPath);

/// <summary>A [VisLabel]: the run (fine-tuned, control or eval-only) and the label it is shown under.</summary>
internal sealed record VisLabelModel(string Run, string Label);

/// <summary>The [Evaluation] settings as C# literals, each null when not given (then not passed).</summary>
internal sealed record EvaluationModel(string? Temperature, string? DoSample, string? Seed, string? MaxTokens, string? MaxConnections)
{
    public static EvaluationModel None { get; } = new(null, null, null, null, null);

    public bool IsEmpty => Equals(None);
}

/// <summary>What the assembly-wide catalogue needs to know about one experiment.</summary>
internal sealed record CatalogEntry(string ExperimentName, string MetadataName, string FullTypeName);
