using System.Text.Json.Nodes;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// <c>--setup-command</c> with cruijff_kit v0.3.4's own <c>setup_finetune.py</c> (the pinned copy, run
/// unchanged): it accepts the setup_finetune.yaml we write in its dialect, and the finetune.yaml it
/// writes trains what ours trains.
/// </summary>
public sealed class CruijffKitSetupFinetuneTests
{
    // Paths: where checkpoints, logs and profiles go (v0.3.4's {project_dir}/{experiment}/{run}/artifacts/
    // against our layout), and wandb's run name, which v0.3.4 takes from my_wandb_run_name as we do.
    private static readonly HashSet<string> PathKeys =
        ["output_dir", "checkpointer.output_dir", "metric_logger.log_dir", "profiler.output_dir"];

    // The top-level keys torchtune's LoRA recipe reads (the pinned contract); the rest of either file
    // (v0.3.4's leftover arguments such as venv, custom_recipe; our epochs_to_save) it never looks at.
    private static readonly HashSet<string> ReadByTorchtune =
    [
        .. TorchtuneContract.Pinned.Recipes["lora_finetune_single_device"].RequiredKeys ?? [],
        .. TorchtuneContract.Pinned.Recipes["lora_finetune_single_device"].OptionalKeys ?? [],
    ];

    // log_level: torchtune's recipe requires it and ours writes it; v0.3.4's file leaves it out because
    // its finetune.slurm runs cruijff_kit's own recipe (custom_recipes/lora_finetune_single_device_nightly),
    // which never reads it. Any other difference fails.
    // log_level: v0.3.4's finetune.slurm runs cruijff_kit's own recipe, which never reads it.
    // clip_grad_norm and model.apply_lora_to_output: v0.3.4 leaves them out; what ours writes is what
    // torchtune takes when they are absent at the pinned commit (the recipe's None, the builder's False).
    private static readonly string[] KnownDifferences =
    [
        "clip_grad_norm: v0.3.4 (absent), ours null",
        "log_level: v0.3.4 (absent), ours \"INFO\"",
        "model.apply_lora_to_output: v0.3.4 (absent), ours false",
    ];

