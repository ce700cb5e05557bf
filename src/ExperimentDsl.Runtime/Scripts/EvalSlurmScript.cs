using System.Text;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// The batch script of one evaluation (SPEC 6.6): <c>{run}/eval/{task}_epoch{N}.slurm</c>, or
/// <c>{control}_base/eval/{task}_base.slurm</c>. It runs <c>inspect eval</c> on the checkpoint
/// (or base model) and exits with inspect's status.
/// </summary>
public static class EvalSlurmScript
{
    /// <summary>
    /// The script's text.
    /// <para>
    /// Task arguments: a task that names <c>config_dir</c> gets <c>-T config_dir="$MODEL_PATH"</c> on
    /// fine-tuned cells and reads dataset and system prompt from the run's setup_finetune.yaml.
    /// Otherwise (and always for controls, which have no setup file) the dataset and the run's
    /// training system prompt are passed as <c>dataset_path</c> and <c>system_prompt</c>. A task
    /// dataset override is always passed as <c>dataset_path</c>.
    /// </para>
    /// <para>
    /// <c>dataset_path</c> is written even when the signature does not list it: dropping it would
    /// silently evaluate another dataset, while passing it lets inspect (and VERIFY_TASK_SCRIPTS)
    /// report the mismatch. <c>system_prompt</c> is left out only when the task cannot take it and the
    /// prompt is empty, where nothing is lost; a non-empty prompt is always passed for the same reason.
    /// </para>
    /// <para>
    /// Resources: <c>--mem</c> and <c>--cpus-per-task</c> default to the catalogue's values for the
    /// evaluated model and <c>--time</c> to the run's <c>EvalTime</c>; the environment's eval
    /// overrides win. Eval jobs send no mail: a sweep has hundreds of them.
    /// </para>
    /// </summary>
    /// <param name="cell">The evaluation: run (or control), task, epoch.</param>
    /// <param name="task">The task as the plan declares it.</param>
    /// <param name="signature">The task function as the task script defines it.</param>
    /// <param name="layout">Paths of the experiment; its plan holds the run or control named by the cell.</param>
    /// <exception cref="ArgumentException">The plan has no run or control named by the cell.</exception>
    /// <exception cref="ScriptValueException">An environment setting cannot be written into the script.</exception>
    public static string Emit(EvalCell cell, EvalTaskSpec task, TaskSignature signature, ExperimentLayout layout)
    {
        (RunSettings settings, string runDirectory, string modelPath) = Subject(cell, layout);
        var overrides = layout.Environment.Eval;

        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append(new SbatchHeader()
            .Option("job-name", "eval-" + task.Name + "-" + cell.RunName)
            .Option("output", "slurm-%j.out")
            .Option("nodes", 1)
            .Option("ntasks", 1)
            .Option("cpus-per-task", overrides.Cpus ?? settings.ModelInfo.Cpus)
            .Option("mem", overrides.Memory ?? settings.ModelInfo.Memory)
            .Option("time", overrides.Time ?? settings.EvalTime)
            .Option("gres", "gpu:1")
            .Placement(layout.Environment));
        script.Append('\n');

        EnvironmentActivation.Write(script, layout.Environment);
        script.Append('\n');

        // inspect writes ./logs relative to the working directory.
        script.Append("cd ").Append(ShellQuoting.Quote(layout.Absolute(ExperimentLayout.EvalDir(runDirectory)), "eval directory")).Append(" || exit 1\n");
        script.Append("MODEL_PATH=").Append(ShellQuoting.Quote(modelPath, "model path")).Append('\n');
        script.Append('\n');

        string taskReference = layout.ResolveInput(task.Script) + "@" + task.Name;
        script.Append("inspect eval ").Append(ShellQuoting.Quote(taskReference, "task script")).Append(" \\\n");
        script.Append("  --model hf/local \\\n");
        script.Append("  -M model_path=\"$MODEL_PATH\" \\\n");
        foreach (string argument in TaskArguments(cell, task, signature, settings, layout))
        {
            script.Append("  -T ").Append(argument).Append(" \\\n");
        }

        script.Append("  --log-dir ./logs \\\n");
        script.Append("  --log-level info\n");
        script.Append("status=$?\n");
        script.Append("exit \"$status\"\n");
        return script.ToString();
    }

    /// <summary>The settings, directory and model path of the run or control the cell evaluates.</summary>
    internal static (RunSettings Settings, string RunDirectory, string ModelPath) Subject(EvalCell cell, ExperimentLayout layout)
    {
        if (cell.Epoch is int epoch)
        {
            PlannedRun run = layout.Plan.Runs.FirstOrDefault(r => r.Name == cell.RunName)
                ?? throw new ArgumentException($"The plan has no run named '{cell.RunName}'.", nameof(cell));
            return (run.Settings, run.Name, layout.EpochCheckpoint(run.Name, epoch));
        }

        ControlRun control = layout.Control(cell.RunName);
        return (control.Settings, control.DirectoryName, layout.ModelDir(control.Settings.Model));
    }

    // The -T arguments as shell words, each one argv string 'key=value'.
    private static IEnumerable<string> TaskArguments(
        EvalCell cell, EvalTaskSpec task, TaskSignature signature, RunSettings settings, ExperimentLayout layout)
    {
        bool readsSetupFile = !cell.IsControl && signature.AcceptsConfigDir;
        if (readsSetupFile)
        {
            yield return TaskSignature.ConfigDir + "=\"$MODEL_PATH\"";
        }

        if (!readsSetupFile || task.Dataset is not null)
        {
            string dataset = layout.ResolveInput(task.Dataset ?? settings.Dataset);
            yield return ShellQuoting.Quote(TaskSignature.DatasetPath + "=" + dataset, "dataset path");
        }

        if (!readsSetupFile && (signature.Accepts(TaskSignature.SystemPrompt) || settings.SystemPrompt.Length > 0))
        {
            yield return ShellQuoting.Quote(TaskSignature.SystemPrompt + "=" + settings.SystemPrompt, "system prompt");
        }
    }
}
