using System.Text.Json;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.EvalOnly;

/// <summary>What the scaffold writes for an eval-only run: eval scripts only, loading the given checkpoint.</summary>
public sealed class EvalOnlyScaffoldTests : IDisposable
{
    private readonly EvalOnlyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    private ScaffoldReport Scaffold() =>
        Scaffolder.Run(_experiment.Plan, _experiment.Layout.ExperimentDir, _experiment.Environment, new ScaffoldOptions());

    [Fact]
    public void An_eval_only_run_gets_one_executable_eval_script_per_task_in_its_own_directory_and_no_finetune_files()
    {
        ScaffoldReport report = Scaffold();

        Assert.Equal(0, report.ExitCode);
        string run = EvalOnlyExperiment.EvalOnlyName;
        Assert.Equal(
            ["capitalization.slurm", "reasoning.slurm"],
            Directory.GetFiles(_experiment.Absolute(run + "/eval")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(Directory.Exists(_experiment.Absolute(run + "/eval/logs")));
        Assert.Equal(["eval"], Directory.GetFileSystemEntries(_experiment.Absolute(run)).Select(Path.GetFileName));
        foreach (string task in new[] { "capitalization", "reasoning" })
        {
            if (!OperatingSystem.IsWindows())
            {
                UnixFileMode mode = File.GetUnixFileMode(_experiment.Absolute($"{run}/eval/{task}.slurm"));
                Assert.True(mode.HasFlag(UnixFileMode.UserExecute), $"{task}.slurm is not executable");
            }
        }

        // The fine-tuned run of the same experiment is scaffolded as before.
        Assert.True(File.Exists(_experiment.Absolute("r8/finetune.yaml")));
        Assert.True(File.Exists(_experiment.Absolute("r8/eval/capitalization_epoch0.slurm")));
    }

    [Fact]
    public void Its_eval_script_loads_the_resolved_checkpoint_as_hf_run_with_no_epoch_and_passes_arguments_explicitly()
    {
        Assert.Equal(0, Scaffold().ExitCode);

        string script = File.ReadAllText(_experiment.Absolute(EvalOnlyExperiment.EvalOnlyName + "/eval/capitalization.slurm"));
        Assert.Equal("", ShellTools.BashSyntaxErrors(script));
        Assert.Contains("\nMODEL_PATH=" + _experiment.Checkpoint + "\n", script, StringComparison.Ordinal);
        Assert.Contains("  --model hf/earlier_r8 \\\n", script, StringComparison.Ordinal);
        Assert.Contains("--metadata run=earlier_r8", script, StringComparison.Ordinal);
        Assert.DoesNotContain("--metadata epoch=", script, StringComparison.Ordinal);
        Assert.Contains("--job-name=eval-capitalization-earlier_r8", script, StringComparison.Ordinal);

        JsonElement model = ArgumentFile(script, "EXPERIMENTDSL_MODEL_ARGS");
        Assert.Equal(_experiment.Checkpoint, model.GetProperty("model_path").GetString());

        // The task takes config_dir, but nothing of ours put setup_finetune.yaml beside this checkpoint.
        JsonElement task = ArgumentFile(script, "EXPERIMENTDSL_TASK_ARGS");
        Assert.False(task.TryGetProperty("config_dir", out _));
        Assert.Equal(Path.Combine(_experiment.Source, "data", "capitalization.json"), task.GetProperty("dataset_path").GetString());
        Assert.Equal("You capitalize text exactly as asked.", task.GetProperty("system_prompt").GetString());

        // The fine-tuned run's script of the same task still reads its setup file.
        string fineTuned = File.ReadAllText(_experiment.Absolute("r8/eval/capitalization_epoch0.slurm"));
        Assert.True(ArgumentFile(fineTuned, "EXPERIMENTDSL_TASK_ARGS").TryGetProperty("config_dir", out _));
    }

    [Fact]
    public void A_checkpoint_path_with_shell_syntax_is_quoted_and_reaches_inspect_as_written()
    {
        const string Hostile = "ck/it's $(touch pwned) `x` \"q\"";
        ExperimentPlan plan = _experiment.Plan with { EvalOnlyRuns = [_experiment.Plan.EvalOnlyRuns[0] with { CheckpointPath = Hostile }] };

        Assert.Equal(0, Scaffolder.Run(plan, _experiment.Layout.ExperimentDir, _experiment.Environment, new ScaffoldOptions()).ExitCode);

        string script = File.ReadAllText(_experiment.Absolute(EvalOnlyExperiment.EvalOnlyName + "/eval/reasoning.slurm"));
        string expected = Path.Combine(_experiment.Source, Hostile);
        Assert.Equal("", ShellTools.BashSyntaxErrors(script));
        Assert.Contains("\nMODEL_PATH='" + expected.Replace("'", "'\\''", StringComparison.Ordinal) + "'\n", script, StringComparison.Ordinal);
        Assert.Equal(expected, ArgumentFile(script, "EXPERIMENTDSL_MODEL_ARGS").GetProperty("model_path").GetString());
    }

    [Fact]
    public void The_inspect_log_names_the_eval_only_run_and_a_rescaffold_changes_nothing()
    {
        Assert.Equal(0, Scaffold().ExitCode);
        string script = _experiment.Absolute(EvalOnlyExperiment.EvalOnlyName + "/eval/reasoning.slurm");
        DateTime written = File.GetLastWriteTimeUtc(script);

        IReadOnlyList<ActionLogReader.Entry> log = ActionLogReader.Read(_experiment.Absolute(ExperimentLayout.InspectLogName));
        Assert.Equal("Generating evaluation configs for 1 run × 2 tasks × 1 epoch + 1 eval-only run (2 evaluations)", log[0].Details);
        Assert.EndsWith("; Eval-only runs: earlier_r8", log[1].Details, StringComparison.Ordinal);
        Assert.Contains(log.Single(e => e.Action == "CREATE_EVAL_DIRS").Extra, l => l == "Directory: earlier_r8/eval/logs/");
        Assert.Equal("All scripts validated successfully", log.Single(e => e.Action == "VALIDATE_SCRIPTS").Result);

        Assert.Equal(0, Scaffold().ExitCode);
        Assert.Equal(written, File.GetLastWriteTimeUtc(script));
    }

    [Fact]
    public void Plan_lists_the_eval_only_run_with_its_checkpoint_and_the_scripts_a_scaffold_would_write_then_finds_them_unchanged()
    {
        string[] args = ["--dir", _experiment.Layout.ExperimentDir, "--output-root", _experiment.Environment.OutputRoot, "--models-dir", _experiment.Environment.ModelsDir];

        HostRunner.Outcome before = HostRunner.Run([_experiment.Plan], ["plan", .. args]);

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains("  earlier_r8  (eval-only: checkpoint " + _experiment.Checkpoint + ")", before.Output, StringComparison.Ordinal);
        Assert.Matches(@"create\s+earlier_r8/eval/capitalization\.slurm", before.Output);
        Assert.False(Directory.Exists(_experiment.Layout.ExperimentDir));

        Assert.True(HostRunner.Run([_experiment.Plan], ["scaffold", .. args]).ExitCode == 0);
        HostRunner.Outcome after = HostRunner.Run([_experiment.Plan], ["plan", .. args]);
        Assert.Matches(@"unchanged\s+earlier_r8/eval/reasoning\.slurm", after.Output);
        Assert.DoesNotContain("create ", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_mentions_the_eval_only_run_and_counts_its_evaluations()
    {
        Assert.Equal(0, Scaffold().ExitCode);

        string summary = File.ReadAllText(_experiment.Absolute(ExperimentLayout.SummaryName));
        Assert.Contains("Eval-only runs (existing checkpoints, evaluated without training): earlier_r8 (`checkpoints/earlier/epoch_1`).", summary, StringComparison.Ordinal);
        Assert.Contains("**Fine-tuned evaluations:** 1 run × 2 tasks × 1 epoch = 2", summary, StringComparison.Ordinal);
        Assert.Contains("**Eval-only evaluations:** 2", summary, StringComparison.Ordinal);
    }

    /// <summary>The JSON an eval script writes into an argument file: the here-document line after <c>&lt;&lt;'{delimiter}'</c>.</summary>
    private static JsonElement ArgumentFile(string script, string delimiter)
    {
        string[] lines = script.Split('\n');
        int start = Array.FindIndex(lines, l => l.EndsWith("<<'" + delimiter + "' || exit 1", StringComparison.Ordinal));
        Assert.True(start >= 0, "no argument file " + delimiter);
        return JsonDocument.Parse(lines[start + 1]).RootElement;
    }
}
