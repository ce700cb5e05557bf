using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// The small per-evaluation YAML a cruijff_kit blueprint task reads through its <c>config_path</c>
/// parameter (cruijff_kit v0.3.4, <c>blueprints/*/inspect_task.py</c>: <c>config.get("prompt",
/// "{input}")</c> and <c>config.get("system_prompt", "")</c> after <c>yaml.safe_load</c>). It sits
/// beside the evaluation's script: <c>{run}/eval/{task}_epoch{N}.yaml</c> or <c>{task}_base.yaml</c>.
/// <para>
/// The blueprints apply the prompt with Python's <c>str.format(input=...)</c>, where our templates are
/// literal text around one <c>{input}</c>: every other brace is doubled, so the task builds exactly the
/// prompt the run was trained with (a template with a <c>{</c> of its own would otherwise raise).
/// </para>
/// </summary>
internal static class EvalConfigFile
{
    /// <summary>The file's path relative to the experiment directory, beside the script at <paramref name="evalScript"/>.</summary>
    public static string PathBeside(string evalScript) =>
        evalScript.EndsWith(".slurm", StringComparison.Ordinal) ? evalScript[..^".slurm".Length] + ".yaml" : evalScript + ".yaml";

    /// <summary>The file's text: <c>prompt</c> (a format string) and <c>system_prompt</c>.</summary>
    public static string Emit(EvalPrompts prompts) =>
        YamlText.Write(new YamlMap()
            .Text("prompt", FormatString(prompts.Prompt))
            .Text("system_prompt", prompts.SystemPrompt));

    /// <summary>The template as a <c>str.format</c> string that formats back to it, with the input in place of <c>{input}</c>.</summary>
    public static string FormatString(string template) =>
        string.Join(
            PromptWrapping.Placeholder,
            template.Split(PromptWrapping.Placeholder).Select(part => part.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)));
}
