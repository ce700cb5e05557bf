using ExperimentDsl.Generators.Extraction;

namespace ExperimentDsl.Generators.Models;

/// <summary>
/// The compact model the incremental pipeline caches for one experiment: what was declared (axes
/// with their values, pairs, exclusions, extra runs, pattern, tasks, epochs, controls), pre-formatted,
/// without the runs. Its size grows with the axis values, not with the grid; the output step expands
/// it (<see cref="Planning.RunExpansion"/>) only when it changed.
/// </summary>
/// <param name="MetadataName">E.g. <c>Lab.Outer+CapSweep</c>: hint name and ordering tie-break.</param>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the containing types, outermost first.</param>
/// <param name="TypeName">The record's identifier.</param>
/// <param name="FullTypeName">The <c>global::</c>-qualified type name.</param>
/// <param name="DisplayName">The dotted type name without <c>global::</c>.</param>
/// <param name="ExperimentName">The name given to <c>[Experiment]</c>.</param>
/// <param name="BaseDirectory">The declaring file's directory with <c>/</c> separators, or null.</param>
/// <param name="SettingMembers">Declared properties that set a RunSettings setting, in declaration order.</param>
/// <param name="Dimensions">Members that runs may set (axes and members set by extra runs), in declaration order.</param>
/// <param name="Units">Grid units in axis order: indices into <paramref name="Dimensions"/> (a paired group has several).</param>
/// <param name="Exclusions">Each [Exclude]: the dimension values a run must all have to be left out.</param>
/// <param name="ExtraRuns">Each [ExtraRun]: the dimension values it sets.</param>
/// <param name="RunNamePattern">The [RunName] pattern as written (already checked), or null for the default names.</param>
/// <param name="NameParts">The parsed [RunName] pattern; empty for the default names.</param>
/// <param name="ModelMember">The Model setting member, or null when the record declares none.</param>
/// <param name="EpochsMember">The Epochs setting member, or null when the record declares none.</param>
/// <param name="Controls">The well-formed [Control]s in declaration order.</param>
/// <param name="Tasks">The well-formed [EvalTask]s in declaration order.</param>
/// <param name="EvalEpochs">The experiment's epoch choice, or null when [EvalEpochs] is malformed.</param>
/// <param name="EvalOnlyRuns">The well-formed [EvalOnly] runs in declaration order (names checked against the runs by the expansion).</param>
/// <param name="VisLabels">The well-formed [VisLabel]s in declaration order (run names checked by the expansion).</param>
/// <param name="Evaluation">The [Evaluation] decoding settings (each null when left out).</param>
/// <param name="FixedSettings">Setting members that are not dimensions, with their constant value: every run has it.</param>
internal sealed record ExperimentSpec(
    string MetadataName,
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeName,
    string FullTypeName,
    string DisplayName,
    string ExperimentName,
    string? BaseDirectory,
    EquatableArray<string> SettingMembers,
    EquatableArray<DimensionSpec> Dimensions,
    EquatableArray<EquatableArray<int>> Units,
    EquatableArray<EquatableArray<DimensionValue>> Exclusions,
    EquatableArray<EquatableArray<DimensionValue>> ExtraRuns,
    string? RunNamePattern,
    EquatableArray<NamePart> NameParts,
    SettingMemberSpec? ModelMember,
    SettingMemberSpec? EpochsMember,
    EquatableArray<ControlSpec> Controls,
    EquatableArray<TaskSpec> Tasks,
    EpochChoiceSpec? EvalEpochs,
    EquatableArray<EvalOnlyModel> EvalOnlyRuns,
    EquatableArray<VisLabelModel> VisLabels,
    EvaluationModel Evaluation,
    EquatableArray<FixedSetting> FixedSettings);

/// <summary>A setting member every run has the same constant value of.</summary>
internal sealed record FixedSetting(string Name, Value Value);

/// <summary>A member runs may set: its sweep values when it is an axis, else its fixed value.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Identifier">The name as a C# identifier (escaped when it is a keyword).</param>
/// <param name="Prefix">Its prefix in default run names.</param>
/// <param name="IsModel">Its type is the model catalogue enum.</param>
/// <param name="IsModelSetting">It is the Model setting (default names drop its prefix).</param>
/// <param name="Fixed">Its value when not swept.</param>
/// <param name="Sweep">Its sweep values without repeats; empty when it is not an axis.</param>
internal sealed record DimensionSpec(string Name, string Identifier, string Prefix, bool IsModel, bool IsModelSetting, Value? Fixed, EquatableArray<Value> Sweep)
{
    public bool IsAxis => Sweep.Count > 0;
}

/// <summary>A dimension's value, as [Exclude] and [ExtraRun] list them.</summary>
internal sealed record DimensionValue(int Dimension, Value Value);

/// <summary>A part of a run-name pattern: literal text, or a member read from the run (a dimension) or its fixed value.</summary>
internal sealed record NamePart(bool IsMember, string Text, int Dimension, Value? Fixed);

/// <summary>A setting member the expansion reads (Model, Epochs): its dimension index (-1 when it is none) and fixed value.</summary>
internal sealed record SettingMemberSpec(int Dimension, Value? Fixed);

/// <summary>A [Control]: its model, or null for the experiment's own model.</summary>
internal sealed record ControlSpec(Value? Model);

/// <summary>An [EvalTask] and what the matrix needs to know about it.</summary>
/// <param name="Task">The task as the plan lists it.</param>
/// <param name="Epochs">Its own epoch choice, or null for the experiment's.</param>
/// <param name="Runs">The runs it is limited to, or null for all runs.</param>
/// <param name="Controls">Whether controls are evaluated on it.</param>
internal sealed record TaskSpec(TaskModel Task, EpochChoiceSpec? Epochs, EquatableArray<string>? Runs, bool Controls);

/// <summary>Epochs to evaluate: all, the last, or a list.</summary>
internal sealed record EpochChoiceSpec(bool All, bool Last, EquatableArray<int> List);
