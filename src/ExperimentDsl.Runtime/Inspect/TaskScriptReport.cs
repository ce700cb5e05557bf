namespace ExperimentDsl.Runtime.Inspect;

/// <summary>What a task script defines.</summary>
/// <param name="Path">The script's path as given.</param>
/// <param name="Exists">Whether the file exists.</param>
/// <param name="Tasks">The <c>@task</c> functions, in source order.</param>
public sealed record TaskScriptReport(string Path, bool Exists, IReadOnlyList<TaskSignature> Tasks)
{
    /// <summary>Equal when path, existence and the tasks in order are equal.</summary>
    public bool Equals(TaskScriptReport? other) =>
        other is not null && Path == other.Path && Exists == other.Exists && Tasks.SequenceEqual(other.Tasks);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Path, Exists, Tasks.Count);

    /// <summary>The task registered as <paramref name="name"/>, or <see langword="null"/>.</summary>
    public TaskSignature? Find(string name) => Tasks.FirstOrDefault(t => t.Name == name);

    /// <summary>
    /// Why <paramref name="name"/> cannot be evaluated from this script, naming the tasks that do
    /// exist; <see langword="null"/> when the task is there.
    /// </summary>
    public string? Problem(string name)
    {
        if (!Exists)
        {
            return $"task script {Path} does not exist";
        }

        if (Find(name) is not null)
        {
            return null;
        }

        return Tasks.Count == 0
            ? $"task script {Path} defines no @task function (looked for '{name}')"
            : $"task script {Path} defines no @task named '{name}'; it defines: {string.Join(", ", Tasks.Select(t => t.Name))}";
    }
}
