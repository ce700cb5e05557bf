using System.Diagnostics;
using System.Text.Json;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>The README's main command, run for real: the built example with no arguments.</summary>
public sealed class ExampleScaffoldTests
{
    private static readonly string[] RunNames =
        ["Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r8_lr5e-5", "Llama-3.2-1B_r16_lr1e-5", "Llama-3.2-1B_r16_lr5e-5"];

    [Fact]
    public void Running_the_example_without_arguments_scaffolds_it_under_the_working_directory()
    {
        using var cwd = new TempDirectory();

        ProgramRun.Result run = ProgramRun.Run(Built.Capitalization, cwd.Path);

        Assert.True(run.ExitCode == 0, run.All);
        string experiment = cwd.Combine("experiments", "cap_4L_lora_lr_sweep");
        Assert.Equal(
            RunNames.Order(StringComparer.Ordinal),
            Directory.GetDirectories(experiment).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string name in RunNames)
        {
            Assert.True(File.Exists(Path.Combine(experiment, name, "setup_finetune.yaml")));
            Assert.True(File.Exists(Path.Combine(experiment, name, "finetune.yaml")));
            Assert.True(File.Exists(Path.Combine(experiment, name, "finetune.slurm")));
            Assert.Equal(4, Directory.GetFiles(Path.Combine(experiment, name, "eval"), "*.slurm").Length);
        }

        foreach (string file in new[] { "scaffold-torchtune.log", "scaffold-inspect.log", "experiment_summary.md" })
        {
            Assert.True(File.Exists(Path.Combine(experiment, file)), file);
        }

        string torchtuneLog = File.ReadAllText(Path.Combine(experiment, "scaffold-torchtune.log"));
        Assert.Contains("Result: 4 setup_finetune.yaml files created\n", torchtuneLog, StringComparison.Ordinal);
        Assert.Contains("Result: 4 runs processed, 4 successful, 0 failures\n", torchtuneLog, StringComparison.Ordinal);
        Assert.Contains("Result: All runs validated successfully\n", torchtuneLog, StringComparison.Ordinal);
        string inspectLog = File.ReadAllText(Path.Combine(experiment, "scaffold-inspect.log"));
        Assert.Contains("Result: 16 SLURM scripts created (4 runs × 2 tasks × 2 epochs)\n", inspectLog, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Scaffolded_finetune_configs_load_in_a_yaml_1_1_reader_with_the_runs_values()
    {
        using var cwd = new TempDirectory();
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path).ExitCode);
        string experiment = cwd.Combine("experiments", "cap_4L_lora_lr_sweep");
        string[] files = [.. RunNames.Select(n => Path.Combine(experiment, n, "finetune.yaml"))];

        JsonElement[] configs = PyYaml.LoadAll(files);

        int[] ranks = [8, 8, 16, 16];
        double[] rates = [1e-5, 5e-5, 1e-5, 5e-5];
        for (int i = 0; i < RunNames.Length; i++)
        {
            Assert.Equal(ranks[i], configs[i].GetProperty("model").GetProperty("lora_rank").GetInt32());
            Assert.Equal(2 * ranks[i], configs[i].GetProperty("model").GetProperty("lora_alpha").GetInt32());
            JsonElement lr = configs[i].GetProperty("optimizer").GetProperty("lr");
            Assert.Equal(JsonValueKind.Number, lr.ValueKind);
            Assert.Equal(rates[i], lr.GetDouble());
            Assert.Equal(2, configs[i].GetProperty("epochs").GetInt32());
            Assert.Contains(RunNames[i], configs[i].GetProperty("output_dir").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Plan_prints_the_runs_and_the_files_and_writes_nothing()
    {
        using var cwd = new TempDirectory();

        ProgramRun.Result run = ProgramRun.Run(Built.Capitalization, cwd.Path, "plan");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cwd.Path));
        Assert.Contains("Varying parameters: LoraRank, LearningRate", run.Output, StringComparison.Ordinal);
        Assert.Contains("Naming pattern: {Model}_r{LoraRank}_lr{LearningRate}", run.Output, StringComparison.Ordinal);
        Assert.All(RunNames, name => Assert.Contains(name, run.Output, StringComparison.Ordinal));
        Assert.Contains("create          Llama-3.2-1B_r16_lr5e-5/eval/reasoning_epoch1.slurm", run.Output, StringComparison.Ordinal);
        Assert.Contains("Summary: 31 create", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Scaffold_into_an_explicit_directory_and_plan_it_again_shows_no_change()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("somewhere", "cap");

        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir, "--mem", "4G", "--account", "lab").ExitCode);
        ProgramRun.Result plan = ProgramRun.Run(Built.Capitalization, cwd.Path, "plan", "--dir", dir, "--mem", "4G", "--account", "lab");

        Assert.Contains("#SBATCH --mem=4G", File.ReadAllText(Path.Combine(dir, RunNames[0], "finetune.slurm")), StringComparison.Ordinal);
        Assert.Contains("#SBATCH --account=lab", File.ReadAllText(Path.Combine(dir, RunNames[0], "finetune.slurm")), StringComparison.Ordinal);
        Assert.Contains("Summary: 31 unchanged", plan.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Hand_edited_config_shows_in_plan_with_a_diff_is_kept_by_scaffold_and_rewritten_with_force()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        string yaml = Path.Combine(dir, RunNames[0], "finetune.yaml");
        string original = File.ReadAllText(yaml);
        File.WriteAllText(yaml, original.Replace("log_every_n_steps: 5", "log_every_n_steps: 1", StringComparison.Ordinal));

        ProgramRun.Result plan = ProgramRun.Run(Built.Capitalization, cwd.Path, "plan", "--dir", dir);
        ProgramRun.Result kept = ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir);
        string afterKept = File.ReadAllText(yaml);
        ProgramRun.Result forced = ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir, "--force");

