using System.Globalization;
using System.Text;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// The part of <c>finetune.slurm</c> that continues an interrupted fine-tune (SPEC 13): a job requeued
/// by SLURM (preemption, node failure) or re-submitted after a time-out starts again from the top of
/// the script, finds the epoch checkpoints an earlier attempt left in the checkpoint directory and
/// hands torchtune <c>resume_from_checkpoint=True</c>, so finished epochs are not trained again.
/// </summary>
/// <remarks>
/// Facts of the pinned torchtune (tests/Contract/torchtune-contract.json, "resume"): with the flag set,
/// the FullModelHFCheckpointer loads <c>recipe_state.pt</c> and <c>adapter_model.pt</c> from the newest
/// directory matching <c>^epoch_(\d+)</c> in its output_dir, and fails when that directory lacks the
/// recipe state. The recipe state is written for every epoch but the last, after the epoch's weights;
/// so a newest directory without it is either the final epoch (training is over) or a save cut short,
/// which is moved aside into <c>incomplete/</c> so that torchtune resumes from the one before.
/// </remarks>
public static class FinetuneResume
{
    /// <summary>The top-level config key that makes a LoRA recipe resume.</summary>
    public const string ConfigKey = "resume_from_checkpoint";

    /// <summary>The recipe state the checkpointer loads from the epoch directory it resumes from.</summary>
    public const string RecipeStateFile = "recipe_state.pt";

    /// <summary>The adapter weights the checkpointer loads from the same directory.</summary>
    public const string AdapterFile = "adapter_model.pt";

    /// <summary>The prefix of an epoch checkpoint directory (<c>epoch_{N}</c>).</summary>
    public const string EpochDirPrefix = "epoch_";

    /// <summary>Where cut-short epoch directories are moved, inside the checkpoint directory.</summary>
    public const string IncompleteDir = "incomplete";

    /// <summary>The override the script passes to <c>tune run</c> when it resumes.</summary>
    public const string Override = ConfigKey + "=True";

    /// <summary>
    /// Words that, anywhere in the checkpointer's <c>checkpoint_dir</c> (the base model's directory),
    /// make torchtune resume from that directory instead of the newest epoch: it then looks for the
    /// recipe state beside the base weights and fails. A base model under such a path (a user named
    /// Stephen, a directory <c>steps/</c>) cannot resume; its jobs start again from epoch 0.
    /// </summary>
    public static IReadOnlyList<string> CheckpointDirMarkers { get; } = ["epoch", "step"];

    /// <summary>
    /// Appends the lines that set <c>RESUME</c> to <see cref="Override"/> when an earlier attempt left a
    /// complete intermediate epoch, or end the job successfully when every epoch is already trained.
    /// </summary>
    /// <param name="script">The script being written; the run directory is the working directory.</param>
    /// <param name="checkpointDir">The run's checkpoint directory (torchtune's output_dir), ending in '/'.</param>
    /// <param name="epochs">The run's epoch count: the last epoch has no recipe state.</param>
    /// <param name="baseModelDir">The base model's directory (the checkpointer's checkpoint_dir).</param>
    internal static void Write(StringBuilder script, string checkpointDir, int epochs, string baseModelDir)
    {
        string quoted = ShellQuoting.Quote(checkpointDir, "checkpoint directory");
        string? marker = CheckpointDirMarkers.FirstOrDefault(m => baseModelDir.Contains(m, StringComparison.Ordinal));
        string lastEpoch = (epochs - 1).ToString(CultureInfo.InvariantCulture);
        script.Append("# Resume after a requeue or a re-submission: continue from the newest complete epoch checkpoint.\n");
        script.Append("CHECKPOINTS=").Append(quoted).Append('\n');
        script.Append("RESUME=()\n");
        script.Append("while :; do\n");
        script.Append("  NEWEST=-1\n");
        script.Append("  for DIR in \"$CHECKPOINTS\"" + EpochDirPrefix + "*/; do\n");
        script.Append("    N=${DIR%/}; N=${N##*/" + EpochDirPrefix + "}\n");
        script.Append("    if [[ $N =~ ^(0|[1-9][0-9]*)$ ]] && (( N > NEWEST )); then NEWEST=$N; fi\n");
        script.Append("  done\n");
        script.Append("  (( NEWEST >= 0 )) || break\n");
        script.Append("  EPOCH_DIR=\"${CHECKPOINTS}" + EpochDirPrefix + "$NEWEST\"\n");
        script.Append("  if [ -f \"$EPOCH_DIR/" + RecipeStateFile + "\" ] && [ -f \"$EPOCH_DIR/" + AdapterFile + "\" ]; then\n");
        if (marker is null)
        {
            script.Append("    echo \"Resuming after epoch $NEWEST from $EPOCH_DIR\"\n");
            script.Append("    RESUME=(" + Override + ")\n");
        }
        else
        {
            // torchtune would look for the recipe state in the base model's directory and fail.
            script.Append("    echo \"Not resuming after epoch $NEWEST: the base model's path contains '").Append(marker)
                .Append("', which makes torchtune look for the recipe state there; training starts again from epoch 0\"\n");
        }

        script.Append("    break\n");
        script.Append("  fi\n");
        script.Append("  if (( NEWEST == ").Append(lastEpoch).Append(" )) && [ -f \"$EPOCH_DIR/adapter_config.json\" ]; then\n");
        script.Append("    echo \"Every epoch is already trained ($EPOCH_DIR): nothing to resume\"\n");
        script.Append("    true\n");
        JobOutputFiles.AppendExit(script, indent: "    ");
        script.Append("  fi\n");
        script.Append("  # A save cut short: torchtune would pick it and fail; keep it aside and look again.\n");
        script.Append("  mkdir -p \"${CHECKPOINTS}" + IncompleteDir + "\" || exit 1\n");
        script.Append("  mv \"$EPOCH_DIR\" \"${CHECKPOINTS}" + IncompleteDir + "/" + EpochDirPrefix + "$NEWEST.${SLURM_JOB_ID:-manual}.$$\" || exit 1\n");
        script.Append("done\n");
    }
}
