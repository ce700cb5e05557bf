using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// A task that takes <c>config_dir</c> (the seed era's) reads <c>setup_finetune.yaml</c> from the epoch
/// checkpoint's parent, the run's checkpoint directory. Our finetune.slurm copies it there; cruijff_kit
/// v0.3.4's (written by its setup_finetune.py under <c>--setup-command</c>) does not, and v0.3.4's own
/// tasks take <c>config_path</c> instead. So with <c>cruijff_kit_version: 0.3.4</c> the evaluation
/// script of such a task copies the run's file there itself, before inspect starts.
/// </summary>
internal static class SetupFileCopy
{
    /// <summary>Whether the evaluation scripts of <paramref name="layout"/> copy the run's setup_finetune.yaml (v0.3.4's layout).</summary>
    public static bool ByEvalScript(ExperimentLayout layout) => layout.Environment.CruijffKitVersion == CruijffKitVersion.V0_3_4;

    /// <summary>
    /// The line that copies run <paramref name="run"/>'s setup_finetune.yaml into its checkpoint
    /// directory. Through a temporary file and a rename: the run's evaluations may start together, and
    /// one of them must never read a file another is still writing.
    /// </summary>
    public static string Line(string run, ExperimentLayout layout)
    {
        string checkpointDir = layout.CheckpointDir(run);
        string directory = ShellQuoting.Quote(checkpointDir, "checkpoint directory");
        string source = ShellQuoting.Quote(layout.Absolute(ExperimentLayout.SetupYaml(run)), "run directory");
        string target = ShellQuoting.Quote(checkpointDir + "setup_finetune.yaml", "checkpoint directory");
        return $"SETUP_COPY=$(mktemp -p {directory} .setup_finetune.yaml.XXXXXX) && cp {source} \"$SETUP_COPY\""
            + $" && chmod 644 \"$SETUP_COPY\" && mv -f \"$SETUP_COPY\" {target} || exit 1";
    }

    /// <summary>The check that the evaluation script at <paramref name="scriptPath"/> copies run <paramref name="run"/>'s file.</summary>
    public static ValidationCheck Check(string scriptPath, string run, ExperimentLayout layout)
    {
        string expected = Line(run, layout);
        return File.Exists(scriptPath)
            ? ScriptFileChecks.Line("copies setup_finetune.yaml", new ScriptLines(GuardedFile.ReadCheckedPathText(scriptPath, FileLimits.GeneratedFile)), expected, "SETUP_COPY=")
            : new ValidationCheck("copies setup_finetune.yaml", false, expected, "no file " + scriptPath);
    }
}
