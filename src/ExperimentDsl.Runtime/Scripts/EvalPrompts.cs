namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// What one evaluation prompts with and evaluates on: the task's own prompt, system prompt and
/// dataset where the plan declares them (<see cref="EvalTaskSpec"/>), else the run's. One place, so
/// the eval script, the per-evaluation config file and the argument check cannot disagree.
/// </summary>
/// <param name="Prompt">The prompt template (one <c>{input}</c>).</param>
/// <param name="SystemPrompt">The system prompt; empty for none.</param>
/// <param name="Dataset">The dataset path as the plan gives it (relative to the plan's base directory or absolute).</param>
internal sealed record EvalPrompts(string Prompt, string SystemPrompt, string Dataset)
{
    /// <summary>The values of <paramref name="task"/>'s evaluations of a run with <paramref name="settings"/>.</summary>
    public static EvalPrompts Of(RunSettings settings, EvalTaskSpec task) =>
        new(task.Prompt ?? settings.PromptTemplate, task.SystemPrompt ?? settings.SystemPrompt, task.Dataset ?? settings.Dataset);
}
