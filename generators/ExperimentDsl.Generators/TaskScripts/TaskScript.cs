using System.Linq;
using System.Threading;
using ExperimentDsl.Generators.Models;
using ExperimentDsl.Runtime.Inspect;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.TaskScripts;

/// <summary>A Python file of the project (an AdditionalFile) and the inspect-ai tasks it defines.</summary>
/// <param name="Path">Its full path, normalized by <see cref="ScriptPath.Normalize"/>.</param>
/// <param name="Tasks">Its <c>@task</c> functions in source order.</param>
internal sealed record TaskScript(string Path, EquatableArray<TaskFunction> Tasks)
{
    /// <summary>Reads the tasks of <paramref name="file"/> with the tokenizer the runtime uses at scaffold time.</summary>
    public static TaskScript Read(AdditionalText file, CancellationToken ct)
    {
        string text = file.GetText(ct)?.ToString() ?? string.Empty;
        return new TaskScript(
            ScriptPath.Normalize(file.Path),
            TaskFunctionReader.Read(text).Select(t => new TaskFunction(t.Name, t.Parameters.ToEquatableArray())).ToEquatableArray());
    }
}

/// <summary>One <c>@task</c> function: the name it is registered under and its parameter names (<c>**kwargs</c> keeps its stars).</summary>
internal sealed record TaskFunction(string Name, EquatableArray<string> Parameters)
{
    /// <summary>Whether a <c>-T {parameter}=...</c> argument reaches the task: it is named, or the task takes <c>**kwargs</c>.</summary>
    public bool Accepts(string parameter) =>
        Parameters.Contains(parameter) || Parameters.Any(p => p.StartsWith("**", System.StringComparison.Ordinal));

    /// <summary>Whether the task names <c>config_dir</c> (a bare <c>**kwargs</c> does not count, as in the runtime).</summary>
    public bool NamesConfigDir => Parameters.Contains(TaskParameters.ConfigDir);
}

/// <summary>The task parameters the eval scripts pass (SPEC 6.6; the runtime's TaskSignature has the same names).</summary>
internal static class TaskParameters
{
    public const string ConfigDir = "config_dir";
    public const string DatasetPath = "dataset_path";
    public const string SystemPrompt = "system_prompt";
}
