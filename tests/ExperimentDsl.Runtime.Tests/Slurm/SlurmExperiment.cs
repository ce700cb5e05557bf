using System.Globalization;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>
/// A scaffolded copy of the seed example in a temporary directory, with small but realistic batch
/// scripts in the layout's paths (the real emitters are written elsewhere) that call stub
/// <c>tune</c>/<c>inspect</c>/<c>module</c>/<c>conda</c> executables put first on the jobs' PATH.
/// The stub tune writes the epoch checkpoints; the stub inspect refuses to run without its
/// checkpoint and leaves a marker per evaluation in <c>eval/logs/</c>.
/// </summary>
internal sealed class SlurmExperiment : IDisposable
{
    private const string TuneStub = """
        #!/bin/bash
        # Stub torchtune: `tune run <recipe> --config finetune.yaml` writes one checkpoint per epoch.
        config=""
        while [ $# -gt 0 ]; do
            case "$1" in --config) config=$2; shift ;; esac
            shift
        done
        out=$(sed -n 's/^output_dir: *//p' "$config")
        epochs=$(sed -n 's/^epochs: *//p' "$config")
        [ -n "$out" ] && [ -n "$epochs" ] || { echo "stub tune: no output_dir/epochs in $config" >&2; exit 2; }
        if grep -q '^stub_fail: true' "$config"; then echo "stub tune: failing as the test asked" >&2; exit 1; fi
        sleep 0.3
        for ((e = 0; e < epochs; e++)); do
            mkdir -p "${out}epoch_$e" && echo weights > "${out}epoch_$e/adapter_model.safetensors"
        done
        """;

    private const string InspectStub = """
        #!/bin/bash
        # Stub inspect-ai: `inspect eval script@task ... -M model_path=P ... --log-dir D` needs the checkpoint.
        task=""; model_path=""; log_dir=./logs
        while [ $# -gt 0 ]; do
            case "$1" in
                eval) task=${2#*@}; shift ;;
                -M) case "$2" in model_path=*) model_path=${2#model_path=} ;; esac; shift ;;
                --log-dir) log_dir=$2; shift ;;
            esac
            shift
        done
        [ -f "$model_path/adapter_model.safetensors" ] || { echo "stub inspect: no checkpoint in $model_path" >&2; exit 1; }
        sleep 0.2
        mkdir -p "$log_dir" && echo "$SLURM_JOB_ID" > "$log_dir/${task}_$(basename "$model_path").marker"
        """;

    private const string NoOpStub = "#!/bin/bash\nexit 0\n";

