using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// Refuses, before anything is written, decoding settings no evaluation job could use (see
/// <see cref="DecodingOptions.Problems"/>) and evaluations whose task could not be called as the plan says:
/// a parameter without a default that no evaluation argument supplies (inspect would stop with a
/// missing-argument error once the job ran), and a per-task prompt or system prompt that the task has
/// no parameter for (it would silently evaluate the run's own prompt instead).
/// </summary>
internal static class EvalArgumentCheck
{
    /// <returns>Per evaluation, the arguments its task does not take (see <see cref="CheckedArguments"/>).</returns>
    /// <exception cref="PlanRefusedException">The message names each task, parameter and script, and the fix.</exception>
    public static CheckedArguments Check(ExperimentLayout layout, IReadOnlyDictionary<string, TaskSignature> signatures)
    {
        var problems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string problem in DecodingOptions.Problems(layout.Plan.Evaluation))
        {
            problems.Add("Evaluation " + problem);
        }

        // Each evaluation is checked on its own, on all cores (40,000 at 10,000 runs were a fifth of a
        // second before anything else could start); the problems are a sorted set, so the message does
        // not depend on the order they were found in.
        // An evaluation whose arguments cannot be written at all fails the check with its own exception,
        // the first in plan order, as sequentially: Prepared keeps each one with its evaluation.
        Prepared<(List<string>? Unaccepted, List<string>? Problems)>[] checkedOnes = ParallelPrepare.Run(
            layout.Plan.Evaluations.Count, i => CheckOne(layout, signatures, layout.Plan.Evaluations[i]));
        var unacceptedByEvaluation = new List<string>?[checkedOnes.Length];
        for (int i = 0; i < checkedOnes.Length; i++)
        {
            (List<string>? unaccepted, List<string>? found) = checkedOnes[i].Get();
            unacceptedByEvaluation[i] = unaccepted;
            problems.UnionWith(found ?? []);
        }

        if (problems.Count > 0)
        {
            throw new PlanRefusedException("Cannot write the evaluations: " + string.Join("; ", problems) + ".");
        }

        return new CheckedArguments(layout, signatures, unacceptedByEvaluation);
    }

    private static (List<string>? Unaccepted, List<string>? Problems) CheckOne(ExperimentLayout layout, IReadOnlyDictionary<string, TaskSignature> signatures, EvalCell cell)
    {
        if (!signatures.TryGetValue(cell.TaskName, out TaskSignature? signature))
        {
            return (null, null);
        }

        EvalTaskSpec task = layout.Plan.Tasks.First(t => t.Name == cell.TaskName);
        (RunSettings settings, _, string modelPath) = EvalSlurmScript.Subject(cell, layout);
        InspectArgumentFile arguments = EvalSlurmScript.TaskArguments(cell, task, signature, settings, layout, modelPath);
        // An evaluation passing an argument the task does not take is skipped by the inspect stage
        // (as a control of a config_dir task always was); only the others would reach inspect.
        List<string> unaccepted = arguments.Names.Any(name => !signature.Accepts(name))
            ? [.. arguments.Names.Where(name => !signature.Accepts(name))]
            : CheckedArguments.NoneUnaccepted;
        List<string>? problems = null;
        bool skipped = unaccepted.Count > 0;
        foreach (string parameter in skipped ? [] : EvalSlurmScript.MissingRequired(arguments, signature))
        {
            (problems ??= []).Add($"task '{task.Name}' ({task.Script}): parameter '{parameter}' has no default and no evaluation argument supplies it; give it a default in the task function");
        }

        foreach ((string? value, string parameter, string setting) in new[]
                 {
                     (task.Prompt, TaskSignature.PromptTemplate, nameof(EvalTaskSpec.Prompt)),
                     (task.SystemPrompt, TaskSignature.SystemPrompt, nameof(EvalTaskSpec.SystemPrompt)),
                 })
        {
            if (value is not null && arguments.Names.Contains(parameter, StringComparer.Ordinal) && !signature.Accepts(parameter))
            {
                (problems ??= []).Add($"task '{task.Name}' ({task.Script}): its {setting} override must reach the task as '{parameter}', which the task function does not take; add the parameter to the task or remove {setting} from the task");
            }
        }

        return (unaccepted, problems);
    }
}

/// <summary>
/// What <see cref="EvalArgumentCheck"/> found per evaluation: the arguments its task does not take.
/// The inspect stage and <c>plan</c> skip such evaluations; they take the list from here instead of
/// building every evaluation's arguments a second time (40,000 at 10,000 runs).
/// </summary>
internal sealed class CheckedArguments
{
    /// <summary>The list of every evaluation whose task takes all its arguments: one list for 40,000, read only.</summary>
    internal static readonly List<string> NoneUnaccepted = [];

    private readonly ExperimentLayout _layout;
    private readonly IReadOnlyDictionary<string, TaskSignature> _signatures;
    private readonly List<string>?[] _unaccepted;

    internal CheckedArguments(ExperimentLayout layout, IReadOnlyDictionary<string, TaskSignature> signatures, List<string>?[] unaccepted)
    {
        _layout = layout;
        _signatures = signatures;
        _unaccepted = unaccepted;
    }

    /// <summary>
    /// The arguments the task of evaluation number <paramref name="evaluation"/> (<paramref name="cell"/>)
    /// does not take, as checked; built again when the check saw that task with another signature (its
    /// script read again in between found it changed) or not at all. The list is shared: read it only.
    /// </summary>
    public List<string> Unaccepted(int evaluation, EvalCell cell, EvalTaskSpec task, TaskSignature signature) =>
        _unaccepted[evaluation] is { } known && _signatures.TryGetValue(cell.TaskName, out TaskSignature? checkedWith) && checkedWith.Equals(signature)
            ? known
            : InspectStages.UnacceptedArguments(cell, task, signature, _layout);
}
