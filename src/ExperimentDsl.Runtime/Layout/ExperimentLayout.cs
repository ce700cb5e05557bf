using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Layout;

/// <summary>
/// Every path of a scaffolded experiment in one place (SPEC 6.1): what the scaffold writes under the
/// experiment directory, and where torchtune will later write checkpoints. Relative paths use '/'.
/// </summary>
public sealed class ExperimentLayout
{
    /// <summary>Creates the layout of <paramref name="plan"/> in <paramref name="experimentDir"/>.</summary>
    public ExperimentLayout(ExperimentPlan plan, string experimentDir, EnvironmentSettings environment)
    {
        Plan = plan;
        ExperimentDir = Path.GetFullPath(experimentDir);
        Environment = environment;
    }

    /// <summary>The plan.</summary>
    public ExperimentPlan Plan { get; }

    /// <summary>Absolute experiment directory.</summary>
    public string ExperimentDir { get; }

    /// <summary>The environment the paths are resolved in.</summary>
    public EnvironmentSettings Environment { get; }

    /// <summary>File name of the torchtune action log.</summary>
    public const string TorchtuneLogName = "scaffold-torchtune.log";

    /// <summary>File name of the inspect action log.</summary>
    public const string InspectLogName = "scaffold-inspect.log";

    /// <summary>File name of the human plan.</summary>
    public const string SummaryName = "experiment_summary.md";

    /// <summary>File name of the plan in cruijff_kit's format (its tools read this one).</summary>
    public const string SummaryYamlName = "experiment_summary.yaml";

    /// <summary>Relative path of a run's setup_finetune.yaml.</summary>
    public static string SetupYaml(string run) => run + "/setup_finetune.yaml";

    /// <summary>Relative path of a run's finetune.yaml.</summary>
    public static string FinetuneYaml(string run) => run + "/finetune.yaml";

    /// <summary>Relative path of a run's finetune.slurm.</summary>
    public static string FinetuneSlurm(string run) => run + "/finetune.slurm";

    /// <summary>Relative eval directory of a run (or of a control's directory).</summary>
    public static string EvalDir(string runDirectory) => runDirectory + "/eval";

    /// <summary>Relative eval logs directory.</summary>
    public static string EvalLogsDir(string runDirectory) => runDirectory + "/eval/logs";

    /// <summary>Relative path of a fine-tuned run's eval script: <c>{run}/eval/{task}_epoch{N}.slurm</c>.</summary>
    public static string EvalScript(string run, string task, int epoch) =>
        run + "/eval/" + task + "_epoch" + epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".slurm";

    /// <summary>Relative path of a control's eval script: <c>{run}_base/eval/{task}_base.slurm</c>.</summary>
    public static string ControlEvalScript(ControlRun control, string task) =>
        control.DirectoryName + "/eval/" + task + "_base.slurm";

    /// <summary>
    /// Relative path of an eval-only run's eval script: <c>{run}/eval/{task}.slurm</c>. Like a control's,
    /// one per task with no epoch (the checkpoint is the one given); unlike a control's, no suffix: the
    /// directory is the run's own name, so nothing else shares it.
    /// </summary>
    public static string EvalOnlyEvalScript(string run, string task) => run + "/eval/" + task + ".slurm";

    /// <summary>Relative path of the eval script of one cell of the evaluation matrix.</summary>
    public string EvalScript(EvalCell cell) => cell switch
    {
        { Epoch: int epoch } => EvalScript(cell.RunName, cell.TaskName, epoch),
        { IsEvalOnly: true } => EvalOnlyEvalScript(EvalOnly(cell.RunName).Name, cell.TaskName),
        _ => ControlEvalScript(Control(cell.RunName), cell.TaskName),
    };

    /// <summary>The directory holding a cell's <c>eval/</c>: the run's or eval-only run's name, or the control's <c>{model}_base</c>.</summary>
    public string EvalOwnerDirectory(EvalCell cell) => cell.IsControl ? Control(cell.RunName).DirectoryName : cell.RunName;

    /// <summary>The control named <paramref name="name"/>.</summary>
    public ControlRun Control(string name) =>
        Plan.Controls.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"The plan has no control named '{name}'.", nameof(name));

    /// <summary>The eval-only run named <paramref name="name"/>.</summary>
    public EvalOnlyRun EvalOnly(string name) =>
        Plan.EvalOnlyRuns.FirstOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"The plan has no eval-only run named '{name}'.", nameof(name));

    /// <summary>The absolute checkpoint directory an eval-only run evaluates, without a trailing '/'.</summary>
    public string EvalOnlyCheckpoint(EvalOnlyRun run) => ResolveInput(run.CheckpointPath).TrimEnd('/') is { Length: > 0 } path ? path : "/";

    /// <summary>Absolute path of a relative scaffold path.</summary>
    public string Absolute(string relativePath) => Path.Combine(ExperimentDir, relativePath);

    /// <summary>
    /// Checkpoint directory of a run, with a trailing '/': <c>{output_root}/{experiment}/ck-out-{run}/</c>,
    /// or cruijff_kit v0.3.4's <c>{output_root}/{experiment}/{run}/artifacts/</c> when the environment
    /// feeds that generation (its setup_finetune.py writes that <c>output_dir</c>; every script and
    /// <c>status</c> look where the fine-tune writes).
    /// </summary>
    public string CheckpointDir(string run) => Environment.CruijffKitVersion == CruijffKitVersion.V0_3_4
        ? Join(Environment.OutputRoot, Plan.Name, run, "artifacts") + "/"
        : Join(Environment.OutputRoot, Plan.Name, "ck-out-" + run) + "/";

    /// <summary>Checkpoint of one epoch: <see cref="CheckpointDir"/> then <c>epoch_{N}</c>.</summary>
    public string EpochCheckpoint(string run, int epoch) =>
        CheckpointDir(run) + "epoch_" + epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Directory of a base model, without a trailing '/': <c>{models_dir}/{model}</c>.</summary>
    public string ModelDir(Model model) => Join(Environment.ModelsDir, ModelCatalog.Of(model).Name);

    /// <summary>Models directory with a trailing '/'.</summary>
    public string ModelsDirWithSlash => Environment.ModelsDir.TrimEnd('/') + "/";

    /// <summary>
    /// An input path of the plan (dataset, task script) made absolute: relative paths are resolved
    /// against the plan's <see cref="ExperimentPlan.BaseDirectory"/>, or the working directory.
    /// </summary>
    public string ResolveInput(string path) =>
        Path.GetFullPath(Path.Combine(Plan.BaseDirectory ?? Directory.GetCurrentDirectory(), path));

    private static string Join(string first, params string[] rest) =>
        first.TrimEnd('/') + "/" + string.Join("/", rest);
}
