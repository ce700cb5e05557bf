using System.Text.Json;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.EvalOnly;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>
/// <c>cruijff_kit_version: 0.3.4</c> lays checkpoints out as v0.3.4's fine-tune writes them,
/// <c>{output_root}/{experiment}/{run}/artifacts/epoch_N</c>: the eval scripts evaluate there, and
/// <c>status</c> reads a forgotten fine-tune's checkpoints there (and not in the seed era's
/// <c>ck-out-{run}/</c>).
/// </summary>
public sealed class CruijffKitLayoutStatusTests : IDisposable
{
    private readonly EvalOnlyExperiment _experiment = new();
    private readonly FakeSlurm _slurm = new();
    private readonly ExperimentLayout _layout;

    public CruijffKitLayoutStatusTests()
    {
        EnvironmentSettings v034 = _experiment.Environment with { CruijffKitVersion = CruijffKitVersion.V0_3_4 };
        _layout = new ExperimentLayout(_experiment.Plan, _experiment.Layout.ExperimentDir, v034);
        _experiment.CreateInputs();
        ScaffoldReport report = Scaffolder.Run(_experiment.Plan, _layout.ExperimentDir, v034, new ScaffoldOptions());
        Assert.True(report.ExitCode == 0, string.Join("\n", report.Failures));
    }

    public void Dispose() => _experiment.Dispose();

    private string Artifacts => Path.Combine(_experiment.Environment.OutputRoot, _experiment.Plan.Name, EvalOnlyExperiment.FineTunedName, "artifacts");

    [Fact]
    public void The_eval_scripts_evaluate_the_checkpoint_under_the_runs_artifacts()
    {
        string epoch0 = Path.Combine(Artifacts, "epoch_0");
        Assert.Equal(epoch0, _layout.EpochCheckpoint(EvalOnlyExperiment.FineTunedName, 0));
        foreach (string task in new[] { "capitalization", "reasoning" })
        {
            string script = File.ReadAllText(_experiment.Absolute($"{EvalOnlyExperiment.FineTunedName}/eval/{task}_epoch0.slurm"));
            Assert.Contains("MODEL_PATH=" + ShellQuoting.Quote(epoch0, "model path") + "\n", script, StringComparison.Ordinal);
            Assert.DoesNotContain("ck-out-", script, StringComparison.Ordinal);
        }

        // The config_dir task's script puts the run's setup_finetune.yaml beside the checkpoints, into artifacts/.
        Assert.Contains(
            SetupFileCopy.Line(EvalOnlyExperiment.FineTunedName, _layout) + "\n",
            File.ReadAllText(_experiment.Absolute($"{EvalOnlyExperiment.FineTunedName}/eval/capitalization_epoch0.slurm")),
            StringComparison.Ordinal);
        Assert.EndsWith($" {Artifacts}/setup_finetune.yaml || exit 1", SetupFileCopy.Line(EvalOnlyExperiment.FineTunedName, _layout).Replace("'", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_reads_a_forgotten_finetune_as_completed_from_the_checkpoints_under_artifacts_only()
    {
        new Submitter(_layout, _slurm, sleep: _ => { }).Submit(new SubmitOptions { Stagger = TimeSpan.Zero });
        string finetune = ExperimentLayout.FinetuneSlurm(EvalOnlyExperiment.FineTunedName);
        // The controller forgets every job (no accounting): only the evidence on disk is left.
        _slurm.Queued.Clear();

        // Checkpoints in the seed era's place are not this layout's: the fine-tune stays unknown.
        Directory.CreateDirectory(Path.Combine(_experiment.Environment.OutputRoot, _experiment.Plan.Name, "ck-out-" + EvalOnlyExperiment.FineTunedName, "epoch_0"));
        Assert.Equal(SlurmJobStates.Unknown, FinetuneOf(new StatusReporter(_layout, _slurm).Refresh()).State);

        Directory.CreateDirectory(Path.Combine(Artifacts, "epoch_0"));
        JobStatus seen = FinetuneOf(new StatusReporter(_layout, _slurm).Refresh());

        Assert.Equal(SlurmJobStates.Completed, seen.State);
        using JsonDocument state = JsonDocument.Parse(File.ReadAllText(_experiment.Absolute("slurm-state.json")));
        Assert.Equal(
            "every epoch checkpoint present in " + Artifacts + "/",
            state.RootElement.GetProperty("jobs").GetProperty(finetune).GetProperty("evidence").GetString());
    }

    private static JobStatus FinetuneOf(StatusReport report) =>
        report.Runs.Single(r => r.Run == EvalOnlyExperiment.FineTunedName).Finetune!;
}
