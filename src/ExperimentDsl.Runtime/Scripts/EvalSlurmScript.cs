using System.Text;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Text;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// The batch script of one evaluation (SPEC 6.6): <c>{run}/eval/{task}_epoch{N}.slurm</c>,
/// <c>{control}_base/eval/{task}_base.slurm</c>, or <c>{eval-only run}/eval/{task}.slurm</c>. It runs
/// <c>inspect eval</c> on the checkpoint (or base model, or the eval-only run's given checkpoint) and
/// exits with inspect's status; it stops first when the model directory is missing.
/// </summary>
public static class EvalSlurmScript
{
    /// <summary>
    /// The script's text.
    /// <para>
    /// Arguments: the script writes the model arguments (<c>model_path</c>) and the task arguments as
    /// JSON files in a temporary directory and passes them as <c>--model-config</c> and
    /// <c>--task-config</c>, so each value reaches inspect exactly (see <see cref="InspectArgumentFile"/>).
    /// A task that names <c>config_dir</c> gets the checkpoint path as <c>config_dir</c> on
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

        // An eval script is about 2 KB; the builder is this thread's reused one (ReusedBuilder).
        StringBuilder script = ReusedBuilder.Take(capacity: 4096);
        script.Append("#!/bin/bash\n");
        script.Append(new SbatchHeader()
            .Option("job-name", "eval-" + task.Name + "-" + cell.RunName)
            .Option("output", JobOutputFiles.OutputPattern)
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
        // Without this, a missing checkpoint surfaces as a Hugging Face error about repository ids.
        script.Append("if [ ! -d \"$MODEL_PATH\" ]; then\n");
        script.Append("  printf 'No model directory at %s\\n' \"$MODEL_PATH\" >&2\n");
        script.Append("  exit 1\n");
        script.Append("fi\n");
        if (ReadsSetupFile(cell, signature) && SetupFileCopy.ByEvalScript(layout))
        {
            script.Append(SetupFileCopy.Line(cell.RunName, layout)).Append('\n');
        }

        script.Append('\n');

        // Arguments go through files, never -M/-T: see InspectArgumentFile for what inspect does to those.
        script.Append("# inspect reads -M/-T values as YAML and splits them at commas; JSON argument files arrive exactly.\n");
        // Without -M/-T on the command line, inspect would take these variables from the submitting
        // shell and let them override the files' arguments.
        script.Append("unset INSPECT_EVAL_MODEL_ARGS INSPECT_EVAL_TASK_ARGS\n");
        script.Append("ARGS_DIR=$(mktemp -d) || exit 1\n");
        script.Append("trap 'rm -rf \"$ARGS_DIR\"' EXIT\n");
        HuggingFaceAccess.Write(script, layout.Environment, "ARGS_DIR");
        ModelArguments(modelPath, layout.Plan.Evaluation).AppendWriter(script, ModelArgsFile, "EXPERIMENTDSL_MODEL_ARGS");
        TaskArguments(cell, task, signature, settings, layout, modelPath).AppendWriter(script, TaskArgsFile, "EXPERIMENTDSL_TASK_ARGS");
        script.Append('\n');

        string taskReference = layout.ResolveInput(task.Script) + "@" + task.Name;
        script.Append("inspect eval ").Append(ShellQuoting.Quote(taskReference, "task script")).Append(" \\\n");
        script.Append("  --model ").Append(ShellQuoting.Quote(ModelName(cell, runDirectory), "model name")).Append(" \\\n");
        script.Append("  --model-config ").Append(ModelArgsFile).Append(" \\\n");
        script.Append("  --task-config ").Append(TaskArgsFile).Append(" \\\n");
        DecodingOptions.Append(script, layout.Plan.Evaluation);
        // Only a control evaluates the base model as it is: fine-tuned and eval-only cells evaluate a checkpoint.
        InspectMetadata.AppendOptions(script, layout.Plan.Name, runDirectory, task.Name, cell.Epoch, isFinetuned: !cell.IsControl, settings.ModelInfo.Name);
        script.Append("  --log-dir ./logs \\\n");
        script.Append("  --log-level info\n");
        JobOutputFiles.AppendExit(script);
        return ReusedBuilder.ToStringAndKeep(script);
    }

