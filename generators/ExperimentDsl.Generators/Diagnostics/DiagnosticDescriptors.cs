using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Diagnostics;

/// <summary>Every rule of ExperimentDsl. IDs are stable; DIAGNOSTICS.md documents each one.</summary>
internal static class DiagnosticDescriptors
{
    private const string Usage = "ExperimentDsl.Usage";
    private const string Naming = "ExperimentDsl.Naming";
    private const string Evaluation = "ExperimentDsl.Evaluation";
    // Relative to the root of the ExperimentDsl package, which ships DIAGNOSTICS.md there (and to the
    // generator's folder in this repository). There is no public web copy to link to.
    private const string HelpRoot = "DIAGNOSTICS.md#";

    public static readonly DiagnosticDescriptor NotPartial = Error(DiagnosticIds.NotPartial, Usage,
        "Experiment types must be partial",
        "'{0}' must be declared partial so that the generator can add the experiment's runs and plan");

    public static readonly DiagnosticDescriptor SweepValueNotConvertible = Error(DiagnosticIds.SweepValueNotConvertible, Usage,
        "Value cannot be converted to the property's type",
        "Value {1} for '{0}' cannot be converted to {2}");

    public static readonly DiagnosticDescriptor UnsupportedSweepMember = Error(DiagnosticIds.UnsupportedSweepMember, Usage,
        "Property cannot be swept",
        "'{0}' cannot be swept: {1}");

    public static readonly DiagnosticDescriptor SettingWrongType = Error(DiagnosticIds.SettingWrongType, Usage,
        "Setting property has the wrong type",
        "'{0}' sets RunSettings.{0}, which is {1}, but is declared as {2}");

    public static readonly DiagnosticDescriptor EmptySweep = Error(DiagnosticIds.EmptySweep, Usage,
        "Sweep has no values",
        "[Sweep] on '{0}' lists no values");

    public static readonly DiagnosticDescriptor DuplicateSweepValue = Warning(DiagnosticIds.DuplicateSweepValue, Usage,
        "Sweep repeats a value",
        "[Sweep] on '{0}' lists the value {1} more than once; the repeat is ignored");

    public static readonly DiagnosticDescriptor InvalidRunNamePattern = Error(DiagnosticIds.InvalidRunNamePattern, Naming,
        "Run-name pattern is invalid",
        "Run-name pattern \"{0}\" is invalid: {1}");

    public static readonly DiagnosticDescriptor RunNameCollision = Error(DiagnosticIds.RunNameCollision, Naming,
        "Two runs get the same name",
        "Run name '{0}' is given to more than one run: {1}");

    public static readonly DiagnosticDescriptor UnsafeRunName = Error(DiagnosticIds.UnsafeRunName, Naming,
        "Run name is not a safe directory name",
        "Run name '{0}' is not a safe directory name: {1}");

    public static readonly DiagnosticDescriptor UnsafeExperimentName = Error(DiagnosticIds.UnsafeExperimentName, Naming,
        "Experiment name is not a safe directory name",
        "Experiment name '{0}' is not a safe directory name: {1}");

    public static readonly DiagnosticDescriptor EvalEpochOutOfRange = Error(DiagnosticIds.EvalEpochOutOfRange, Evaluation,
        "Evaluation epoch is outside the run's epochs",
        "Evaluation epoch {0} does not exist in run '{1}': it trains {2} epoch(s), so epochs 0 to {3} can be evaluated");

    public static readonly DiagnosticDescriptor InvalidEvalTask = Error(DiagnosticIds.InvalidEvalTask, Evaluation,
        "Evaluation task is invalid",
        "Evaluation task '{0}' is invalid: {1}");

    public static readonly DiagnosticDescriptor DuplicateEvalTask = Error(DiagnosticIds.DuplicateEvalTask, Evaluation,
        "Evaluation task is declared twice",
        "Evaluation task '{0}' is declared more than once");

