namespace ExperimentDsl.Runtime.Validation;

/// <summary>
/// Checks a plan against <see cref="InputRules"/> before anything is written. The generator already
/// refuses such values at compile time; this catches a plan read from an edited experiment_summary.md,
/// written by hand, or built by an older generator, so the scaffold never stops half-way on one.
/// </summary>
public static class PlanCheck
{
    /// <summary>Every problem of <paramref name="plan"/>, one line each naming the run and the setting; empty when it can be scaffolded.</summary>
    public static IReadOnlyList<string> Problems(ExperimentPlan plan)
    {
        var problems = new List<string>();
        if (plan.Runs.Count == 0)
        {
            problems.Add("it has no runs (every combination excluded?); a sweep needs at least one run");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (PlannedRun run in plan.Runs)
        {
            if (InputRules.RunNameProblem(run.Name) is { } nameProblem)
            {
                problems.Add($"run name '{Printable(run.Name)}': {nameProblem}");
            }
            else if (!seen.Add(run.Name))
            {
                problems.Add($"run name '{run.Name}': two runs share it (on a case-insensitive file system also when only the case differs)");
            }

            AddSettingProblems($"run {Printable(run.Name)}", run.Settings, problems);
        }

        foreach (ControlRun control in plan.Controls)
        {
            if (InputRules.RunNameProblem(control.DirectoryName) is { } nameProblem)
            {
                problems.Add($"control directory '{Printable(control.DirectoryName)}': {nameProblem}");
            }
            else if (!seen.Add(control.DirectoryName))
            {
                problems.Add($"control directory '{control.DirectoryName}': a run has the same name; rename the run");
            }

            AddSettingProblems($"control {Printable(control.Name)}", control.Settings, problems);
        }

        foreach (EvalTaskSpec task in plan.Tasks)
        {
            foreach ((string field, string? value) in new[] { ("name", task.Name), ("script", task.Script), ("dataset", task.Dataset) })
            {
                if (value is not null && InputRules.TextProblem(value) is { } problem)
                {
                    problems.Add($"task {Printable(task.Name)}: {field}: {problem}");
                }
            }
        }

        if (plan.Evaluations.Count > InputRules.MaxEvaluations)
        {
            problems.Add($"{plan.Evaluations.Count} evaluations: at most {InputRules.MaxEvaluations} per experiment; evaluate fewer epochs or tasks");
        }

        return problems;
    }

    private static void AddSettingProblems(string owner, RunSettings settings, List<string> problems)
    {
        (string Name, object? Value)[] values =
        [
            (nameof(RunSettings.Epochs), settings.Epochs), (nameof(RunSettings.BatchSize), settings.BatchSize),
            (nameof(RunSettings.LoraRank), settings.LoraRank), (nameof(RunSettings.LearningRate), settings.LearningRate),
            (nameof(RunSettings.LoraDropout), settings.LoraDropout), (nameof(RunSettings.WeightDecay), settings.WeightDecay),
            (nameof(RunSettings.WarmupSteps), settings.WarmupSteps), (nameof(RunSettings.GradientAccumulationSteps), settings.GradientAccumulationSteps),
            (nameof(RunSettings.MaxSeqLen), settings.MaxSeqLen), (nameof(RunSettings.Seed), settings.Seed),
            (nameof(RunSettings.SystemPrompt), settings.SystemPrompt), (nameof(RunSettings.PromptTemplate), settings.PromptTemplate),
            (nameof(RunSettings.Dataset), settings.Dataset), (nameof(RunSettings.ValidationEveryNSteps), settings.ValidationEveryNSteps),
            (nameof(RunSettings.LogEveryNSteps), settings.LogEveryNSteps), (nameof(RunSettings.Gpus), settings.Gpus),
            (nameof(RunSettings.FinetuneTime), settings.FinetuneTime), (nameof(RunSettings.EvalTime), settings.EvalTime),
        ];
        foreach ((string name, object? value) in values)
        {
            if (InputRules.SettingProblem(name, value) is { } problem)
            {
                problems.Add($"{owner}: {name} = {Printable(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")}: {problem}");
            }
        }
    }

    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