    /// <summary>The settings, directory and model path of the run, control or eval-only run the cell evaluates.</summary>
    internal static (RunSettings Settings, string RunDirectory, string ModelPath) Subject(EvalCell cell, ExperimentLayout layout)
    {
        if (cell.IsEvalOnly)
        {
            EvalOnlyRun evalOnly = layout.EvalOnly(cell.RunName);
            return (evalOnly.Settings, evalOnly.Name, layout.EvalOnlyCheckpoint(evalOnly));
        }

        if (cell.Epoch is int epoch)
        {
            PlannedRun run = RunsByName.Find(layout.Plan, cell.RunName)
                ?? throw new ArgumentException($"The plan has no run named '{cell.RunName}'.", nameof(cell));
            return (run.Settings, run.Name, layout.EpochCheckpoint(run.Name, epoch));
        }

        ControlRun control = layout.Control(cell.RunName);
        return (control.Settings, control.DirectoryName, layout.ModelDir(control.Settings.Model));
    }

    /// <summary>
    /// The model name inspect records in the log (SPEC 6.6). The <c>hf/</c> provider loads the weights
    /// from <c>model_path</c>, so the part after <c>hf/</c> is only a label: the run and epoch of a
    /// fine-tuned cell (<c>hf/{run}_epoch{N}</c>), the control's directory (which names its model) for a
    /// control, the run's name for an eval-only run (<c>hf/{run}</c>: its checkpoint has no epoch of ours).
    /// </summary>
    internal static string ModelName(EvalCell cell, string runDirectory) =>
        cell.Epoch is int epoch
            ? "hf/" + cell.RunName + "_epoch" + epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "hf/" + runDirectory;

    /// <summary>
    /// The model arguments the script hands to inspect: the model directory the <c>hf/</c> provider
    /// loads, and the plan's <c>do_sample</c> when it sets one (see <see cref="DecodingOptions"/>).
    /// </summary>
    internal static InspectArgumentFile ModelArguments(string modelPath, EvaluationSettings evaluation) =>
        DecodingOptions.AddModelArguments(new InspectArgumentFile().Add("model_path", modelPath, "model path"), evaluation);