    public SlurmExperiment(string tag)
    {
        Root = Path.Combine(Path.GetTempPath(), "exd-slurm-tests", tag + "-" + Guid.NewGuid().ToString("N")[..8]);
        Bin = Path.Combine(Root, "bin");
        Plan = TestPlans.Capitalization(baseDirectory: Path.Combine(Root, "src"));
        EnvironmentSettings environment = TestPlans.Environment with
        {
            OutputRoot = Path.Combine(Root, "out"),
            ModelsDir = Path.Combine(Root, "models"),
        };
        Layout = new ExperimentLayout(Plan, Path.Combine(Root, "exp", Plan.Name), environment);
        Directory.CreateDirectory(Bin);
        WriteExecutable(Path.Combine(Bin, "tune"), TuneStub);
        WriteExecutable(Path.Combine(Bin, "inspect"), InspectStub);
        WriteExecutable(Path.Combine(Bin, "module"), NoOpStub);
        WriteExecutable(Path.Combine(Bin, "conda"), NoOpStub);
        Slurm = new CountingSlurm(new SlurmCommandLine(new Dictionary<string, string>
        {
            ["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
        }));
    }

    public string Root { get; }

    public string Bin { get; }

    public ExperimentPlan Plan { get; }

    public ExperimentLayout Layout { get; }

    public CountingSlurm Slurm { get; }

    public string StatePath => SlurmStateFile.PathIn(Layout.ExperimentDir);

    public IReadOnlyList<string> RunNames => [.. Plan.Runs.Select(r => r.Name)];

    public Submitter Submitter() => new(Layout, Slurm);

    public StatusReporter Reporter() => new(Layout, Slurm);

    public SlurmStateFile State() => SlurmStateFile.Load(StatePath, Plan.Name);

    /// <summary>Writes finetune.yaml, finetune.slurm and the eval scripts of every run.</summary>
    public void WriteScripts(ISet<string>? failingRuns = null, IReadOnlyDictionary<string, string>? partitions = null)
    {
        foreach (PlannedRun run in Plan.Runs)
        {
            WriteFinetune(run, failingRuns?.Contains(run.Name) == true, partitions?.GetValueOrDefault(run.Name));
        }

        foreach (EvalCell cell in Plan.Evaluations)
        {
            WriteEval(cell);
        }
    }

    public void WriteFinetune(PlannedRun run, bool failing = false, string? partition = null)
    {
        string checkpoints = Layout.CheckpointDir(run.Name);
        string yaml = $"""
            my_wandb_run_name: {run.Name}
            output_dir: {checkpoints}
            epochs: {run.Settings.Epochs.ToString(CultureInfo.InvariantCulture)}
            model:
              lora_rank: {run.Settings.LoraRank.ToString(CultureInfo.InvariantCulture)}
            {(failing ? "stub_fail: true\n" : "")}
            """;
        Directory.CreateDirectory(Layout.Absolute(run.Name));
        File.WriteAllText(Layout.Absolute(ExperimentLayout.FinetuneYaml(run.Name)), yaml.Replace("\r\n", "\n", StringComparison.Ordinal));
        string script = $"""
            #!/bin/bash
            #SBATCH --job-name={run.Name}
            #SBATCH --nodes=1
            #SBATCH --ntasks=1
            #SBATCH --cpus-per-task=1
            #SBATCH --mem=100M
            #SBATCH --time=00:05:00
            #SBATCH --gres=gpu:1
            #SBATCH --output=slurm-%j.out
            {(partition is null ? "" : "#SBATCH --partition=" + partition)}

            module purge
            conda activate ttenv
            mkdir -p '{checkpoints}logs/wandb'
            tune run lora_finetune_single_device --config finetune.yaml
            status=$?
            printf '%s\n' "$status" > "$SLURM_SUBMIT_DIR/slurm-$SLURM_JOB_ID.exitcode"
            exit "$status"

            """;
        WriteExecutable(Layout.Absolute(ExperimentLayout.FinetuneSlurm(run.Name)), script);
    }

    private void WriteEval(EvalCell cell)
    {
        string path = Layout.Absolute(Layout.EvalScript(cell));
        string evalDir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(Path.Combine(evalDir, "logs"));
        string modelPath = cell.Epoch is int epoch ? Layout.EpochCheckpoint(cell.RunName, epoch) : Layout.ModelDir(Plan.Controls.Single(c => c.Name == cell.RunName).Settings.Model);
        string taskScript = Layout.ResolveInput(Plan.Tasks.Single(t => t.Name == cell.TaskName).Script);
        string script = $"""
            #!/bin/bash
            #SBATCH --job-name=eval-{cell.TaskName}-{cell.RunName}
            #SBATCH --output=slurm-%j.out
            #SBATCH --nodes=1
            #SBATCH --ntasks=1
            #SBATCH --cpus-per-task=1
            #SBATCH --mem=100M
            #SBATCH --time=00:05:00
            #SBATCH --gres=gpu:1

            module purge
            conda activate ttenv
            MODEL_PATH='{modelPath}'
            cd '{evalDir}'
            inspect eval '{taskScript}@{cell.TaskName}' --model hf/local -M model_path="$MODEL_PATH" -T config_dir="$MODEL_PATH" --log-dir ./logs --log-level info
            status=$?
            printf '%s\n' "$status" > "$SLURM_SUBMIT_DIR/slurm-$SLURM_JOB_ID.exitcode"
            exit "$status"

            """;
        WriteExecutable(path, script);
    }

    /// <summary>The marker the stub inspect leaves for an evaluation, whether or not it ran.</summary>
    public string Marker(EvalCell cell) => Path.Combine(
        Layout.Absolute(ExperimentLayout.EvalLogsDir(cell.RunName)),
        $"{cell.TaskName}_epoch_{cell.Epoch!.Value.ToString(CultureInfo.InvariantCulture)}.marker");

    /// <summary>Refreshes the status every half second until no job of ours is queued or running.</summary>
    public StatusReport WaitUntilSettled(TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        StatusReporter reporter = Reporter();
        while (true)
        {
            StatusReport report = reporter.Refresh();
            if (report.Runs.SelectMany(r => r.Jobs).All(j => !SlurmJobStates.IsActive(j.State)))
            {
                return report;
            }

            Assert.True(DateTime.UtcNow < deadline, "Jobs still queued after the timeout:\n" + StatusRendering.ToTable(report));
            Thread.Sleep(500);
        }
    }

    public void Dispose()
    {
        // Leftover jobs would hold CPUs the next test needs.
        if (File.Exists(StatePath))
        {
            string[] active = [.. State().Jobs.Values.Where(r => r.JobId is not null && SlurmJobStates.IsActive(r.State)).Select(r => r.JobId!)];
            LocalSlurm.Cancel(active);
            if (active.Length > 0)
            {
                // A cancelled job may still be writing its output; keep its directory.
                return;
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void WriteExecutable(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }
}

/// <summary>Passes commands to the real SLURM and counts the sbatch calls.</summary>
internal sealed class CountingSlurm(ISlurmCommands inner) : ISlurmCommands
{
    private int _sbatchCalls;

    public int SbatchCalls => Volatile.Read(ref _sbatchCalls);

    public SlurmCommandResult Sbatch(IReadOnlyList<string> arguments, string workingDirectory)
    {
        Interlocked.Increment(ref _sbatchCalls);
        return inner.Sbatch(arguments, workingDirectory);
    }

    public SlurmCommandResult Squeue(IReadOnlyList<string> arguments) => inner.Squeue(arguments);

    public SlurmCommandResult ScontrolShowJob(string jobId) => inner.ScontrolShowJob(jobId);

    public SlurmCommandResult Sacct(IReadOnlyList<string> arguments) => inner.Sacct(arguments);
}
