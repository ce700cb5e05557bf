using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

public sealed class ScaffolderTests
{
    private static readonly string[] RunNames =
        ["Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r8_lr5e-5", "Llama-3.2-1B_r16_lr1e-5", "Llama-3.2-1B_r16_lr5e-5"];

    private static ExperimentPlan Example => TestPlans.Capitalization(RepoPaths.CapitalizationExample);

    private static ScaffoldReport Scaffold(TempDirectory dir, ExperimentPlan? plan = null, ScaffoldOptions? options = null) =>
        Scaffolder.Run(plan ?? Example, dir.Combine("exp"), Environment(dir), options ?? new ScaffoldOptions());

    private static EnvironmentSettings Environment(TempDirectory dir) => TestPlans.Environment with { OutputRoot = dir.Combine("outputs") };

    [Fact]
    public void The_plan_hash_is_the_hash_of_the_plans_json_text_so_existing_manifests_still_match()
    {
        ExperimentPlan withControl = TestPlans.CapitalizationWithControl();
        PlannedRun first = withControl.Runs[0];
        ExperimentPlan unusual = withControl with
        {
            BaseDirectory = null,
            Runs =
            [
                first with
                {
                    Settings = first.Settings with
                    {
                        Gpus = 2, SystemPrompt = "Caf\u00e9 \"quoted\" <b> & \u0001\n", LrScheduler = LrScheduler.Constant,
                        DatasetType = DatasetType.Chat, LearningRate = 1e-300, Packed = false,
                    },
                },
                .. withControl.Runs.Skip(1),
            ],
        };

        // What the manifests of earlier scaffolds hold: the hash of the reflection serializer's text
        // (also with decoding settings, eval-only runs, labels and per-task prompts set).
        foreach (ExperimentPlan plan in new[] { withControl, unusual, Summary.Yaml.YamlPlans.CruijffFeatures(), Summary.Yaml.YamlPlans.CSharpExpressible() })
        {
            Assert.Equal(ContentHash.Of(System.Text.Json.JsonSerializer.Serialize(plan)), Scaffolder.PlanHash(plan));
        }

        Assert.NotEqual(Scaffolder.PlanHash(TestPlans.Capitalization()), Scaffolder.PlanHash(withControl));
        Assert.NotEqual(Scaffolder.PlanHash(withControl), Scaffolder.PlanHash(unusual));
    }

