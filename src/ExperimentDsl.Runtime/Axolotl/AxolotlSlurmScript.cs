using System.Text;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Text;

namespace ExperimentDsl.Runtime.Axolotl;

/// <summary>
/// The batch script that fine-tunes an axolotl run: <c>{run}/finetune.slurm</c>, as torchtune's
/// (<see cref="FinetuneSlurmScript.Start"/>: header, environment, per-job caches, the run's files copied
/// beside the checkpoints), then the conversations, <c>axolotl train axolotl.yaml</c>, the epoch names,
/// and the exit-code file with axolotl's status.
/// </summary>
/// <remarks>
/// Resuming is axolotl's own: <c>auto_resume_from_checkpoints</c> in the config continues from the
/// newest <c>checkpoint-{step}</c> when a requeued or re-submitted job starts again from the top.
/// The launcher is axolotl's default (accelerate), which starts one process per GPU the job was given.
/// </remarks>
public static class AxolotlSlurmScript
{
    /// <summary>The line that trains, in the run directory.</summary>
    public const string TrainLine = "axolotl train " + AxolotlYaml.FileName;

    /// <summary>The script's text.</summary>
    /// <exception cref="ScriptValueException">An environment setting or a prompt cannot be written into the script.</exception>
    public static string Emit(PlannedRun run, ExperimentLayout layout)
    {
        string checkpointDir = layout.CheckpointDir(run.Name);
        StringBuilder script = FinetuneSlurmScript.Start(run, layout, AxolotlYaml.FileName);
        // wandb (offline) writes below WANDB_DIR, beside the checkpoints as torchtune's logger does.
        script.Append("export WANDB_DIR=").Append(ShellQuoting.Quote(checkpointDir + "logs", "checkpoint directory")).Append('\n');
        AxolotlDataSteps.AppendMessages(script, run, layout);
        AxolotlDataSteps.AppendSetAsideIncomplete(script, checkpointDir);
        script.Append('\n');
        script.Append(TrainLine).Append('\n');
        script.Append("trained=$?\n");
        AxolotlDataSteps.AppendEpochNames(script, checkpointDir);
        // axolotl's status is the job's; a failed naming step fails a job that trained.
        script.Append("named=$?\n");
        script.Append("( exit $(( trained != 0 ? trained : named )) )\n");
        JobOutputFiles.AppendExit(script);
        return ReusedBuilder.ToStringAndKeep(script);
    }
}