    public static readonly DiagnosticDescriptor UnknownEvalRun = Error(DiagnosticIds.UnknownEvalRun, Evaluation,
        "Evaluation task names an unknown run",
        "Evaluation task '{0}' lists run '{1}', which is not a run of this experiment (runs: {2})");

    public static readonly DiagnosticDescriptor InvalidPairing = Error(DiagnosticIds.InvalidPairing, Usage,
        "Paired axes are invalid",
        "[Paired] is invalid: {0}");

    public static readonly DiagnosticDescriptor UnknownMember = Error(DiagnosticIds.UnknownMember, Usage,
        "Attribute names a member that cannot be used",
        "[{0}] names '{1}', which is not {2}");

    public static readonly DiagnosticDescriptor MalformedMemberValueList = Error(DiagnosticIds.MalformedMemberValueList, Usage,
        "Member/value list is malformed",
        "[{0}] has a malformed member/value list: {1}");

    public static readonly DiagnosticDescriptor ValueOutOfRange = Error(DiagnosticIds.ValueOutOfRange, Usage,
        "Setting value is out of range",
        "{0} = {1} is out of range: {2}");

    public static readonly DiagnosticDescriptor PromptTemplateWithoutInput = Error(DiagnosticIds.PromptTemplateWithoutInput, Usage,
        "Prompt template lacks {input}",
        "PromptTemplate {0} does not contain the placeholder {{input}}");

    public static readonly DiagnosticDescriptor TooManyRuns = Warning(DiagnosticIds.TooManyRuns, Usage,
        "Experiment has more runs than the configured limit",
        "Experiment '{0}' has {1} runs, more than ExperimentDsl_MaxRuns ({2})");

    public static readonly DiagnosticDescriptor NotAnExperimentType = Error(DiagnosticIds.NotAnExperimentType, Usage,
        "Type cannot be an experiment",
        "'{0}' cannot be an experiment: {1}");

    public static readonly DiagnosticDescriptor GridBeyondCeiling = Error(DiagnosticIds.GridBeyondCeiling, Usage,
        "Experiment is too large to generate",
        "Experiment '{0}' would have {1} runs; the generator emits at most {2}");

    public static readonly DiagnosticDescriptor NotConstant = Error(DiagnosticIds.NotConstant, Usage,
        "Value must be known at compile time",
        "'{0}' must have a constant initializer because {1}");

    public static readonly DiagnosticDescriptor BaseRecordMemberIgnored = Error(DiagnosticIds.BaseRecordMemberIgnored, Usage,
        "Setting declared on a base record is ignored",
        "'{0}' is declared on the base record '{1}', but only the experiment record's own properties are read; redeclare it in the experiment record");

    public static readonly DiagnosticDescriptor DuplicateExperimentName = Error(DiagnosticIds.DuplicateExperimentName, Naming,
        "Two experiments have the same name",
        "Experiment name '{0}' is also used by '{1}'; both would scaffold into one directory");

    // A warning: the property only sets the threshold of the EXD020 warning, so the build can go on with the default.
    public static readonly DiagnosticDescriptor InvalidMaxRuns = Warning(DiagnosticIds.InvalidMaxRuns, Usage,
        "ExperimentDsl_MaxRuns is not a positive integer",
        "The MSBuild property ExperimentDsl_MaxRuns is '{0}', which is not a positive integer; the default limit {1} applies. Set it to a whole number of runs, e.g. <ExperimentDsl_MaxRuns>5000</ExperimentDsl_MaxRuns>.");

    public static readonly DiagnosticDescriptor UnsafeEvalOnlyName = Error(DiagnosticIds.UnsafeEvalOnlyName, Naming,
        "Eval-only run name is not a safe directory name",
        "Eval-only run name '{0}' is not a safe directory name: {1}; rename it");

    public static readonly DiagnosticDescriptor InvalidCheckpointPath = Error(DiagnosticIds.InvalidCheckpointPath, Evaluation,
        "Eval-only run has an invalid checkpoint path",
        "Eval-only run '{0}' has checkpoint path {1}, which {2}; give the checkpoint directory to evaluate (absolute, or relative to the folder of the experiment's source file)");

