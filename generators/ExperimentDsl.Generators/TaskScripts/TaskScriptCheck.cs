using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.TaskScripts;

/// <summary>
/// Compares each <c>[EvalTask]</c> with the script it names (EXD040–EXD042), at compile time, with
/// the rules the scaffold applies again at scaffold time as a backstop.
/// </summary>
internal static class TaskScriptCheck
{
    /// <summary>The diagnostics the generator reports (the analyzer reports the others).</summary>
    public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } =
        [DiagnosticDescriptors.TaskScriptMissing, DiagnosticDescriptors.TaskNotInScript, DiagnosticDescriptors.TaskLacksParameters];

    /// <param name="uses">The experiment's tasks.</param>
    /// <param name="scripts">The project's Python files.</param>
    /// <param name="completeUnder">The folder whose Python files are all among <paramref name="scripts"/> (the package's props add the project folder's), or null: a script there that is not among them is missing; elsewhere, nothing is known.</param>
    public static IEnumerable<Diagnostic> Check(ExperimentTaskUses uses, ImmutableArray<TaskScript> scripts, string? completeUnder)
    {
        foreach (TaskScriptUse use in uses.Uses)
        {
            TaskScript? script = scripts.FirstOrDefault(s => s.Path == use.ResolvedPath);
            if (script is null)
            {
                if (completeUnder is not null && use.ResolvedPath.StartsWith(completeUnder.TrimEnd('/') + "/", System.StringComparison.Ordinal))
                {
                    yield return Diagnostic.Create(DiagnosticDescriptors.TaskScriptMissing, use.Where.ToLocation(), use.TaskName, use.Script, use.ResolvedPath);
                }

                continue;
            }

            TaskFunction? task = script.Tasks.FirstOrDefault(t => t.Name == use.TaskName);
            if (task is null)
            {
                string found = script.Tasks.Count == 0 ? "no @task function" : "only " + string.Join(", ", script.Tasks.Select(t => "'" + t.Name + "'"));
                yield return Diagnostic.Create(DiagnosticDescriptors.TaskNotInScript, use.Where.ToLocation(), use.TaskName, use.Script, found);
                continue;
            }

            foreach ((string evaluations, IReadOnlyList<string> missing) in MissingParameters(use, task))
            {
                yield return Diagnostic.Create(
                    DiagnosticDescriptors.TaskLacksParameters,
                    use.Where.ToLocation(),
                    use.TaskName,
                    use.Script,
                    string.Join(" and ", missing),
                    evaluations);
            }
        }
    }

    // What the eval scripts pass (the runtime's EvalSlurmScript.TaskArguments): a fine-tuned run's
    // evaluation gives a task that names config_dir the checkpoint (and dataset_path when the task
    // has its own dataset); everything else gets dataset_path, and system_prompt when the experiment
    // has one. A control never has a fine-tuned checkpoint to read settings from.
    private static IEnumerable<(string Evaluations, IReadOnlyList<string> Missing)> MissingParameters(TaskScriptUse use, TaskFunction task)
    {
        string[] explicitArguments = use.SystemPromptSet
            ? [TaskParameters.DatasetPath, TaskParameters.SystemPrompt]
            : [TaskParameters.DatasetPath];
        string[] fineTuned = task.NamesConfigDir
            ? (use.HasOwnDataset ? [TaskParameters.DatasetPath] : [])
            : explicitArguments;
        List<string> fineTunedMissing = fineTuned.Where(p => !task.Accepts(p)).ToList();
        if (fineTunedMissing.Count > 0)
        {
            yield return ("the fine-tuned runs' evaluations pass", fineTunedMissing);
        }

        List<string> controlMissing = use.HasControls ? explicitArguments.Where(p => !task.Accepts(p)).ToList() : [];
        if (controlMissing.Count > 0)
        {
            yield return ("[Control] evaluations pass (a base model has no setup_finetune.yaml to read)", controlMissing);
        }
    }
}
