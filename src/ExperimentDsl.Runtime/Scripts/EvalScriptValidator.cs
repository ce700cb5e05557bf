using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// VALIDATE_SCRIPTS for one evaluation script (SPEC 7.2): it exists, is executable, starts with the
/// bash shebang, and both its <c>MODEL_PATH</c> and the <c>model_path</c> it hands to inspect are the
/// checkpoint of its own run and epoch (or, for a control, the base model directory).
/// </summary>
public static class EvalScriptValidator
{
    /// <summary>Checks the script at <paramref name="scriptPath"/> written for <paramref name="cell"/>.</summary>
    /// <param name="scriptPath">The script on disk.</param>
    /// <param name="cell">The evaluation it was written for.</param>
    /// <param name="layout">Paths of the experiment.</param>
    /// <returns>Every check with what was expected and found; a missing file gives one failed <c>exists</c> check.</returns>
    public static IReadOnlyList<ValidationCheck> Validate(string scriptPath, EvalCell cell, ExperimentLayout layout) =>
        Validate(scriptPath, cell, layout, textOnDisk: null);

    /// <summary>As <see cref="Validate(string, EvalCell, ExperimentLayout)"/>, with the script's text when the caller has just read it from disk.</summary>
    internal static IReadOnlyList<ValidationCheck> Validate(string scriptPath, EvalCell cell, ExperimentLayout layout, string? textOnDisk)
    {
        var checks = new List<ValidationCheck>();
        ScriptLines? lines = ScriptFileChecks.Run(scriptPath, checks, textOnDisk);
        if (lines is null)
        {
            return checks;
        }

        string modelPath = EvalSlurmScript.Subject(cell, layout).ModelPath;
        // Compared in the quoted form the emitter writes, so a path that only resembles it does not pass.
        string expected = "MODEL_PATH=" + ShellQuoting.Quote(modelPath, "model path");
        checks.Add(ScriptFileChecks.Line(cell.IsControl ? "model path" : "checkpoint", lines, expected, "MODEL_PATH="));

        // MODEL_PATH only guards the job; inspect loads the model named in the model arguments file.
        string modelArguments = EvalSlurmScript.ModelArguments(modelPath, layout.Plan.Evaluation).ToJson();
        checks.Add(ScriptFileChecks.Line("model arguments", lines, modelArguments, "{\"model_path\":"));
        return checks;
    }
}
