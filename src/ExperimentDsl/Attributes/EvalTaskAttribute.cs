namespace ExperimentDsl;

/// <summary>
/// An inspect-ai evaluation task: the name of a <c>@task</c> function in a Python script. Every
/// fine-tuned run is evaluated on it at the epochs of <see cref="EvalEpochsAttribute"/>, and every
/// control once.
/// </summary>
/// <example><c>[EvalTask("capitalization", "tasks/capitalization.py")]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EvalTaskAttribute : Attribute
{
    /// <summary>Declares an evaluation task.</summary>
    /// <param name="name">The inspect task (the <c>@task</c> function's name); also part of script names.</param>
    /// <param name="script">Path of the Python file that defines the task, relative to the working directory or absolute.</param>
    public EvalTaskAttribute(string name, string script)
    {
        Name = name;
        Script = script;
    }

    /// <summary>The task's name.</summary>
    public string Name { get; }

    /// <summary>The task script's path.</summary>
    public string Script { get; }

    /// <summary>An evaluation dataset that replaces the training dataset (a generalization test).</summary>
    public string? Dataset { get; set; }

    /// <summary>A prompt template (one <c>{input}</c>) replacing the runs' template in this task's evaluations.</summary>
    public string? Prompt { get; set; }

    /// <summary>A system prompt replacing the runs' system prompt in this task's evaluations.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>A one-line description shown in the experiment summary.</summary>
    public string? Description { get; set; }

    /// <summary>Epochs (0-indexed) to evaluate for this task; empty means the experiment's <see cref="EvalEpochsAttribute"/>.</summary>
    public int[] Epochs { get; set; } = [];

    /// <summary>Names of the runs evaluated on this task; empty means every run.</summary>
    public string[] Runs { get; set; } = [];

    /// <summary>Whether controls are evaluated on this task (default <see langword="true"/>).</summary>
    public bool Controls { get; set; } = true;
}
