using ExperimentDsl.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ExperimentDsl.Generators.TaskScripts;

/// <summary>The <c>[EvalTask]</c>s of one experiment, as far as their scripts are concerned.</summary>
internal sealed record ExperimentTaskUses(string ExperimentName, EquatableArray<TaskScriptUse> Uses);

/// <summary>
/// One <c>[EvalTask]</c>: which script and task it names and which arguments its evaluations pass
/// (the rules of the runtime's EvalSlurmScript.TaskArguments), with where the attribute is written.
/// </summary>
/// <param name="TaskName">The task name.</param>
/// <param name="Script">The script path as written.</param>
/// <param name="ResolvedPath">The script's normalized full path.</param>
/// <param name="HasControls">Controls are evaluated on it (they pass dataset_path, never config_dir).</param>
/// <param name="HasOwnDataset">It sets <c>Dataset</c>: dataset_path is passed even to a config_dir task.</param>
/// <param name="SystemPromptSet">The experiment's system prompt is not empty: system_prompt is passed wherever dataset_path is.</param>
/// <param name="Where">The attribute's location.</param>
internal sealed record TaskScriptUse(
    string TaskName,
    string Script,
    string ResolvedPath,
    bool HasControls,
    bool HasOwnDataset,
    bool SystemPromptSet,
    SourceSpan Where);

/// <summary>A location held as plain values, so the pipeline can compare and cache it.</summary>
internal sealed record SourceSpan(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static SourceSpan Of(Location location)
    {
        FileLinePositionSpan lines = location.GetLineSpan();
        return new SourceSpan(
            lines.Path,
            location.SourceSpan.Start,
            location.SourceSpan.Length,
            lines.StartLinePosition.Line,
            lines.StartLinePosition.Character,
            lines.EndLinePosition.Line,
            lines.EndLinePosition.Character);
    }

    public Location ToLocation() => Location.Create(
        FilePath,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}
