using System.Globalization;
using System.Text;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Text;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// The batch script that fine-tunes one run (SPEC 6.4): <c>{run}/finetune.slurm</c>. It runs
/// torchtune's LoRA recipe on the run's <c>finetune.yaml</c> and exits with torchtune's status.
/// </summary>
public static class FinetuneSlurmScript
{
    /// <summary>The fine-tune recipe of a single-GPU job.</summary>
    public const string SingleDeviceRecipe = "lora_finetune_single_device";

    /// <summary>The fine-tune recipe of a multi-GPU job.</summary>
    public const string DistributedRecipe = "lora_finetune_distributed";

    /// <summary>The config file the script hands to <c>tune run</c>, relative to the run directory.</summary>
    public const string ConfigFileName = "finetune.yaml";

    /// <summary>What follows the config on the <c>tune run</c> line: the resume override, when the script found a checkpoint.</summary>
    public const string ResumeArguments = "\"${RESUME[@]}\"";

    /// <summary>
    /// The line that copies the run's files into its checkpoint directory before training (SPEC 6.4):
    /// a task that takes <c>config_dir</c> reads <c>setup_finetune.yaml</c> from the epoch checkpoint's
    /// parent, and the config and script beside the weights say how they were trained.
    /// </summary>
    /// <param name="checkpointDir">The run's checkpoint directory.</param>
    /// <param name="configFileName">The trainer's config file: <see cref="ConfigFileName"/> for torchtune.</param>
    public static string CopyRunFilesLine(string checkpointDir, string configFileName = ConfigFileName) =>
        "cp setup_finetune.yaml " + configFileName + " finetune.slurm "
        + ShellQuoting.Quote(checkpointDir, "checkpoint directory") + " || exit 1";

    /// <summary>
    /// The script's text. Resources come from the model catalogue, then the run's settings, and
    /// the environment's fine-tune overrides win over both.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="layout">Where the run's directory and checkpoints are.</param>
    /// <exception cref="ScriptValueException">An environment setting cannot be written into the script.</exception>
    public static string Emit(PlannedRun run, ExperimentLayout layout)
    {
        RunSettings settings = run.Settings;
        int gpus = settings.EffectiveGpus;
        string checkpointDir = layout.CheckpointDir(run.Name);
        StringBuilder script = Start(run, layout, ConfigFileName);
        FinetuneResume.Write(script, checkpointDir, settings.Epochs, layout.ModelDir(settings.Model));
        script.Append('\n');

        // torchtune's single-device LoRA recipe never reads dataset_val or run_val_every_n_steps: a run
        // with validation uses the distributed recipe, which validates, even on one GPU.
        script.Append(gpus > 1 || settings.ValidationEveryNSteps > 0
            ? $"tune run --nproc_per_node={gpus.ToString(CultureInfo.InvariantCulture)} {DistributedRecipe} --config {ConfigFileName} {ResumeArguments}\n"
            : $"tune run {SingleDeviceRecipe} --config {ConfigFileName} {ResumeArguments}\n");
        JobOutputFiles.AppendExit(script);
        return ReusedBuilder.ToStringAndKeep(script);
    }

    /// <summary>
    /// The lines a fine-tune job starts with, whichever trainer runs it: the SLURM header, the
    /// environment with per-job caches, the run directory as the working directory (trainers resolve
    /// the config path against it) and the copy of the run's files into the checkpoint directory.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="layout">Where the run's directory and checkpoints are.</param>
    /// <param name="configFileName">The trainer's config file in the run directory.</param>
    /// <exception cref="ScriptValueException">An environment setting cannot be written into the script.</exception>
    internal static StringBuilder Start(PlannedRun run, ExperimentLayout layout, string configFileName)
    {
        RunSettings settings = run.Settings;
        var overrides = layout.Environment.Finetune;
        string checkpointDir = layout.CheckpointDir(run.Name);

        // A fine-tune script is about 2.5 KB; the builder is this thread's reused one (ReusedBuilder):
        // the caller ends it with ReusedBuilder.ToStringAndKeep.
        StringBuilder script = ReusedBuilder.Take(capacity: 4096);
        script.Append("#!/bin/bash\n");
        script.Append(new SbatchHeader()
            .Option("job-name", run.Name)
            .Option("nodes", 1)
            .Option("ntasks", 1)
            .Option("cpus-per-task", overrides.Cpus ?? settings.ModelInfo.Cpus)
            .Option("mem", overrides.Memory ?? settings.ModelInfo.Memory)
            .Option("time", overrides.Time ?? settings.FinetuneTime)
            .Option("gres", "gpu:" + settings.EffectiveGpus.ToString(CultureInfo.InvariantCulture))
            .Option("output", JobOutputFiles.OutputPattern)
            // A preempted job or one whose node failed goes back to the queue and resumes (SPEC 13);
            // appending keeps the interrupted attempt's output in the same file.
            .Flag("requeue")
            .Option("open-mode", "append")
            .Mail(layout.Environment)
            .Placement(layout.Environment));
        script.Append('\n');

        EnvironmentActivation.Write(script, layout.Environment);
        script.Append("JOB_TMP=$(mktemp -d) || exit 1\n");
        script.Append("trap 'rm -rf \"$JOB_TMP\"' EXIT\n");
        HuggingFaceAccess.Write(script, layout.Environment, "JOB_TMP");
        script.Append('\n');

        // wandb runs offline and writes under the checkpoint directory, which must exist first.
        script.Append("mkdir -p ").Append(ShellQuoting.Quote(checkpointDir + "logs/wandb", "checkpoint directory")).Append('\n');
        script.Append("cd ").Append(ShellQuoting.Quote(layout.Absolute(run.Name), "run directory")).Append(" || exit 1\n");
        script.Append(CopyRunFilesLine(checkpointDir, configFileName)).Append('\n');
        script.Append('\n');
        return script;
    }
}
