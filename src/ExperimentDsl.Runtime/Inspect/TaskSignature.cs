namespace ExperimentDsl.Runtime.Inspect;

/// <summary>An inspect-ai task found in a task script: the name it is registered under and its parameters.</summary>
/// <param name="Name">The task's name: the function name, or the decorator's <c>name=</c> argument.</param>
/// <param name="Parameters">
/// The function's parameter names in order; variadic ones keep their stars (<c>*args</c>, <c>**kwargs</c>).
/// </param>
/// <param name="IsAsync">Whether the function is <c>async def</c>.</param>
public sealed record TaskSignature(string Name, IReadOnlyList<string> Parameters, bool IsAsync)
{
    /// <summary>
    /// The named parameters without a default, which every call must supply; empty when not known
    /// (a signature built without reading a script).
    /// </summary>
    public IReadOnlyList<string> RequiredParameters { get; init; } = [];

    /// <summary>Whether the task names <paramref name="parameter"/> itself (not merely through <c>**kwargs</c>).</summary>
    public bool Names(string parameter) => Parameters.Contains(parameter, StringComparer.Ordinal);

    /// <summary>
    /// Whether the task names a <c>config_dir</c> parameter: it then reads dataset and system prompt
    /// from the run's <c>setup_finetune.yaml</c> (SPEC 6.6). A bare <c>**kwargs</c> does not count:
    /// a task that merely tolerates extra arguments would not read the run's settings.
    /// </summary>
    public bool AcceptsConfigDir => Parameters.Contains(ConfigDir, StringComparer.Ordinal);

    /// <summary>Whether the task takes <c>**kwargs</c>, so any <c>-T</c> argument reaches it.</summary>
    public bool AcceptsAnyKeyword => Parameters.Any(p => p.StartsWith("**", StringComparison.Ordinal));

    /// <summary>Whether a <c>-T {parameter}=...</c> argument reaches the task: it is named, or the task takes <c>**kwargs</c>.</summary>
    public bool Accepts(string parameter) =>
        Parameters.Contains(parameter, StringComparer.Ordinal) || AcceptsAnyKeyword;

    /// <summary>Equal when name, asynchrony and the parameter names in order are equal.</summary>
    public bool Equals(TaskSignature? other) =>
        other is not null && Name == other.Name && IsAsync == other.IsAsync && Parameters.SequenceEqual(other.Parameters)
        && RequiredParameters.SequenceEqual(other.RequiredParameters);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, IsAsync, Parameters.Count);

    /// <summary>The task parameter that carries the checkpoint directory.</summary>
    public const string ConfigDir = "config_dir";

    /// <summary>The task parameter that carries the evaluation dataset.</summary>
    public const string DatasetPath = "dataset_path";

    /// <summary>The task parameter that carries the system prompt.</summary>
    public const string SystemPrompt = "system_prompt";

    /// <summary>The task parameter that carries the prompt template (text with one <c>{input}</c>).</summary>
    public const string PromptTemplate = "prompt_template";

    /// <summary>cruijff_kit's blueprint tasks: the evaluation dataset (a JSON file of splits).</summary>
    public const string DataPath = "data_path";

    /// <summary>cruijff_kit's blueprint tasks: a YAML file holding <c>prompt</c> and <c>system_prompt</c>.</summary>
    public const string ConfigPath = "config_path";

    /// <summary>cruijff_kit's blueprint tasks: the generation temperature the task's solver uses.</summary>
    public const string Temperature = "temperature";

    /// <summary>cruijff_kit's blueprint tasks: the cap on generated tokens the task's solver uses.</summary>
    public const string MaxTokens = "max_tokens";

    /// <summary>cruijff_kit's blueprint tasks: the label the run is shown under (suffix of the task name in the log).</summary>
    public const string VisLabel = "vis_label";

    /// <summary>cruijff_kit's blueprint tasks: whether the model is prompted through its chat template.</summary>
    public const string UseChatTemplate = "use_chat_template";
}
