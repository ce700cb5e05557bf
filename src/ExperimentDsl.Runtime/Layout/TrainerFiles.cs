using ExperimentDsl.Runtime.Axolotl;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Layout;

/// <summary>
/// The files a run's trainer reads, chosen by its <see cref="Trainer"/> setting in this one place: the
/// config (<c>finetune.yaml</c> for torchtune, <c>axolotl.yaml</c> for axolotl), its emitter and
/// parse-back check, and the <c>finetune.slurm</c> that runs it. The scaffold, the plan preview and the
/// out-of-memory retry ask here, so no caller branches on the trainer.
/// </summary>
internal static class TrainerFiles
{
    /// <summary>The config's file name in the run directory.</summary>
    public static string ConfigFileName(PlannedRun run) =>
        run.Settings.Trainer == Trainer.Axolotl ? AxolotlYaml.FileName : FinetuneSlurmScript.ConfigFileName;

    /// <summary>The config's path relative to the experiment directory.</summary>
    public static string ConfigPath(PlannedRun run) => run.Name + "/" + ConfigFileName(run);

    /// <summary>The config's text for <paramref name="run"/>.</summary>
    /// <exception cref="PlanRefusedException">A value the run's trainer cannot express.</exception>
    public static string Config(PlannedRun run, ExperimentLayout layout) =>
        run.Settings.Trainer == Trainer.Axolotl ? AxolotlYaml.Emit(run, layout) : FinetuneYaml.Emit(run, layout);

    /// <summary>The text of the job script that trains <paramref name="run"/>.</summary>
    /// <exception cref="ScriptValueException">A value cannot be written into the script.</exception>
    public static string Script(PlannedRun run, ExperimentLayout layout) =>
        run.Settings.Trainer == Trainer.Axolotl ? AxolotlSlurmScript.Emit(run, layout) : FinetuneSlurmScript.Emit(run, layout);

    /// <summary>The VALIDATE_PARAMETERS checks of the config text read back from disk.</summary>
    /// <param name="run">The run.</param>
    /// <param name="layout">The experiment's paths.</param>
    /// <param name="text">The config's text.</param>
    /// <param name="externalSetup">Whether a setup command wrote a torchtune config (see <see cref="FinetuneConfigValidator"/>).</param>
    public static IReadOnlyList<ValidationCheck> Validate(PlannedRun run, ExperimentLayout layout, string text, bool externalSetup = false) =>
        run.Settings.Trainer == Trainer.Axolotl
            ? AxolotlConfigValidator.Validate(run, layout, text)
            : FinetuneConfigValidator.Validate(run, layout, text, externalSetup);

    /// <summary>The line of the job script that copies the run's files beside its checkpoints.</summary>
    public static string CopyRunFilesLine(PlannedRun run, ExperimentLayout layout) =>
        FinetuneSlurmScript.CopyRunFilesLine(layout.CheckpointDir(run.Name), ConfigFileName(run));
}
