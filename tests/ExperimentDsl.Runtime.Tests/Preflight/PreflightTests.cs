using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Preflight;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Slurm;

namespace ExperimentDsl.Runtime.Tests.Preflight;

/// <summary>
/// Preflight over a complete set of inputs (the example's dataset and task scripts, a base model
/// directory with the catalogue's files) from which each test removes or damages one kind.
/// </summary>
public sealed class PreflightTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly ExperimentLayout _layout;
    private readonly FakeSlurm _slurm = new();

    public PreflightTests()
    {
        string source = _root.Combine("src");
        Directory.CreateDirectory(Path.Combine(source, "tasks"));
        Directory.CreateDirectory(Path.Combine(source, "data"));
        foreach (string task in new[] { "capitalization.py", "reasoning.py" })
        {
            File.Copy(Path.Combine(RepoPaths.CapitalizationExample, "tasks", task), Path.Combine(source, "tasks", task));
        }

        Dataset = Path.Combine(source, "data", "capitalization.json");
        File.Copy(Path.Combine(RepoPaths.CapitalizationExample, "data", "capitalization.json"), Dataset);
        ExperimentPlan plan = TestPlans.Capitalization(baseDirectory: source);
        plan = plan with { Runs = [.. plan.Runs.Select(r => r with { Settings = r.Settings with { Dataset = "data/capitalization.json" } })] };
        _layout = new ExperimentLayout(plan, _root.Combine("exp"), TestPlans.Environment with
        {
            OutputRoot = _root.Combine("out"),
            ModelsDir = _root.Combine("models"),
        });
        Directory.CreateDirectory(_layout.ExperimentDir);
        ModelDir = _layout.ModelDir(Model.Llama_3_2_1B);
        Directory.CreateDirectory(Path.Combine(ModelDir, "original"));
        File.WriteAllText(Path.Combine(ModelDir, "model.safetensors"), "weights");
        File.WriteAllText(Path.Combine(ModelDir, "original", "tokenizer.model"), "tokenizer");
    }

    private string Dataset { get; }

    private string ModelDir { get; }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Complete_inputs_pass_and_the_log_says_so()
    {
        PreflightReport report = PreflightLog.CheckAndLog(_layout, _slurm);

        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.Contains("PREFLIGHT\nDetails: Checked ", File.ReadAllText(_layout.Absolute(RunLogs.TorchtuneName)), StringComparison.Ordinal);
        Assert.Contains("Result: All inputs present", File.ReadAllText(_layout.Absolute(RunLogs.InspectName)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_base_model_directory_is_named_once_with_its_path()
    {
        Directory.Delete(ModelDir, recursive: true);

        PreflightProblem problem = Assert.Single(Problems());

        Assert.Equal(ModelDir, problem.Path);
        Assert.Contains("base model directory does not exist", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_checkpoint_file_is_named_with_its_path()
    {
        File.Delete(Path.Combine(ModelDir, "model.safetensors"));

        Assert.Equal(Path.Combine(ModelDir, "model.safetensors"), Assert.Single(Problems()).Path);
    }

    [Fact]
    public void A_missing_tokenizer_file_is_named_with_its_path()
    {
        File.Delete(Path.Combine(ModelDir, "original", "tokenizer.model"));

        Assert.Equal(Path.Combine(ModelDir, "original", "tokenizer.model"), Assert.Single(Problems()).Path);
    }

    [Fact]
    public void A_missing_dataset_is_named_with_its_path()
    {
        File.Delete(Dataset);

        PreflightProblem problem = Assert.Single(Problems());
        Assert.Equal(Dataset, problem.Path);
        Assert.Contains("dataset does not exist", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dataset_without_the_train_split_is_named_with_the_keys_it_has()
    {
        File.WriteAllText(Dataset, """{"validation": [], "test": [{"input": "a", "output": "A"}]}""");

        PreflightProblem problem = Assert.Single(Problems());
        Assert.Equal(Dataset, problem.Path);
        Assert.Contains("no 'train' key", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("test, validation", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_task_script_is_named_with_its_path()
    {
        string script = Path.Combine(_root.Path, "src", "tasks", "reasoning.py");
        File.Delete(script);

        PreflightProblem problem = Assert.Single(Problems());
        Assert.Equal(script, problem.Path);
        Assert.True(problem.ForEvaluation);
    }

    [Fact]
    public void A_task_script_without_its_task_is_named_with_the_tasks_it_defines()
    {
        string script = Path.Combine(_root.Path, "src", "tasks", "reasoning.py");
        File.WriteAllText(script, File.ReadAllText(script).Replace("def reasoning(", "def renamed(", StringComparison.Ordinal));

        PreflightProblem problem = Assert.Single(Problems());
        Assert.Equal(script, problem.Path);
        Assert.Contains("no @task named 'reasoning'", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_root_under_a_file_is_named_with_that_path()
    {
        File.WriteAllText(_root.Combine("out"), "not a directory");

        PreflightProblem problem = Assert.Single(Problems());
        Assert.Equal(_root.Combine("out"), problem.Path);
        Assert.Contains("output root", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_output_root_is_named_with_its_path()
    {
        // /proc takes no new file from anyone, root included (permission bits would not stop root,
        // which CI runs as): its nearest existing ancestor is what the check must name.
        string outputRoot = "/proc/exd-preflight-" + Guid.NewGuid().ToString("N") + "/outputs";
        var layout = new ExperimentLayout(_layout.Plan, _layout.ExperimentDir, _layout.Environment with { OutputRoot = outputRoot });

        PreflightProblem problem = Assert.Single(new PreflightChecks(layout, _slurm).Run().Problems);

        Assert.Equal("/proc", problem.Path);
        Assert.Contains("cannot be written", problem.Problem, StringComparison.Ordinal);
        Assert.Contains(outputRoot, problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_sbatch_that_does_not_run_is_reported()
    {
        var silent = new SilentSlurm();

        PreflightProblem problem = Assert.Single(new PreflightChecks(_layout, silent).Run().Problems);

        Assert.Equal("sbatch", problem.Path);
        Assert.Contains("sbatch: command not found", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_in_one_report_and_logged_with_its_path()
    {
        File.Delete(Dataset);
        File.Delete(Path.Combine(_root.Path, "src", "tasks", "capitalization.py"));
        File.Delete(Path.Combine(ModelDir, "model.safetensors"));

        PreflightReport report = PreflightLog.CheckAndLog(_layout, _slurm);

        Assert.Equal(3, report.Problems.Count);
        string torchtune = File.ReadAllText(_layout.Absolute(RunLogs.TorchtuneName));
        Assert.Contains("Problem: " + Dataset + ": ", torchtune, StringComparison.Ordinal);
        Assert.Contains("Result: 3 problems in all, 2 for fine-tune jobs; nothing submitted", torchtune, StringComparison.Ordinal);
        Assert.Contains("Problem: " + Path.Combine(_root.Path, "src", "tasks", "capitalization.py") + ": ", File.ReadAllText(_layout.Absolute(RunLogs.InspectName)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_axolotl_run_needs_the_files_transformers_opens_and_not_torchtune_s_tokenizer()
    {
        ExperimentPlan plan = _layout.Plan with { Runs = [.. _layout.Plan.Runs.Select(r => r with { Settings = r.Settings with { Trainer = Trainer.Axolotl } })] };
        var layout = new ExperimentLayout(plan, _layout.ExperimentDir, _layout.Environment);
        File.Delete(Path.Combine(ModelDir, "original", "tokenizer.model"));

        IReadOnlyList<PreflightProblem> missing = new PreflightChecks(layout, _slurm).Run().Problems;
        File.WriteAllText(Path.Combine(ModelDir, "config.json"), "{}");
        File.WriteAllText(Path.Combine(ModelDir, "tokenizer.json"), "{}");
        File.WriteAllText(Path.Combine(ModelDir, "tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");
        IReadOnlyList<PreflightProblem> noTemplate = new PreflightChecks(layout, _slurm).Run().Problems;
        // As huggingface_hub downloads it: the file is a link into a blob store.
        File.Delete(Path.Combine(ModelDir, "tokenizer_config.json"));
        string blob = _root.Combine("blobs", "3f2a");
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        File.WriteAllText(blob, "{\"chat_template\": \"{{ messages }}\"}");
        File.CreateSymbolicLink(Path.Combine(ModelDir, "tokenizer_config.json"), blob);
        IReadOnlyList<PreflightProblem> complete = new PreflightChecks(layout, _slurm).Run().Problems;

        Assert.Equal(["config.json", "tokenizer.json", "tokenizer_config.json"], missing.Select(p => Path.GetRelativePath(ModelDir, p.Path)));
        Assert.All(missing, p => Assert.Contains("needed by the fine-tune of ", p.Problem, StringComparison.Ordinal));
        PreflightProblem template = Assert.Single(noTemplate);
        Assert.StartsWith("tokenizer has no chat_template (needed by the fine-tune of ", template.Problem, StringComparison.Ordinal);
        Assert.Empty(complete);
    }

    private IReadOnlyList<PreflightProblem> Problems() => new PreflightChecks(_layout, _slurm).Run().Problems;

    private sealed class SilentSlurm : ISlurmCommands
    {
        public SlurmCommandResult Sbatch(IReadOnlyList<string> arguments, string workingDirectory) => new(127, "", "sbatch: command not found");

        public SlurmCommandResult Squeue(IReadOnlyList<string> arguments) => new(127, "", "squeue: command not found");

        public SlurmCommandResult ScontrolShowJob(string jobId) => new(127, "", "");

        public SlurmCommandResult Sacct(IReadOnlyList<string> arguments) => new(127, "", "");
    }
}
