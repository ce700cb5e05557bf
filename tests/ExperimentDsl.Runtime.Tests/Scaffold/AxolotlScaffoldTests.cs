using ExperimentDsl.Runtime.Axolotl;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

/// <summary>
/// The example with one run trained by axolotl, scaffolded through the command line: that run gets
/// <c>axolotl.yaml</c> and the axolotl <c>finetune.slurm</c> instead of <c>finetune.yaml</c>, the others are
/// torchtune's as before, the action log names the trainers and what was validated, a hand edit of
/// <c>axolotl.yaml</c> is kept and caught, and a value axolotl cannot express is refused before anything is written.
/// </summary>
public sealed class AxolotlScaffoldTests : IDisposable
{
    private readonly TempDirectory _root = new("exd-axolotl-scaffold");

    public void Dispose() => _root.Dispose();

    private string Experiment => _root.Combine("exp");

    private static ExperimentPlan PlanWithAxolotlRun(Func<RunSettings, RunSettings>? change = null)
    {
        ExperimentPlan example = TestPlans.Capitalization(RepoPaths.CapitalizationExample);
        return example with
        {
            Runs = [.. example.Runs.Select((r, i) => i == 1 ? r with { Settings = (change ?? (s => s))(r.Settings with { Trainer = Trainer.Axolotl }) } : r)],
        };
    }

    private HostRunner.Outcome Scaffold(ExperimentPlan plan, params string[] more) =>
        HostRunner.Run([plan], ["scaffold", "--dir", Experiment, "--output-root", _root.Combine("out"), "--models-dir", _root.Combine("models"), .. more]);

    [Fact]
    public void The_axolotl_run_gets_axolotl_yaml_and_its_job_script_and_the_torchtune_runs_stay_as_they_were()
    {
        ExperimentPlan plan = PlanWithAxolotlRun();
        PlannedRun axolotl = plan.Runs[1];

        HostRunner.Outcome outcome = Scaffold(plan);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var layout = new ExperimentLayout(plan, Experiment, new Settings.EnvironmentSettings { OutputRoot = _root.Combine("out"), ModelsDir = _root.Combine("models") });
        string runDir = Path.Combine(Experiment, axolotl.Name);
        Assert.Equal(["axolotl.yaml", "eval", "finetune.slurm", "setup_finetune.yaml"], Directory.EnumerateFileSystemEntries(runDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(AxolotlYaml.Emit(axolotl, layout), File.ReadAllText(Path.Combine(runDir, "axolotl.yaml")));
        Assert.Equal(AxolotlSlurmScript.Emit(axolotl, layout), File.ReadAllText(Path.Combine(runDir, "finetune.slurm")));
        Assert.All(plan.Runs.Where(r => r != axolotl), r => Assert.True(File.Exists(Path.Combine(Experiment, r.Name, "finetune.yaml"))));

        string log = File.ReadAllText(Path.Combine(Experiment, "scaffold-torchtune.log"));
        Assert.Contains("Trainer: torchtune (3 runs), axolotl (1 run)\n", log, StringComparison.Ordinal);
        Assert.Contains($"File: {axolotl.Name}/axolotl.yaml (created)", log, StringComparison.Ordinal);
        Assert.Contains($"PASS {axolotl.Name}: axolotl.yaml is the built-in emitter's output for this run (not parsed back)", log, StringComparison.Ordinal);
        Assert.Contains("axolotl.yaml", File.ReadAllText(Path.Combine(Experiment, "scaffold-manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_parses_axolotl_yaml_back_and_names_every_value_it_compared()
    {
        ExperimentPlan plan = PlanWithAxolotlRun();

        HostRunner.Outcome outcome = Scaffold(plan, "--verify");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        string log = File.ReadAllText(Path.Combine(Experiment, "scaffold-torchtune.log"));
        string pass = log.Split('\n').Single(l => l.StartsWith($"PASS {plan.Runs[1].Name}: ", StringComparison.Ordinal));
        Assert.Contains("lora_r=8", pass, StringComparison.Ordinal);
        Assert.Contains("learning_rate=5.0e-05", pass, StringComparison.Ordinal);
        Assert.Contains("datasets[0].type=chat_template", pass, StringComparison.Ordinal);
        Assert.Contains("output_dir=", pass, StringComparison.Ordinal);
        Assert.Contains("axolotl.yaml: every value the emitter writes for the run, key by key", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hand_edit_of_axolotl_yaml_is_kept_and_fails_the_run_naming_the_key_and_both_values()
    {
        ExperimentPlan plan = PlanWithAxolotlRun();
        Assert.Equal(0, Scaffold(plan).ExitCode);
        string config = Path.Combine(Experiment, plan.Runs[1].Name, "axolotl.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("lora_r: 8\n", "lora_r: 64\n", StringComparison.Ordinal));

        HostRunner.Outcome again = Scaffold(plan);

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("lora_r: 64\n", File.ReadAllText(config), StringComparison.Ordinal);
        string log = File.ReadAllText(Path.Combine(Experiment, "scaffold-torchtune.log"));
        Assert.Contains($"FAIL {plan.Runs[1].Name}: lora_r: expected 8, found 64", log, StringComparison.Ordinal);
        Assert.Contains(plan.Runs[1].Name + ": axolotl.yaml does not match the run: lora_r expected 8, found 64", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Moving_a_run_to_axolotl_leaves_its_finetune_yaml_as_an_orphan_that_prune_deletes()
    {
        Assert.Equal(0, Scaffold(TestPlans.Capitalization(RepoPaths.CapitalizationExample)).ExitCode);
        ExperimentPlan plan = PlanWithAxolotlRun();
        string finetuneYaml = Path.Combine(Experiment, plan.Runs[1].Name, "finetune.yaml");

        HostRunner.Outcome kept = Scaffold(plan);
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.True(File.Exists(finetuneYaml));
        Assert.Contains("Orphaned: " + plan.Runs[1].Name + "/finetune.yaml", File.ReadAllText(Path.Combine(Experiment, "scaffold-torchtune.log")), StringComparison.Ordinal);

        HostRunner.Outcome pruned = Scaffold(plan, "--prune");
        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        Assert.False(File.Exists(finetuneYaml));
        Assert.True(File.Exists(Path.Combine(Experiment, plan.Runs[1].Name, "axolotl.yaml")));
    }

    [Fact]
    public void A_value_axolotl_cannot_express_exits_2_naming_run_setting_and_reason_and_writes_nothing()
    {
        ExperimentPlan plan = PlanWithAxolotlRun(s => s with { DatasetType = DatasetType.CruijffTextCompletion, SystemPrompt = "" });

        HostRunner.Outcome outcome = Scaffold(plan);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains($"run {plan.Runs[1].Name}: DatasetType = CruijffTextCompletion: axolotl trains on conversations", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Experiment));
    }

    [Fact]
    public void A_setup_command_fails_the_axolotl_run_only_and_says_why()
    {
        ExperimentPlan plan = PlanWithAxolotlRun();

        HostRunner.Outcome outcome = Scaffold(plan, "--setup-command", "true");

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains(plan.Runs[1].Name + ": Trainer = Axolotl: a setup command writes torchtune configs only", outcome.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Experiment, plan.Runs[1].Name, "axolotl.yaml")));
    }
}