    [SkippableFact]
    public void V0_3_4_setup_finetune_py_accepts_our_file_for_the_example_and_writes_what_ours_trains()
    {
        Skip.If(!File.Exists(CruijffKit.Python), CruijffKit.Python + " is missing");
        using var dir = new TempDirectory();
        ExperimentPlan plan = CruijffChatExample();
        EnvironmentSettings environment = TestPlans.Environment with { OutputRoot = dir.Combine("outputs"), CruijffKitVersion = CruijffKitVersion.V0_3_4 };

        ScaffoldReport report = Scaffolder.Run(plan, dir.Combine("exp"), environment, new ScaffoldOptions
        {
            SetupCommand = SetupCommand(dir),
            SetupTimeout = TimeSpan.FromSeconds(60),
        });

        // Exit 0: the setup stage, and the example's config_dir tasks, whose eval scripts copy
        // setup_finetune.yaml beside the checkpoints (v0.3.4's finetune.slurm does not).
        Assert.True(report.ExitCode == 0, string.Join("\n", report.Failures));
        Assert.Empty(report.FailedRuns);
        Assert.Equal(report.Evaluations, report.EvaluationsReady);
        ActionLogReader.Entry setup = ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.TorchtuneLogName)).Single(e => e.Action == "RUN_SETUP_SCRIPTS");
        Assert.Equal("4 runs processed, 4 successful, 0 failures", setup.Result);
        var layout = new ExperimentLayout(plan, dir.Combine("exp"), environment);
        string[] theirs = [.. plan.Runs.Select(r => File.ReadAllText(dir.Combine("exp", r.Name, "finetune.yaml")))];
        string[] ours = [.. plan.Runs.Select(r => FinetuneYaml.Emit(r, layout))];
        IReadOnlyList<TorchtuneView> views = TorchtuneView.Read([.. theirs, .. ours]);

        for (int i = 0; i < plan.Runs.Count; i++)
        {
            Dictionary<string, string> their = Flatten(views[i]);
            Dictionary<string, string> our = Flatten(views[plan.Runs.Count + i]);
            string[] differences =
            [
                .. their.Keys.Union(our.Keys).Order(StringComparer.Ordinal)
                    .Where(k => !PathKeys.Contains(k) && ReadByTorchtune.Contains(k.Split('.')[0]))
                    .Where(k => their.GetValueOrDefault(k) != our.GetValueOrDefault(k))
                    .Select(k => $"{k}: v0.3.4 {their.GetValueOrDefault(k) ?? "(absent)"}, ours {our.GetValueOrDefault(k) ?? "(absent)"}"),
            ];
            Assert.True(differences.SequenceEqual(KnownDifferences), plan.Runs[i].Name + ":\n" + string.Join("\n", differences));
            // Our layout is v0.3.4's: the eval scripts and status look where its fine-tune writes.
            Assert.Equal(JsonValue.Create(layout.CheckpointDir(plan.Runs[i].Name))!.ToJsonString(), their["output_dir"]);
            Assert.EndsWith($"/cap_4L_lora_lr_sweep/{plan.Runs[i].Name}/artifacts/", layout.CheckpointDir(plan.Runs[i].Name), StringComparison.Ordinal);
            Assert.Contains(
                layout.EpochCheckpoint(plan.Runs[i].Name, 1),
                File.ReadAllText(dir.Combine("exp", plan.Runs[i].Name, "eval", "reasoning_epoch1.slurm")),
                StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public void Under_v0_3_4_the_examples_config_dir_task_finds_the_runs_setup_finetune_yaml_beside_the_checkpoint()
    {
        Skip.If(!File.Exists(CruijffKit.Python), CruijffKit.Python + " is missing");
        using var dir = new TempDirectory();
        ExperimentPlan chat = CruijffChatExample();
        // The example's own dataset (relative to the example), which its task reads.
        ExperimentPlan plan = chat with { Runs = [.. chat.Runs.Select(r => r with { Settings = r.Settings with { Dataset = "data/capitalization.json" } })] };
        EnvironmentSettings environment = TestPlans.Environment with { OutputRoot = dir.Combine("outputs"), CruijffKitVersion = CruijffKitVersion.V0_3_4 };
        ScaffoldReport report = Scaffolder.Run(plan, dir.Combine("exp"), environment, new ScaffoldOptions
        {
            SetupCommand = SetupCommand(dir),
            SetupTimeout = TimeSpan.FromSeconds(60),
        });
        Assert.Equal(0, report.ExitCode);
        var layout = new ExperimentLayout(plan, dir.Combine("exp"), environment);
        string run = plan.Runs[0].Name;
        string script = dir.Combine("exp", run, "eval", "capitalization_epoch1.slurm");
        string copy = File.ReadAllLines(script).Single(l => l.StartsWith("SETUP_COPY=", StringComparison.Ordinal));

        // Before training wrote the checkpoint directory the copy fails (the job stops), and leaves nothing.
        Assert.NotEqual(0, ShellTools.Run("/bin/bash", ["-c", copy]).ExitCode);
        Directory.CreateDirectory(layout.EpochCheckpoint(run, 1));
        ShellTools.Result copied = ShellTools.Run("/bin/bash", ["-c", copy]);
        Assert.True(copied.ExitCode == 0, copied.Stderr);
        // And twice (another evaluation of the run): the file is replaced whole, no temporary is left.
        Assert.Equal(0, ShellTools.Run("/bin/bash", ["-c", copy]).ExitCode);
        Assert.Equal(["setup_finetune.yaml"], Directory.GetFiles(layout.CheckpointDir(run)).Select(Path.GetFileName));

        // What the example's task does with its config_dir (tasks/capitalization.py's first lines).
        const string task = """
            import json, sys, yaml
            from pathlib import Path
            setup = yaml.safe_load((Path(sys.argv[1]).parent / "setup_finetune.yaml").read_text())
            data_path = Path(setup["input_dir_base"]) / (setup["dataset_label"] + setup["dataset_ext"])
            print(len(json.loads(data_path.read_text())["test"]), setup["system_prompt"])
            """;
        (int exitCode, string stdout, string stderr) = PythonProcess.Run(CruijffKit.Python, ["-c", task, layout.EpochCheckpoint(run, 1)], "");
        Assert.True(exitCode == 0, stderr);
        Assert.EndsWith(" You capitalize text exactly as asked.", stdout.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains($"\"config_dir\":\"{layout.EpochCheckpoint(run, 1)}\"", File.ReadAllText(script), StringComparison.Ordinal);

        // A script without the copy fails validation by name.
        string edited = dir.Combine("edited.slurm");
        File.WriteAllLines(edited, File.ReadAllLines(script).Where(l => l != copy));
        Assert.False(SetupFileCopy.Check(edited, run, layout).Passed);
        Assert.True(SetupFileCopy.Check(script, run, layout).Passed);
    }

    [SkippableFact]
    public void The_command_line_scaffolds_the_example_on_v0_3_4s_chat_completion_builder_through_the_real_script_with_exit_0()
    {
        Skip.If(!File.Exists(CruijffKit.Python), CruijffKit.Python + " is missing");
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = HostRunner.Run(
            [CruijffChatExample()],
            ["scaffold", "--dir", dir.Combine("exp"), "--output-root", dir.Combine("out"), "--cruijff-kit-version", "0.3.4", "--setup-command", SetupCommand(dir)]);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.All(CruijffChatExample().Runs, r => Assert.Contains(
            "cruijff_kit.tools.torchtune.datasets.chat_completion.chat_completion_dataset",
            File.ReadAllText(dir.Combine("exp", r.Name, "finetune.yaml")),
            StringComparison.Ordinal));
    }

    [Fact]
    public void Seed_era_eval_scripts_leave_the_copy_to_finetune_slurm()
    {
        ExperimentPlan plan = TestPlans.Capitalization(RepoPaths.CapitalizationExample);
        using var dir = new TempDirectory();
        ScaffoldReport report = Scaffolder.Run(plan, dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("outputs") }, new ScaffoldOptions());
        Assert.Equal(0, report.ExitCode);
        Assert.DoesNotContain("SETUP_COPY=", File.ReadAllText(dir.Combine("exp", plan.Runs[0].Name, "eval", "capitalization_epoch1.slurm")), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void V0_3_4_setup_finetune_py_stops_on_torchtunes_instruct_builder_which_scaffold_therefore_refuses()
    {
        Skip.If(!File.Exists(CruijffKit.Python), CruijffKit.Python + " is missing");
        using var dir = new TempDirectory();
        ExperimentPlan plan = TestPlans.Capitalization(RepoPaths.CapitalizationExample);
        EnvironmentSettings environment = TestPlans.Environment with { OutputRoot = dir.Combine("outputs"), CruijffKitVersion = CruijffKitVersion.V0_3_4 };

        ScaffoldReport report = Scaffolder.Run(plan, dir.Combine("exp"), environment, new ScaffoldOptions
        {
            SetupCommand = SetupCommand(dir),
            SetupTimeout = TimeSpan.FromSeconds(60),
        });

        Assert.Equal(plan.Runs.Select(r => r.Name).Order(StringComparer.Ordinal), report.FailedRuns.Order(StringComparer.Ordinal));
        Assert.Contains(ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.TorchtuneLogName)).Single(e => e.Action == "RUN_SETUP_SCRIPTS").Extra, l => l.Contains("KeyError: 'data_dir'", StringComparison.Ordinal));
        Assert.All(plan.Runs, r => Assert.NotNull(SetupFinetuneYaml.V0_3_4Problem(r)));
        Assert.All(CruijffChatExample().Runs, r => Assert.Null(SetupFinetuneYaml.V0_3_4Problem(r)));
    }

    /// <summary>The example with cruijff_kit's chat_completion builder, the dataset type v0.3.4 builds for it.</summary>
    internal static ExperimentPlan CruijffChatExample()
    {
        ExperimentPlan plan = TestPlans.Capitalization(RepoPaths.CapitalizationExample);
        return plan with
        {
            Runs = [.. plan.Runs.Select(r => r with { Settings = r.Settings with { DatasetType = DatasetType.CruijffChatCompletion } })],
        };
    }

    /// <summary>
    /// The command a v0.3.4 user runs in each run directory: its setup_finetune.py, with its package
    /// (the repository's src/ as <c>cruijff_kit</c>) importable.
    /// </summary>
    internal static string SetupCommand(TempDirectory dir)
    {
        string packages = dir.Combine("python");
        Directory.CreateDirectory(packages);
        File.CreateSymbolicLink(Path.Combine(packages, "cruijff_kit"), Path.Combine(CruijffKit.Pinned, "src"));
        string script = Path.Combine(CruijffKit.Pinned, "src", "tools", "torchtune", "setup_finetune.py");
        return $"USER=researcher PYTHONPATH='{packages}' {CruijffKit.Python} '{script}'";
    }

    // Every value torchtune reads, by dotted path, as JSON text.
    private static Dictionary<string, string> Flatten(TorchtuneView view)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string prefix, JsonNode? node)
        {
            if (node is JsonObject map && map["__error__"] is null)
            {
                foreach ((string key, JsonNode? value) in map)
                {
                    Add(prefix.Length == 0 ? key : prefix + "." + key, value);
                }
            }
            else
            {
                values[prefix] = node?.ToJsonString() ?? "null";
            }
        }

        Add("", view.Direct);
        Add("", view.Instantiated);
        return values;
    }
}