    [Fact]
    public void Example_scaffold_writes_every_run_file_and_the_seven_torchtune_entries_in_order()
    {
        using var dir = new TempDirectory();

        // --verify: every config is parsed back, so the emitters' output is checked here too.
        ScaffoldReport report = Scaffold(dir, options: new ScaffoldOptions { Verify = true });

        Assert.Equal(0, report.ExitCode);
        foreach (string run in RunNames)
        {
            foreach (string file in new[] { "setup_finetune.yaml", "finetune.yaml", "finetune.slurm" })
            {
                Assert.True(File.Exists(dir.Combine("exp", run, file)), $"{run}/{file} missing");
            }
        }

        IReadOnlyList<ActionLogReader.Entry> log = ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.TorchtuneLogName));
        Assert.Equal(
            ["SCAFFOLD_TORCHTUNE_START", "ANALYZE_PARAMETERS", "CREATE_RUN_DIRS", "GENERATE_YAMLS", "RUN_SETUP_SCRIPTS", "VALIDATE_PARAMETERS", "SCAFFOLD_TORCHTUNE_COMPLETE"],
            log.Select(e => e.Action));
        Assert.Equal("Generating fine-tuning configs for 4 runs", log[0].Details);
        Assert.Equal("Varying parameters: lora_rank, learning_rate", log[1].Details);
        Assert.Equal("Directory naming pattern: {Model}_r{LoraRank}_lr{LearningRate}", log[1].Result);
        Assert.Equal(string.Join(", ", RunNames), log[2].Details);
        Assert.Equal("All directories created successfully", log[2].Result);
        Assert.Equal("4 setup_finetune.yaml files created", log[3].Result);
        Assert.Equal(RunNames.Select(r => $"File: {r}/setup_finetune.yaml (created)"), log[3].Extra);
        Assert.Equal("4 runs processed, 4 successful, 0 failures", log[4].Result);
        Assert.Equal("All runs validated successfully", log[5].Result);
        Assert.Equal(RunNames.Select(r => $"PASS {r}: "), log[5].Extra.Select(l => l[..(l.IndexOf(": ", StringComparison.Ordinal) + 2)]));
        Assert.All(log[5].Extra, l => Assert.Contains(", model.lora_rank=", l, StringComparison.Ordinal));
        Assert.Equal("Generated configs for 4 fine-tuning runs", log[6].Details);
        Assert.NotNull(log[6].Duration);
    }

    [Fact]
    public void Example_scaffold_writes_sixteen_eval_scripts_and_the_seven_inspect_entries()
    {
        using var dir = new TempDirectory();

        Scaffold(dir, options: new ScaffoldOptions { Verify = true });

        foreach (string run in RunNames)
        {
            string[] scripts = [.. Directory.GetFiles(dir.Combine("exp", run, "eval"), "*.slurm").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
            Assert.Equal(["capitalization_epoch0.slurm", "capitalization_epoch1.slurm", "reasoning_epoch0.slurm", "reasoning_epoch1.slurm"], scripts);
            Assert.True(Directory.Exists(dir.Combine("exp", run, "eval", "logs")));
        }

        IReadOnlyList<ActionLogReader.Entry> log = ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.InspectLogName));
        Assert.Equal(
            ["SCAFFOLD_INSPECT_START", "ANALYZE_EVALUATION_PLAN", "CREATE_EVAL_DIRS", "VERIFY_TASK_SCRIPTS", "GENERATE_SLURM_SCRIPTS", "VALIDATE_SCRIPTS", "SCAFFOLD_INSPECT_COMPLETE"],
            log.Select(e => e.Action));
        Assert.Equal("Generating evaluation configs for 4 runs × 2 tasks × 2 epochs", log[0].Details);
        Assert.Equal("Tasks: capitalization, reasoning; Epochs: 0, 1", log[1].Details);
        Assert.Equal("16 total evaluations to configure", log[1].Result);
        Assert.Equal("All task scripts exist", log[3].Result);
        Assert.Equal("16 SLURM scripts created (4 runs × 2 tasks × 2 epochs)", log[4].Result);
        Assert.Equal("All scripts validated successfully", log[5].Result);
        Assert.Equal("Checked 16 scripts: exists, executable, #!/bin/bash, MODEL_PATH of its own run and epoch; "
            + "for config_dir tasks, that finetune.slurm copies setup_finetune.yaml into the checkpoint directory (4 runs)", log[5].Extra[0]);
        Assert.Equal("Generated evaluation configs for 16 evaluations", log[6].Details);
    }

    [SkippableFact]
    public void Every_scaffolded_batch_script_passes_bash_n_and_shellcheck()
    {
        ShellTools.RequireShellcheck();
        using var dir = new TempDirectory();
        Scaffold(dir, TestPlans.CapitalizationWithControl(RepoPaths.CapitalizationExample) with
        {
            // A control on the explicit-argument task only, so every cell gets a script.
            Evaluations = [.. TestPlans.CapitalizationWithControl().Evaluations.Where(c => !(c.IsControl && c.TaskName == "capitalization"))],
        });

        string[] scripts = Directory.GetFiles(dir.Combine("exp"), "*.slurm", SearchOption.AllDirectories);

        Assert.Equal(4 + 16 + 1, scripts.Length);
        foreach (string script in scripts)
        {
            string text = File.ReadAllText(script);
            Assert.Equal("", ShellTools.BashSyntaxErrors(text));
            Assert.Equal("", ShellTools.ShellcheckFindings(text));
        }
    }

    [Fact]
    public void Scaffolding_twice_changes_no_byte_and_no_mtime_and_appends_to_the_logs()
    {
        using var dir = new TempDirectory();
        Scaffold(dir);
        FileStampTests.LetTheFileSystemClockTick();
        Dictionary<string, (byte[] Bytes, DateTime Mtime)> before = Snapshot(dir.Combine("exp"));
        long logLength = new FileInfo(dir.Combine("exp", ExperimentLayout.TorchtuneLogName)).Length;

        ScaffoldReport second = Scaffold(dir);

        Assert.Equal(0, second.ExitCode);
        Dictionary<string, (byte[] Bytes, DateTime Mtime)> after = Snapshot(dir.Combine("exp"));
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach ((string path, (byte[] bytes, DateTime mtime)) in before)
        {
            Assert.Equal(bytes, after[path].Bytes);
            Assert.Equal(mtime, after[path].Mtime);
        }

        Assert.All(second.Files, f => Assert.Equal(FileStatus.Unchanged, f.Status));

        // The second scaffold read every file and recorded its stamp (in .scaffold-stamps, a cache
        // beside the manifest); the third reads none of them, and changes nothing either.
        ScaffoldReport third = Scaffold(dir);
        Assert.All(third.Files, f => Assert.Equal(FileStatus.Unchanged, f.Status));
        Dictionary<string, (byte[] Bytes, DateTime Mtime)> thirdAfter = Snapshot(dir.Combine("exp"));
        foreach ((string path, (byte[] bytes, DateTime mtime)) in after)
        {
            Assert.Equal(bytes, thirdAfter[path].Bytes);
            Assert.Equal(mtime, thirdAfter[path].Mtime);
        }

        IReadOnlyList<ActionLogReader.Entry> log = ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.TorchtuneLogName));
        Assert.Equal(21, log.Count);
        Assert.True(new FileInfo(dir.Combine("exp", ExperimentLayout.TorchtuneLogName)).Length > logLength);
        Assert.Equal("4 setup_finetune.yaml files: 0 created, 0 updated, 4 unchanged, 0 edited by hand", log[10].Result);
    }

    [Fact]
    public void Corrupted_learning_rate_fails_validation_of_that_run_only()
    {
        using var dir = new TempDirectory();
        Scaffold(dir);
        string yaml = dir.Combine("exp", RunNames[1], "finetune.yaml");
        string text = File.ReadAllText(yaml);
        Assert.Contains("lr: 5.0e-05", text, StringComparison.Ordinal);
        File.WriteAllText(yaml, text.Replace("lr: 5.0e-05", "lr: 0.001", StringComparison.Ordinal));

        ScaffoldReport report = Scaffold(dir);

        Assert.Equal(1, report.ExitCode);
        Assert.Equal([RunNames[1]], report.FailedRuns);
        ActionLogReader.Entry validate = ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.TorchtuneLogName))
            .Last(e => e.Action == "VALIDATE_PARAMETERS");
        Assert.Equal($"1 of 4 runs failed validation: {RunNames[1]}", validate.Result);
        Assert.Contains(validate.Extra, l => l.StartsWith($"FAIL {RunNames[1]}: optimizer.lr", StringComparison.Ordinal) && l.Contains("0.001", StringComparison.Ordinal));
    }

    [Fact]
    public void Hand_edited_config_is_kept_and_reported_and_force_rewrites_it()
    {
        using var dir = new TempDirectory();
        Scaffold(dir);
        string yaml = dir.Combine("exp", RunNames[0], "finetune.yaml");
        string original = File.ReadAllText(yaml);
        string edited = original.Replace("log_every_n_steps: 5", "log_every_n_steps: 50", StringComparison.Ordinal);
        Assert.NotEqual(original, edited);
        File.WriteAllText(yaml, edited);

        ScaffoldReport kept = Scaffold(dir);

        Assert.Equal(1, kept.ExitCode);
        Assert.Equal(edited, File.ReadAllText(yaml));
        Assert.Contains(kept.Failures, f => f.Contains("edited by hand", StringComparison.Ordinal) && f.Contains(RunNames[0], StringComparison.Ordinal));
        Assert.Contains(ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.TorchtuneLogName)).SelectMany(e => e.Extra),
            l => l == $"File: {RunNames[0]}/finetune.yaml (edited by hand, kept)");

        ScaffoldReport forced = Scaffold(dir, options: new ScaffoldOptions { Force = true });

        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(original, File.ReadAllText(yaml));
        Assert.Contains(ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.TorchtuneLogName)).SelectMany(e => e.Extra),
            l => l == $"File: {RunNames[0]}/finetune.yaml (edited by hand, overwritten (--force))");
    }

    [Fact]
    public void Adding_a_sweep_value_creates_only_the_new_runs_files()
    {
        using var dir = new TempDirectory();
        Scaffold(dir);
        Dictionary<string, (byte[] Bytes, DateTime Mtime)> before = Snapshot(dir.Combine("exp"));
        ExperimentPlan grown = WithExtraRun(Example, TestPlans.CapitalizationRun(32, 1e-5, "1e-5"));

        ScaffoldReport report = Scaffold(dir, grown);

        Assert.Equal(0, report.ExitCode);
        Dictionary<string, (byte[] Bytes, DateTime Mtime)> after = Snapshot(dir.Combine("exp"));
        foreach ((string path, (byte[] bytes, DateTime mtime)) in before.Where(kv => !kv.Key.StartsWith("experiment_summary.", StringComparison.Ordinal) && kv.Key != ScaffoldManifest.FileName))
        {
            Assert.Equal(bytes, after[path].Bytes);
            Assert.Equal(mtime, after[path].Mtime);
        }

        string[] created = [.. report.Files.Where(f => f.Status == FileStatus.Create).Select(f => f.RelativePath)];
        Assert.All(created, p => Assert.StartsWith("Llama-3.2-1B_r32_lr1e-5/", p, StringComparison.Ordinal));
        Assert.Equal(3 + 4, created.Length);
    }

    [Fact]
    public void Removed_run_is_reported_as_orphan_and_kept_until_pruned()
    {
        using var dir = new TempDirectory();
        Scaffold(dir);
        ExperimentPlan shrunk = WithoutRun(Example, RunNames[3]);

        ScaffoldReport kept = Scaffold(dir, shrunk);

        Assert.Contains(kept.Orphans, o => o.RelativePath == RunNames[3] + "/finetune.yaml");
        Assert.True(File.Exists(dir.Combine("exp", RunNames[3], "finetune.yaml")));
        ScaffoldReport again = Scaffold(dir, shrunk);
        Assert.Contains(again.Orphans, o => o.RelativePath == RunNames[3] + "/finetune.yaml");

        ScaffoldReport pruned = Scaffold(dir, shrunk, new ScaffoldOptions { Prune = true });

        Assert.Contains(RunNames[3] + "/finetune.yaml", pruned.Pruned);
        Assert.False(Directory.Exists(dir.Combine("exp", RunNames[3])));
        Assert.True(File.Exists(dir.Combine("exp", RunNames[2], "finetune.yaml")));
    }

    [Fact]
    public void Misspelled_task_skips_only_its_evaluations_and_names_the_tasks_that_exist()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = RenameTask(Example, "reasoning", "reasonin");

        ScaffoldReport report = Scaffold(dir, plan);

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(8, report.EvaluationsReady);
        Assert.Empty(Directory.GetFiles(dir.Combine("exp", RunNames[0], "eval"), "reasonin*"));
        Assert.Equal(2, Directory.GetFiles(dir.Combine("exp", RunNames[0], "eval"), "capitalization_*").Length);
        ActionLogReader.Entry verify = ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.InspectLogName)).Single(e => e.Action == "VERIFY_TASK_SCRIPTS");
        Assert.Contains("reasonin", verify.Result, StringComparison.Ordinal);
        Assert.Contains("tasks there: reasoning", verify.Result, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_task_script_skips_only_its_evaluations()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = Example with
        {
            Tasks = [Example.Tasks[0], Example.Tasks[1] with { Script = "tasks/missing.py" }],
        };

        ScaffoldReport report = Scaffold(dir, plan);

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(8, report.EvaluationsReady);
        ActionLogReader.Entry verify = ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.InspectLogName)).Single(e => e.Action == "VERIFY_TASK_SCRIPTS");
        Assert.Contains("tasks/missing.py not found", verify.Result, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_on_a_task_that_only_reads_config_dir_is_refused_before_submission()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = TestPlans.CapitalizationWithControl(RepoPaths.CapitalizationExample);

        ScaffoldReport report = Scaffold(dir, plan);

        // capitalization(config_dir) cannot take the dataset and prompt a base model needs; reasoning can.
        Assert.Equal(1, report.ExitCode);
        Assert.False(File.Exists(dir.Combine("exp", "Llama-3.2-1B_base", "eval", "capitalization_base.slurm")));
        Assert.True(File.Exists(dir.Combine("exp", "Llama-3.2-1B_base", "eval", "reasoning_base.slurm")));
        Assert.Equal(17, report.EvaluationsReady);
        Assert.Contains(report.Failures, f => f.Contains("@task capitalization does not take dataset_path, system_prompt", StringComparison.Ordinal));
    }

    [Fact]
    public void Preview_writes_nothing_and_classifies_every_file()
    {
        using var dir = new TempDirectory();
        var layout = new ExperimentLayout(Example, dir.Combine("exp"), Environment(dir));

        ScaffoldPreview.Result preview = ScaffoldPreview.Compute(layout);

        Assert.False(Directory.Exists(dir.Combine("exp")));
        // The two plan files (.md, .yaml), the recorded environment, 3 files per run and 16 eval scripts.
        Assert.Equal(3 + 12 + 16, preview.Files.Count);
        Assert.All(preview.Files, f => Assert.Equal(FileStatus.Create, f.Status));
        Assert.Empty(preview.Problems);
    }

    [Fact]
    public void A_preview_started_early_is_the_preview_and_refuses_the_reads_of_another_experiment()
    {
        using var dir = new TempDirectory();
        Scaffold(dir);
        File.AppendAllText(dir.Combine("exp", ExperimentLayout.SetupYaml(RunNames[0])), "# edited\n");
        var layout = new ExperimentLayout(Example, dir.Combine("exp"), Environment(dir));

        ScaffoldPreview.Pending started = ScaffoldPreview.Start(layout);
        ScaffoldPreview.Result early = ScaffoldPreview.Compute(layout, started);
        ScaffoldPreview.Result late = ScaffoldPreview.Compute(layout);

        Assert.Equal(late.Files.Select(f => (f.RelativePath, f.Status)), early.Files.Select(f => (f.RelativePath, f.Status)));
        Assert.Contains(early.Files, f => f.Status == FileStatus.EditedByHand);
        var other = new ExperimentLayout(Example, dir.Combine("other"), Environment(dir));
        Assert.Throws<ArgumentException>(() => ScaffoldPreview.Compute(other, started));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Run_directories_are_swept_for_temporary_files_only_after_a_scaffold_that_stopped_while_writing(bool stopped)
    {
        using var dir = new TempDirectory();
        Scaffold(dir);

        // What a killed atomic write leaves: a hidden temporary file beside its target. A scaffold killed
        // between its first write and its manifest also leaves its journal.
        string inRun = dir.Combine("exp", RunNames[0], "." + "finetune.yaml." + Guid.NewGuid().ToString("N") + ".tmp");
        string inEval = dir.Combine("exp", RunNames[1], "eval", ".x.slurm." + Guid.NewGuid().ToString("N") + ".tmp");
        string inRoot = dir.Combine("exp", "." + ScaffoldManifest.FileName + "." + Guid.NewGuid().ToString("N") + ".tmp");
        foreach (string path in new[] { inRun, inEval, inRoot })
        {
            File.WriteAllText(path, "half");
        }

        if (stopped)
        {
            File.WriteAllText(dir.Combine("exp", ScaffoldJournal.FileName), "");
        }

        Assert.Equal(0, Scaffold(dir).ExitCode);

        // The experiment directory is always swept (other commands write there too); the run
        // directories only when a stopped scaffold can have left something there. Otherwise a file of
        // that form there is not the tool's, and is left alone.
        Assert.False(File.Exists(inRoot));
        Assert.Equal(!stopped, File.Exists(inRun));
        Assert.Equal(!stopped, File.Exists(inEval));
        Assert.False(File.Exists(dir.Combine("exp", ScaffoldJournal.FileName)));
    }

    [Fact]
    public void External_setup_command_runs_in_each_run_directory_and_a_failing_one_is_logged()
    {
        using var dir = new TempDirectory();
        string setup = dir.Combine("setup_finetune.sh");
        // Stands in for cruijff_kit's setup_finetune.py: derives finetune files from setup_finetune.yaml.
        File.WriteAllText(setup, """
            #!/bin/bash
            set -e
            name=$(sed -n 's/^my_wandb_run_name: //p' setup_finetune.yaml)
            if [ "$name" = "Llama-3.2-1B_r16_lr5e-5" ]; then echo "cannot set up $name" >&2; exit 3; fi
            rank=$(sed -n 's/^lora_rank: //p' setup_finetune.yaml)
            printf 'my_wandb_run_name: %s\noutput_dir: /x/ck-out-%s/\nbatch_size: 4\nepochs: 2\nmodel:\n  lora_rank: %s\n  lora_alpha: %s\noptimizer:\n  lr: %s\n' \
              "$name" "$name" "$rank" "$((rank * 2))" "$(sed -n 's/^lr: //p' setup_finetune.yaml)" > finetune.yaml
            echo '#!/bin/bash' > finetune.slurm
            """.Replace("\r\n", "\n", StringComparison.Ordinal));

        ScaffoldReport report = Scaffold(dir, options: new ScaffoldOptions { SetupCommand = $"bash '{setup}'", SetupTimeout = TimeSpan.FromSeconds(30) });

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(["Llama-3.2-1B_r16_lr5e-5"], report.FailedRuns);
        ActionLogReader.Entry setupEntry = ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.TorchtuneLogName)).Single(e => e.Action == "RUN_SETUP_SCRIPTS");
        Assert.Equal("4 runs processed, 3 successful, 1 failures", setupEntry.Result);
        Assert.Contains(setupEntry.Extra, l => l.Contains("cannot set up Llama-3.2-1B_r16_lr5e-5", StringComparison.Ordinal));
        Assert.True(File.Exists(dir.Combine("exp", RunNames[0], "finetune.yaml")));
    }

    private static ExperimentPlan WithExtraRun(ExperimentPlan plan, PlannedRun run) => plan with
    {
        Runs = [.. plan.Runs, run],
        Evaluations = [.. plan.Evaluations, .. from task in plan.Tasks from epoch in new[] { 0, 1 } select new EvalCell(run.Name, task.Name, epoch)],
    };

    private static ExperimentPlan WithoutRun(ExperimentPlan plan, string name) => plan with
    {
        Runs = [.. plan.Runs.Where(r => r.Name != name)],
        Evaluations = [.. plan.Evaluations.Where(c => c.RunName != name)],
    };

    private static ExperimentPlan RenameTask(ExperimentPlan plan, string from, string to) => plan with
    {
        Tasks = [.. plan.Tasks.Select(t => t.Name == from ? t with { Name = to } : t)],
        Evaluations = [.. plan.Evaluations.Select(c => c.TaskName == from ? c with { TaskName = to } : c)],
    };

    private static Dictionary<string, (byte[] Bytes, DateTime Mtime)> Snapshot(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(".log", StringComparison.Ordinal) && !p.EndsWith(DirectoryLock.FileName, StringComparison.Ordinal)
                && !p.EndsWith(ScaffoldStamps.FileName, StringComparison.Ordinal))
            .ToDictionary(p => Path.GetRelativePath(root, p), p => (File.ReadAllBytes(p), File.GetLastWriteTimeUtc(p)), StringComparer.Ordinal);
}
