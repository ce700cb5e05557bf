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
    /// <exception cref="PlanRefusedException">The message names each task, parameter and script, and the fix.</exception>
    public static void Check(ExperimentLayout layout, IReadOnlyDictionary<string, TaskSignature> signatures)
    {
        var problems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string problem in DecodingOptions.Problems(layout.Plan.Evaluation))
        {
            problems.Add("Evaluation " + problem);
        }

        foreach (EvalCell cell in layout.Plan.Evaluations)
        {
            if (!signatures.TryGetValue(cell.TaskName, out TaskSignature? signature))
            {
                continue;
            }

            EvalTaskSpec task = layout.Plan.Tasks.First(t => t.Name == cell.TaskName);
            (RunSettings settings, _, string modelPath) = EvalSlurmScript.Subject(cell, layout);
            InspectArgumentFile arguments = EvalSlurmScript.TaskArguments(cell, task, signature, settings, layout, modelPath);
            // An evaluation passing an argument the task does not take is skipped by the inspect stage
            // (as a control of a config_dir task always was); only the others would reach inspect.
            bool skipped = arguments.Names.Any(name => !signature.Accepts(name));
            foreach (string parameter in skipped ? [] : EvalSlurmScript.MissingRequired(arguments, signature))
            {
                problems.Add($"task '{task.Name}' ({task.Script}): parameter '{parameter}' has no default and no evaluation argument supplies it; give it a default in the task function");
            }

            foreach ((string? value, string parameter, string setting) in new[]
                     {
                         (task.Prompt, TaskSignature.PromptTemplate, nameof(EvalTaskSpec.Prompt)),
                         (task.SystemPrompt, TaskSignature.SystemPrompt, nameof(EvalTaskSpec.SystemPrompt)),
                     })
            {
                if (value is not null && arguments.Names.Contains(parameter, StringComparer.Ordinal) && !signature.Accepts(parameter))
                {
                    problems.Add($"task '{task.Name}' ({task.Script}): its {setting} override must reach the task as '{parameter}', which the task function does not take; add the parameter to the task or remove {setting} from the task");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new PlanRefusedException("Cannot write the evaluations: " + string.Join("; ", problems) + ".");
        }
    }
}