    /// <summary>
    /// The task arguments (SPEC 6.6). <c>config_dir</c> is the literal checkpoint path, not
    /// <c>$MODEL_PATH</c>: a JSON file cannot expand variables, and the path is known here.
    /// <para>
    /// A seed-era task taking <c>config_dir</c> reads prompts and dataset from setup_finetune.yaml; a
    /// per-task override (<see cref="EvalTaskSpec"/>) is passed explicitly (<c>dataset_path</c>,
    /// <c>system_prompt</c>, <c>prompt_template</c>), and a task that cannot take it is refused.
    /// A cruijff_kit blueprint task gets the dataset as <c>data_path</c> and, when it names
    /// <c>config_path</c>, the per-evaluation <see cref="EvalConfigFile"/> holding the prompts.
    /// Whatever a task names of <c>vis_label</c>, <c>use_chat_template</c>, <c>temperature</c> and
    /// <c>max_tokens</c> it gets when the plan has a value (the last two only when set).
    /// </para>
    /// </summary>
    internal static InspectArgumentFile TaskArguments(
        EvalCell cell, EvalTaskSpec task, TaskSignature signature, RunSettings settings, ExperimentLayout layout, string modelPath)
    {
        var arguments = new InspectArgumentFile();
        EvalPrompts prompts = EvalPrompts.Of(settings, task);
        bool readsSetupFile = ReadsSetupFile(cell, signature);
        if (readsSetupFile)
        {
            arguments.Add(TaskSignature.ConfigDir, modelPath, "checkpoint path");
            if (task.Dataset is not null)
            {
                arguments.Add(TaskSignature.DatasetPath, layout.ResolveInput(task.Dataset), "dataset path");
            }

            if (task.SystemPrompt is not null)
            {
                arguments.Add(TaskSignature.SystemPrompt, task.SystemPrompt, "system prompt");
            }

            if (task.Prompt is not null)
            {
                arguments.Add(TaskSignature.PromptTemplate, task.Prompt, "prompt template");
            }
        }
        else
        {
            string datasetParameter = signature.Names(TaskSignature.DataPath) ? TaskSignature.DataPath : TaskSignature.DatasetPath;
            arguments.Add(datasetParameter, layout.ResolveInput(prompts.Dataset), "dataset path");
            if (WritesConfigFile(cell, signature))
            {
                arguments.Add(TaskSignature.ConfigPath, layout.Absolute(EvalConfigFile.PathBeside(layout.EvalScript(cell))), "eval config path");
            }
            else
            {
                if (signature.Accepts(TaskSignature.SystemPrompt) || prompts.SystemPrompt.Length > 0)
                {
                    arguments.Add(TaskSignature.SystemPrompt, prompts.SystemPrompt, "system prompt");
                }

                // The template the model was trained with (the tokenizer's prompt_template). Like a system
                // prompt, a real one is passed even to a task that cannot take it, so the scaffold refuses
                // that evaluation naming the task instead of evaluating another prompt.
                if (!Torchtune.PromptWrapping.IsDefault(prompts.Prompt))
                {
                    arguments.Add(TaskSignature.PromptTemplate, prompts.Prompt, "prompt template");
                }
            }
        }

        if (signature.Names(TaskSignature.VisLabel))
        {
            arguments.Add(TaskSignature.VisLabel, cell.VisLabel ?? cell.RunName, "vis label");
        }

        if (signature.Names(TaskSignature.UseChatTemplate))
        {
            arguments.Add(TaskSignature.UseChatTemplate, UsesChatTemplate(settings.DatasetType), "use_chat_template");
        }

        EvaluationSettings decoding = layout.Plan.Evaluation;
        if (signature.Names(TaskSignature.Temperature) && decoding.Temperature is double temperature)
        {
            arguments.Add(TaskSignature.Temperature, temperature, "Temperature");
        }

        if (signature.Names(TaskSignature.MaxTokens) && decoding.MaxTokens is int maxTokens)
        {
            arguments.Add(TaskSignature.MaxTokens, maxTokens, "MaxTokens");
        }

        return arguments;
    }

    /// <summary>Whether the evaluation's task reads the run's setup_finetune.yaml through <c>config_dir</c>.</summary>
    // Only a fine-tune of this experiment puts setup_finetune.yaml beside its checkpoint; an eval-only
    // run's checkpoint comes from elsewhere, so like a control it gets its arguments explicitly.
    internal static bool ReadsSetupFile(EvalCell cell, TaskSignature signature) => cell.IsFineTuned() && signature.AcceptsConfigDir;

    /// <summary>Whether the evaluation passes <c>config_path</c>, so its <see cref="EvalConfigFile"/> is written.</summary>
    internal static bool WritesConfigFile(EvalCell cell, TaskSignature signature) =>
        !ReadsSetupFile(cell, signature) && signature.Names(TaskSignature.ConfigPath);

    /// <summary>
    /// Whether the model was trained on chat-formatted messages, so the task should prompt through its
    /// chat template: every dataset builder we emit formats messages except a plain-text completion one.
    /// </summary>
    internal static bool UsesChatTemplate(DatasetType datasetType) => datasetType is not DatasetType.CruijffTextCompletion;

    /// <summary>
    /// The parameters the task requires (no default) that the evaluation does not supply: inspect would
    /// stop with a missing-argument error when the job runs.
    /// </summary>
    internal static IEnumerable<string> MissingRequired(InspectArgumentFile arguments, TaskSignature signature) =>
        signature.RequiredParameters.Where(p => !arguments.Names.Contains(p, StringComparer.Ordinal));

    // Inside the per-job temporary directory; double-quoted so the directory name is one word.
    private const string ModelArgsFile = "\"$ARGS_DIR/model_args.json\"";
    private const string TaskArgsFile = "\"$ARGS_DIR/task_args.json\"";
}
