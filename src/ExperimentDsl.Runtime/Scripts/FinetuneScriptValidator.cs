using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// Checks a written <c>finetune.slurm</c>: exists, executable, bash shebang, the run's job name, the
/// run's directory and <c>finetune.yaml</c>, job output in the directory it is submitted from, and the
/// copy of the run's files into the checkpoint directory (which <c>config_dir</c> tasks read).
/// </summary>
public static class FinetuneScriptValidator
{
    /// <summary>Checks the script at <paramref name="scriptPath"/> written for <paramref name="run"/>.</summary>
    /// <param name="scriptPath">The script on disk.</param>
    /// <param name="run">The run it was written for.</param>
    /// <param name="layout">Paths of the experiment.</param>
    /// <returns>Every check with what was expected and found; a missing file gives one failed <c>exists</c> check.</returns>
    public static IReadOnlyList<ValidationCheck> Validate(string scriptPath, PlannedRun run, ExperimentLayout layout)
    {
        var checks = new List<ValidationCheck>();
        ScriptLines? lines = ScriptFileChecks.Run(scriptPath, checks);
        if (lines is null)
        {
            return checks;
        }

        checks.Add(ScriptFileChecks.Line("job-name", lines, "#SBATCH --job-name=" + run.Name, "#SBATCH --job-name="));
        checks.Add(ScriptFileChecks.Line(
            "output", lines, "#SBATCH --output=" + JobOutputFiles.OutputPattern, "#SBATCH --output="));
        // tune reads finetune.yaml from the working directory: it must be this run's.
        checks.Add(ScriptFileChecks.Line(
            "run directory", lines, "cd " + ShellQuoting.Quote(layout.Absolute(run.Name), "run directory") + " || exit 1", "cd "));

        checks.Add(CopiesRunFiles(lines, run, layout));

        const string config = "--config " + FinetuneSlurmScript.ConfigFileName + " " + FinetuneSlurmScript.ResumeArguments;
        string? tune = lines.FirstStartingWith("tune run ");
        checks.Add(new ValidationCheck(
            "config",
            tune is not null && tune.EndsWith(" " + config, StringComparison.Ordinal),
            "tune run ... " + config,
            tune ?? "no 'tune run' line"));
        checks.Add(ScriptFileChecks.Line(
            "resumes", lines, "CHECKPOINTS=" + ShellQuoting.Quote(layout.CheckpointDir(run.Name), "checkpoint directory"), "CHECKPOINTS="));
        return checks;
    }

    /// <summary>The check that the script copies the run's files into its checkpoint directory.</summary>
    internal static ValidationCheck CopiesRunFiles(ScriptLines lines, PlannedRun run, ExperimentLayout layout) =>
        ScriptFileChecks.Line("copies run files", lines, TrainerFiles.CopyRunFilesLine(run, layout), "cp ");

    /// <summary>
    /// <see cref="CopiesRunFiles(ScriptLines, PlannedRun, ExperimentLayout)"/> for the script on disk at
    /// <paramref name="scriptPath"/>; a missing script fails it.
    /// </summary>
    public static ValidationCheck CopiesRunFiles(string scriptPath, PlannedRun run, ExperimentLayout layout)
    {
        string expected = TrainerFiles.CopyRunFilesLine(run, layout);
        return File.Exists(scriptPath)
            ? CopiesRunFiles(new ScriptLines(GuardedFile.ReadCheckedPathText(scriptPath, FileLimits.GeneratedFile)), run, layout)
            : new ValidationCheck("copies run files", false, expected, "no file " + scriptPath);
    }
}
