using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// Refuses, before anything is written, a value that cannot reach torchtune as declared through
/// finetune.yaml (see <see cref="OmegaConfText"/>) or a prompt template torchtune cannot apply.
/// The generator reports the same for values fixed in an experiment (EXD050, EXD051); this check
/// covers environment settings and plans read from an experiment_summary.md.
/// </summary>
public static class FinetuneValueCheck
{
    /// <summary>Throws when a value of <paramref name="plan"/> or <paramref name="environment"/> cannot be written.</summary>
    /// <exception cref="PlanRefusedException">The message names every such value, its setting and the fix.</exception>
    public static void Check(ExperimentPlan plan, EnvironmentSettings environment)
    {
        var problems = new List<string>();
        if (OmegaConfText.Problem(environment.WandbProject) is { } wandbProblem)
        {
            problems.Add($"wandb project '{environment.WandbProject}': {wandbProblem}; set another with --wandb-project or wandb_project in {LocalSettingsFile.FileName}");
        }

        foreach (PlannedRun run in plan.Runs)
        {
            RunSettings settings = run.Settings;
            var values = new List<(string Setting, string Value)>
            {
                ("run name", run.Name),
                (nameof(RunSettings.SystemPrompt), settings.SystemPrompt),
                ("Dataset (its file name is dataset_label)", Path.GetFileNameWithoutExtension(settings.Dataset)),
            };

            if (CruijffDatasets.Problem(settings) is { } datasetProblem)
            {
                problems.Add($"run '{run.Name}': {datasetProblem}");
            }

            if (PromptWrapping.Problem(settings.PromptTemplate) is { } templateProblem)
            {
                problems.Add($"run '{run.Name}': PromptTemplate '{settings.PromptTemplate}': {templateProblem}; change PromptTemplate in the experiment");
            }
            else
            {
                PromptWrapping wrapping = PromptWrapping.Of(settings.PromptTemplate);
                values.Add(("PromptTemplate (text before {input})", wrapping.Before));
                values.Add(("PromptTemplate (text after {input})", wrapping.After));
            }

            foreach ((string setting, string value) in values)
            {
                if (OmegaConfText.Problem(value) is { } problem)
                {
                    problems.Add($"run '{run.Name}': {setting} '{value}': {problem}; change it in the experiment");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new PlanRefusedException("Cannot write finetune.yaml: " + string.Join("; ", problems.Distinct(StringComparer.Ordinal)) + ".");
        }
    }
}
