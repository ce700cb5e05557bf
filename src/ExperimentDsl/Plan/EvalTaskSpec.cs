namespace ExperimentDsl;

/// <summary>An inspect-ai task the runs are evaluated on.</summary>
/// <param name="Name">The <c>@task</c> function's name.</param>
/// <param name="Script">The Python file that defines it.</param>
/// <param name="Dataset">An evaluation dataset replacing the training one, or <see langword="null"/>.</param>
/// <param name="Description">A short description for the summary, or <see langword="null"/>.</param>
/// <param name="Prompt">A prompt template (one <c>{input}</c>) replacing the run's for this task's evaluations, or <see langword="null"/>.</param>
/// <param name="SystemPrompt">A system prompt replacing the run's for this task's evaluations, or <see langword="null"/>.</param>
public sealed record EvalTaskSpec(
    string Name, string Script, string? Dataset = null, string? Description = null, string? Prompt = null, string? SystemPrompt = null);
