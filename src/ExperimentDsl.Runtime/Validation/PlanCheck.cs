using ExperimentDsl.Runtime.Catalogue;

namespace ExperimentDsl.Runtime.Validation;

/// <summary>
/// Checks a plan against <see cref="InputRules"/> before anything is written. The generator already
/// refuses such values at compile time; this catches a plan read from an edited experiment_summary.md,
/// written by hand, or built by an older generator, so the scaffold never stops half-way on one.
/// </summary>
public static class PlanCheck
{
    private static List<string> RunProblems(PlannedRun run)
    {
        var problems = new List<string>();
        AddSettingProblems($"run {Printable(run.Name)}", run.Settings, problems);
        AddTrainerProblems($"run {Printable(run.Name)}", run.Settings, problems);
        foreach (AxisValue value in run.AxisValues)
        {
            if (InputRules.TextProblem(value.Text) is { } valueProblem)
            {
                problems.Add($"run {Printable(run.Name)}: {Printable(value.Axis)} = '{Printable(value.Text)}': {valueProblem}");
            }
        }

        return problems;
    }

    /// <summary>Every problem of <paramref name="plan"/>, one line each naming the run and the setting; empty when it can be scaffolded.</summary>
    public static IReadOnlyList<string> Problems(ExperimentPlan plan)
    {
        var problems = new List<string>();
        if (InputRules.DirectoryNameProblem(plan.Name) is { } experimentProblem)
        {
            problems.Add($"experiment name '{Printable(plan.Name)}': {experimentProblem}; it becomes the experiment's directory name");
        }

        if (InputRules.TextProblem(plan.RunNamePattern) is { } patternProblem)
        {
            problems.Add($"run-name pattern '{Printable(plan.RunNamePattern)}': {patternProblem}");
        }

        if (plan.Runs.Count == 0)
        {
            problems.Add("it has no runs (every combination excluded?); a sweep needs at least one run");
        }

        // Each run's own settings are checked on all cores (every catalogue rule of 10,000 runs is a
        // tenth of a second before a scaffold can start), and listed in plan order as before.
        List<string>[] ownProblems = Scaffold.ParallelChecks.Run(plan.Runs.Count, i => RunProblems(plan.Runs[i]));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < plan.Runs.Count; i++)
        {
            AddNameProblem("run name", plan.Runs[i].Name, seen, alsoTaken: false, "two runs share it (on a case-insensitive file system also when only the case differs)", problems);
            problems.AddRange(ownProblems[i]);
        }

        foreach (ControlRun control in plan.Controls)
        {
            AddNameProblem("control directory", control.DirectoryName, seen, alsoTaken: false, "a run has the same name; rename the run", problems);

            AddSettingProblems($"control {Printable(control.Name)}", control.Settings, problems);
        }

        foreach (EvalOnlyRun evalOnly in plan.EvalOnlyRuns)
        {
            AddNameProblem(
                "eval-only run name",
                evalOnly.Name,
                seen,
                alsoTaken: plan.Controls.Any(c => string.Equals(c.Name, evalOnly.Name, StringComparison.OrdinalIgnoreCase)),
                "a run, control or other eval-only run has the same name; rename the eval-only run",
                problems);

            if (evalOnly.CheckpointPath.Trim().Length == 0 || evalOnly.CheckpointPath.Any(char.IsControl))
            {
                problems.Add($"eval-only run {Printable(evalOnly.Name)}: checkpoint path '{Printable(evalOnly.CheckpointPath)}' is empty or spans lines; give the checkpoint directory");
            }
            else if (InputRules.TextProblem(evalOnly.CheckpointPath) is { } pathProblem)
            {
                problems.Add($"eval-only run {Printable(evalOnly.Name)}: checkpoint path: {pathProblem}");
            }

            AddSettingProblems($"eval-only run {Printable(evalOnly.Name)}", evalOnly.Settings, problems);
        }

        foreach (EvalCell cell in plan.Evaluations.Where(c => c.VisLabel is not null).DistinctBy(c => c.RunName))
        {
            if (cell.VisLabel!.Trim().Length == 0 || cell.VisLabel.Any(char.IsControl) || InputRules.TextProblem(cell.VisLabel) is not null)
            {
                problems.Add($"vis label of {Printable(cell.RunName)} '{Printable(cell.VisLabel)}': it is empty, spans lines or is not text; give a short label on one line");
            }
        }

        AddEvaluationProblems(plan.Evaluation, problems);

        foreach (EvalTaskSpec task in plan.Tasks)
        {
            foreach ((string field, string? value) in new[] { ("name", task.Name), ("script", task.Script), ("dataset", task.Dataset), ("description", task.Description), ("prompt", task.Prompt), ("system prompt", task.SystemPrompt) })
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

    // The runtime side of EXD033: the same rules for a plan the generator did not check.
    /// <summary>
    /// A directory name's problem: not a safe name, or taken (case ignored, as on a case-insensitive
    /// file system) by a name seen before or, when <paramref name="alsoTaken"/>, by something else.
    /// </summary>
    private static void AddNameProblem(string what, string name, HashSet<string> seen, bool alsoTaken, string takenReason, List<string> problems)
    {
        if (InputRules.RunNameProblem(name) is { } nameProblem)
        {
            problems.Add($"{what} '{Printable(name)}': {nameProblem}");
        }
        else if (!seen.Add(name) || alsoTaken)
        {
            problems.Add($"{what} '{name}': {takenReason}");
        }
    }

    private static void AddEvaluationProblems(EvaluationSettings evaluation, List<string> problems)
    {
        // Greedy decoding never divides by the temperature: cruijff_kit's plans write 0 there with
        // do_sample false. Without an explicit false, inspect's hf provider samples, and 0 fails.
        bool greedyZero = evaluation.Temperature is 0 && evaluation.DoSample == false;
        if (evaluation.Temperature is double t && !(t > 0 && double.IsFinite(t)) && !greedyZero)
        {
            problems.Add($"evaluation temperature {t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}: it must be a positive number (0 only with do_sample false); leave it out for the task's default");
        }

        if (evaluation.DoSample == true && evaluation.Temperature is null)
        {
            problems.Add("evaluation do_sample = true: sampling needs a positive temperature");
        }

        if (evaluation.MaxTokens is <= 0)
        {
            problems.Add($"evaluation max_tokens {evaluation.MaxTokens}: it must be positive");
        }

        if (evaluation.MaxConnections is <= 0)
        {
            problems.Add($"evaluation max_connections {evaluation.MaxConnections}: it must be positive");
        }
    }

    private static void AddSettingProblems(string owner, RunSettings settings, List<string> problems)
    {
        foreach (Setting setting in SettingCatalog.All)
        {
            object? value = RunSettingsValues.Get(settings, setting);
            if (setting.Problem(value) is { } problem)
            {
                problems.Add($"{owner}: {setting.Name} = {Printable(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")}: {problem}");
            }
        }
    }

    /// <summary>A run trained by axolotl: each value axolotl cannot express (what EXD052 reports at compile time, for plans read from a file).</summary>
    private static void AddTrainerProblems(string owner, RunSettings settings, List<string> problems)
    {
        if (settings.Trainer != Trainer.Axolotl)
        {
            return;
        }

        foreach (string refusal in Axolotl.AxolotlSettings.Refusals(settings))
        {
            problems.Add($"{owner}: {Printable(refusal)}");
        }
    }

    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