    public static readonly DiagnosticDescriptor EvalOnlyNameClash = Error(DiagnosticIds.EvalOnlyNameClash, Naming,
        "Eval-only run name is already taken",
        "Eval-only run '{0}' has the name of {1}, so both would share a directory and results; rename the eval-only run");

    public static readonly DiagnosticDescriptor VisLabelUnknownRun = Error(DiagnosticIds.VisLabelUnknownRun, Evaluation,
        "[VisLabel] names an unknown run",
        "[VisLabel] names '{0}', which is no run, control or eval-only run of this experiment (known: {1}); use one of those names");

    public static readonly DiagnosticDescriptor DuplicateVisLabel = Error(DiagnosticIds.DuplicateVisLabel, Evaluation,
        "Run has more than one [VisLabel]",
        "Run '{0}' already has the [VisLabel] {1}; keep one label per run");

    public static readonly DiagnosticDescriptor InvalidVisLabel = Error(DiagnosticIds.InvalidVisLabel, Evaluation,
        "[VisLabel] label is invalid",
        "[VisLabel] of run '{0}' is {1}, which {2}; give a short label on one line");

    public static readonly DiagnosticDescriptor InvalidEvaluationSetting = Error(DiagnosticIds.InvalidEvaluationSetting, Evaluation,
        "[Evaluation] setting is invalid",
        "[Evaluation] {0} = {1} is invalid: {2}");

    public static readonly DiagnosticDescriptor TaskPromptInputCount = Error(DiagnosticIds.TaskPromptInputCount, Evaluation,
        "Task prompt does not contain {input} exactly once",
        "Evaluation task '{0}' has Prompt {1}, which {2}; the prompt wraps each sample's input once, e.g. \"Capitalize: {{input}}\"");

    public static readonly DiagnosticDescriptor TaskPromptBraces = Error(DiagnosticIds.TaskPromptBraces, Evaluation,
        "Task prompt has braces besides {input}",
        "Evaluation task '{0}' has Prompt {1} with a brace besides {{input}}; tasks fill the prompt with Python's str.format, which would fail or drop it: write {{{{ and }}}} for literal braces, or remove them");

    public static readonly DiagnosticDescriptor TaskScriptMissing = Error(DiagnosticIds.TaskScriptMissing, Evaluation,
        "Task script not found",
        "Task '{0}': script '{1}' is not in the project (looked for {2}); create it or correct the path (a script outside the project folder needs <AdditionalFiles Include=\"...\" /> in the project file)");

    public static readonly DiagnosticDescriptor TaskNotInScript = Error(DiagnosticIds.TaskNotInScript, Evaluation,
        "Task script has no @task of that name",
        "Task '{0}': '{1}' defines {2}; add a @task function named '{0}' (or @task(name=\"{0}\")) or correct the task name");

    public static readonly DiagnosticDescriptor TaskLacksParameters = Error(DiagnosticIds.TaskLacksParameters, Evaluation,
        "Task does not take the arguments its evaluations pass",
        "Task '{0}' in '{1}' does not take {2}, which {3}; add the missing parameters to the @task function (or **kwargs)");

    public static readonly DiagnosticDescriptor ValueTorchtuneCannotReceive = Error(DiagnosticIds.ValueTorchtuneCannotReceive, Usage,
        "Value cannot reach torchtune as declared",
        "{0} {1} cannot reach torchtune: {2}");

    public static readonly DiagnosticDescriptor PromptTemplateInputTwice = Error(DiagnosticIds.PromptTemplateInputTwice, Usage,
        "Prompt template has {input} more than once",
        "PromptTemplate {0} contains {{input}} more than once, but torchtune's prompt template can only wrap the input once (text before and after it)");

    public static readonly DiagnosticDescriptor ValueTrainerCannotExpress = Error(DiagnosticIds.ValueTrainerCannotExpress, Usage,
        "Setting value cannot be expressed by the run's trainer",
        "{0} = {1} cannot be expressed by {2}: {3}");

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + id.ToLowerInvariant());
}