        Assert.Equal(1, plan.ExitCode);
        Assert.Contains($"edited-by-hand  {RunNames[0]}/finetune.yaml", plan.Output, StringComparison.Ordinal);
        Assert.Contains("-log_every_n_steps: 1", plan.Output, StringComparison.Ordinal);
        Assert.Contains("+log_every_n_steps: 5", plan.Output, StringComparison.Ordinal);
        Assert.Equal(1, kept.ExitCode);
        Assert.Contains("edited by hand", kept.Output, StringComparison.Ordinal);
        Assert.Contains("log_every_n_steps: 1", afterKept, StringComparison.Ordinal);
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(original, File.ReadAllText(yaml));
    }

    [Fact]
    public void Help_lists_every_verb_and_each_verb_has_help()
    {
        using var cwd = new TempDirectory();

        ProgramRun.Result help = ProgramRun.Run(Built.Capitalization, cwd.Path, "--help");

        Assert.Equal(0, help.ExitCode);
        foreach (string verb in new[] { "scaffold", "plan", "preflight", "submit", "status", "import", "list" })
        {
            Assert.Contains(verb, help.Output, StringComparison.Ordinal);
            ProgramRun.Result verbHelp = ProgramRun.Run(Built.Capitalization, cwd.Path, verb, "--help");
            Assert.True(verbHelp.ExitCode == 0, verb + ": " + verbHelp.All);
        }

        Assert.Contains("--max-queued", ProgramRun.Run(Built.Capitalization, cwd.Path, "submit", "--help").Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cwd.Path));
    }

    [Theory]
    [InlineData("scaffold", "--no-such-option")]
    [InlineData("scaffold", "--experiment", "nope")]
    [InlineData("submit", "--only", "both")]
    [InlineData("scaffold", "--settings", "missing.yaml")]
    [InlineData("frobnicate")]
    public void Bad_usage_exits_2_with_a_message_and_writes_nothing(params string[] args)
    {
        using var cwd = new TempDirectory();

        ProgramRun.Result run = ProgramRun.Run(Built.Capitalization, cwd.Path, args);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.All}");
        Assert.Contains("error", run.All, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cwd.Path));
    }

    [Theory]
    [InlineData("scaffold")]
    [InlineData("plan")]
    [InlineData("submit")]
    [InlineData("status")]
    [InlineData("preflight")]
    public void A_file_given_as_the_experiment_directory_exits_2_and_is_left_alone(string verb)
    {
        using var cwd = new TempDirectory();
        string file = cwd.Combine("notes.txt");
        File.WriteAllText(file, "mine\n");

        ProgramRun.Result run = ProgramRun.Run(Built.Capitalization, cwd.Path, verb, "--dir", file);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.All}");
        Assert.Contains($"The experiment directory {file} is a file; give --dir a directory", run.All, StringComparison.Ordinal);
        Assert.Equal("mine\n", File.ReadAllText(file));
        Assert.Equal([file], Directory.EnumerateFileSystemEntries(cwd.Path));
    }

    [Fact]
    public void A_damaged_manifest_exits_2_naming_it_and_touches_nothing()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("cap");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        string manifest = Path.Combine(dir, "scaffold-manifest.json");
        File.WriteAllText(manifest, "{ broken");
        string config = Path.Combine(dir, RunNames[0], "finetune.yaml");
        File.Delete(config);

        ProgramRun.Result run = ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir);

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.All}");
        Assert.Contains("scaffold-manifest.json is not a valid scaffold manifest", run.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.All, StringComparison.Ordinal);
        Assert.Equal("{ broken", File.ReadAllText(manifest));
        Assert.False(File.Exists(config));
    }

    [Fact]
    public void A_file_where_a_directory_must_be_stops_with_exit_1_and_a_rerun_finishes_the_scaffold()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("cap");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        string evalDir = Path.Combine(dir, RunNames[0], "eval");
        Directory.Delete(evalDir, recursive: true);
        File.WriteAllText(evalDir, "in the way\n");
        string config = Path.Combine(dir, RunNames[1], "finetune.yaml");
        string expected = File.ReadAllText(config);
        File.Delete(config);

        ProgramRun.Result stopped = ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir);

        Assert.True(stopped.ExitCode == 1, $"exit {stopped.ExitCode}: {stopped.All}");
        Assert.Contains("error:", stopped.All, StringComparison.Ordinal);
        Assert.Contains(evalDir, stopped.All, StringComparison.Ordinal);
        Assert.Contains("stopped part-way", stopped.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stopped.All, StringComparison.Ordinal);
        Assert.Equal(expected, File.ReadAllText(config));
        Assert.Empty(Directory.EnumerateFiles(dir, "*.tmp", SearchOption.AllDirectories));

        File.Delete(evalDir);
        ProgramRun.Result finished = ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir);

        Assert.True(finished.ExitCode == 0, $"exit {finished.ExitCode}: {finished.All}");
        Assert.True(File.Exists(Path.Combine(evalDir, "capitalization_epoch0.slurm")));
    }

    [Fact]
    public void Invalid_settings_file_exits_2_naming_the_key()
    {
        using var cwd = new TempDirectory();
        File.WriteAllText(cwd.Combine("experimentdsl.settings.yaml"), "output_root: /tmp/x\nacount: lab\n");

        ProgramRun.Result run = ProgramRun.Run(Built.Capitalization, cwd.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown setting 'acount'", run.All, StringComparison.Ordinal);
        Assert.False(Directory.Exists(cwd.Combine("experiments")));
    }

    [Fact]
    public void Settings_file_supplies_the_environment()
    {
        using var cwd = new TempDirectory();
        File.WriteAllText(cwd.Combine("experimentdsl.settings.yaml"),
            "output_root: /scratch/me/out\nmodels_dir: /scratch/models\nconda_env: myenv\npartition: gpu\nmodules: [anaconda3/2024.6]\nfinetune:\n  mem: 8G\n  time: '01:00:00'\n");

        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path).ExitCode);

        string script = File.ReadAllText(cwd.Combine("experiments", "cap_4L_lora_lr_sweep", RunNames[0], "finetune.slurm"));
        Assert.Contains("#SBATCH --mem=8G", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --time=01:00:00", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --partition=gpu", script, StringComparison.Ordinal);
        Assert.Contains("myenv", script, StringComparison.Ordinal);
        Assert.Contains("/scratch/me/out/cap_4L_lora_lr_sweep/ck-out-" + RunNames[0], script, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_is_the_same_bytes_under_a_turkish_and_a_finnish_culture()
    {
        using var cwd = new TempDirectory();
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", cwd.Combine("exp")).ExitCode);
        Dictionary<string, byte[]> invariant = Tree.Snapshot(cwd.Combine("exp"));

        foreach (string culture in new[] { "tr_TR.UTF-8", "fi_FI.UTF-8" })
        {
            Directory.Delete(cwd.Combine("exp"), recursive: true);
            var environment = new Dictionary<string, string> { ["LC_ALL"] = culture, ["LANG"] = culture };
            Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, TimeSpan.FromMinutes(2), environment, "scaffold", "--dir", cwd.Combine("exp")).ExitCode);
            Tree.AssertEqual(invariant, Tree.Snapshot(cwd.Combine("exp")));
        }
    }

    [Fact]
    public void Two_scaffolds_started_together_give_the_result_of_one()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");

        using Process first = ProgramRun.Start(Built.Capitalization, cwd.Path, null, "scaffold", "--dir", dir);
        using Process second = ProgramRun.Start(Built.Capitalization, cwd.Path, null, "scaffold", "--dir", dir);
        first.WaitForExit();
        second.WaitForExit();

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Dictionary<string, byte[]> together = Tree.Snapshot(dir);
        using var alone = new TempDirectory();
        string single = alone.Combine("exp");
        Directory.Move(dir, single);
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        Tree.AssertEqual(Tree.Snapshot(dir), together);

        // Each log holds two complete, uninterleaved scaffolds.
        string[] actions = [.. File.ReadAllLines(Path.Combine(single, "scaffold-torchtune.log")).Where(l => l.StartsWith('[')).Select(l => l[22..])];
        string[] one = ["SCAFFOLD_TORCHTUNE_START", "ANALYZE_PARAMETERS", "CREATE_RUN_DIRS", "GENERATE_YAMLS", "RUN_SETUP_SCRIPTS", "VALIDATE_PARAMETERS", "SCAFFOLD_TORCHTUNE_COMPLETE"];
        Assert.Equal([.. one, .. one], actions);
    }
}
