using ExperimentDsl.EndToEnd.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// cruijff_kit's experiment_summary.yaml as an input: the command line scaffolds from it without C#,
/// and `import` turns it into a C# experiment that builds and scaffolds the same files.
/// </summary>
public sealed class YamlSummaryEndToEndTests
{
    [Fact]
    public void Scaffold_from_the_yaml_without_csharp_gives_the_same_run_files()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        Dictionary<string, byte[]> fromCSharp = Tree.Snapshot(dir);
        File.Copy(Path.Combine(dir, "experiment_summary.yaml"), cwd.Combine("summary.yaml"));
        Directory.Delete(dir, recursive: true);

        ProgramRun.Result run = ProgramRun.Run(Built.Cli, cwd.Path, "scaffold", "--from", cwd.Combine("summary.yaml"), "--dir", dir);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.DoesNotContain("warning", run.Error, StringComparison.Ordinal);
        Tree.AssertEqual(Without(fromCSharp), AsUnsetDecoding(Without(Tree.Snapshot(dir))));
    }

    [Fact]
    public void Imported_yaml_builds_and_scaffolds_the_same_files_and_the_same_yaml_again()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        Dictionary<string, byte[]> original = Tree.Snapshot(dir);
        string project = cwd.Combine("Imported");
        Directory.CreateDirectory(project);

        ProgramRun.Result import = ProgramRun.Run(Built.Cli, cwd.Path, "import", Path.Combine(dir, "experiment_summary.yaml"),
            "--namespace", "Capitalization", "--type", "CapitalizationSweep", "--output", Path.Combine(project, "CapitalizationSweep.cs"));
        Assert.True(import.ExitCode == 0, import.All);
        SummaryEndToEndTests.WriteProject(project);
        SummaryEndToEndTests.Build(project);
        Directory.Delete(dir, recursive: true);

        ProgramRun.Result scaffold = ProgramRun.Run(Path.Combine(project, "bin", "Imported.dll"), cwd.Path, "scaffold", "--dir", dir);

        Assert.True(scaffold.ExitCode == 0, scaffold.All);
        Dictionary<string, byte[]> again = AsUnsetDecoding(Tree.Snapshot(dir));
        Tree.AssertEqual(Without(original), Without(again));
        // The YAML differs only in the question, which names the source ("C# record ..." both times here).
        Assert.Equal(System.Text.Encoding.UTF8.GetString(original["experiment_summary.yaml"]), System.Text.Encoding.UTF8.GetString(again["experiment_summary.yaml"]));
    }

    [Fact]
    public void Eval_only_runs_vis_labels_decoding_and_task_prompts_survive_csharp_yaml_import_csharp()
    {
        using var cwd = new TempDirectory();
        string script = cwd.Combine("tasks", "capitalization.py");
        Directory.CreateDirectory(cwd.Combine("tasks"));
        File.WriteAllText(script, CuedTaskScript);
        string original = cwd.Combine("Original");
        Directory.CreateDirectory(original);
        File.WriteAllText(Path.Combine(original, "CuedSweep.cs"), CuedExperiment(script, Path.Combine(Built.RepoRoot, "examples", "Capitalization", "data", "capitalization.json")));
        SummaryEndToEndTests.WriteProject(original);
        SummaryEndToEndTests.Build(original);
        string dir = cwd.Combine("exp");
        ProgramRun.Result first = ProgramRun.Run(Path.Combine(original, "bin", "Imported.dll"), cwd.Path, "scaffold", "--dir", dir);
        Assert.True(first.ExitCode == 0, first.All);
        Dictionary<string, byte[]> fromCSharp = Tree.Snapshot(dir);
        string imported = cwd.Combine("Imported");
        Directory.CreateDirectory(imported);

        ProgramRun.Result import = ProgramRun.Run(Built.Cli, cwd.Path, "import", Path.Combine(dir, "experiment_summary.yaml"),
            "--namespace", "Cued", "--type", "CuedSweep", "--output", Path.Combine(imported, "CuedSweep.cs"));
        Assert.True(import.ExitCode == 0, import.All);
        SummaryEndToEndTests.WriteProject(imported);
        SummaryEndToEndTests.Build(imported);
        Directory.Delete(dir, recursive: true);
        ProgramRun.Result again = ProgramRun.Run(Path.Combine(imported, "bin", "Imported.dll"), cwd.Path, "scaffold", "--dir", dir);

        Assert.True(again.ExitCode == 0, again.All);
        Dictionary<string, byte[]> fromImport = Tree.Snapshot(dir);
        Tree.AssertEqual(Without(fromCSharp), Without(fromImport));
        Assert.Contains("earlier_r8/eval/cued.slurm", fromImport.Keys);
        string code = File.ReadAllText(Path.Combine(imported, "CuedSweep.cs"));
        Assert.Contains("[EvalOnly(\"earlier_r8\", Model.Llama_3_2_1B, \"/scratch/earlier/ck-out-r8/epoch_1\")]", code, StringComparison.Ordinal);
        Assert.Contains("[Evaluation(Temperature = 0.7, DoSample = true, MaxTokens = 20)]", code, StringComparison.Ordinal);
        Assert.Contains("[VisLabel(\"earlier_r8\", \"earlier\")]", code, StringComparison.Ordinal);
        Assert.Contains("SystemPrompt = \"You are careful.\"", code, StringComparison.Ordinal);
    }

    private const string CuedTaskScript = """
        from inspect_ai import Task, task


        @task
        def capitalization(config_dir: str = "", dataset_path: str = "", system_prompt: str = "", prompt_template: str = ""):
            return Task(dataset=[])


        @task
        def cued(config_dir: str = "", dataset_path: str = "", system_prompt: str = "", prompt_template: str = ""):
            return Task(dataset=[])
        """;

    private static string CuedExperiment(string script, string dataset) => $$"""
        using ExperimentDsl;

        namespace Cued;

        [Experiment("cap_cued")]
        [RunName("{Model}_r{LoraRank}")]
        [Control(Model.Llama_3_2_1B)]
        [EvalOnly("earlier_r8", Model.Llama_3_2_1B, "/scratch/earlier/ck-out-r8/epoch_1")]
        [EvalTask("capitalization", "{{script}}", Runs = ["Llama-3.2-1B_r8", "Llama-3.2-1B_r16"])]
        [EvalTask("cued", "{{script}}", Prompt = "Capitalize, carefully: {input}\n", SystemPrompt = "You are careful.")]
        [EvalEpochs(EpochSelection.Last)]
        [Evaluation(Temperature = 0.7, DoSample = true, MaxTokens = 20)]
        [VisLabel("Llama-3.2-1B_r8", "r8")]
        [VisLabel("earlier_r8", "earlier")]
        public partial record CuedSweep
        {
            public Model Model { get; init; } = Model.Llama_3_2_1B;

            [Sweep(8, 16)]
            public int LoraRank { get; init; }

            public int Epochs { get; init; } = 2;

            public string Dataset { get; init; } = "{{dataset}}";

            public string SystemPrompt { get; init; } = "You capitalize text exactly as asked.";
        }
        """;

    [Theory]
    [InlineData("no-runs", "experiment:\n  name: broken\ncontrols:\n  epochs: 1\n", "runs")]
    [InlineData("bad-rank", "experiment:\n  name: broken\ncontrols:\n  epochs: 1\nruns:\n  - name: r8\n    type: fine-tuned\n    model: Llama-3.2-1B\n    parameters:\n      lora_rank: eight\n", "runs[0].parameters.lora_rank: value 'eight'")]
    [InlineData("sharegpt", "experiment:\n  name: broken\ncontrols:\n  epochs: 1\n  dataset_type: sharegpt\nruns:\n  - name: r8\n    type: fine-tuned\n    model: Llama-3.2-1B\n    parameters: {}\n", "controls.dataset_type: value 'sharegpt'")]
    public void Bad_yaml_exits_2_naming_the_key_and_writes_nothing(string name, string yaml, string expected)
    {
        using var cwd = new TempDirectory();
        File.WriteAllText(cwd.Combine(name + ".yaml"), yaml);

        ProgramRun.Result run = ProgramRun.Run(Built.Cli, cwd.Path, "scaffold", "--from", cwd.Combine(name + ".yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Equal([cwd.Combine(name + ".yaml")], Directory.GetFileSystemEntries(cwd.Path));
    }

    [Fact]
    public void An_unknown_key_is_a_warning_on_stderr_naming_its_path_and_the_scaffold_goes_on()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        string yaml = File.ReadAllText(Path.Combine(dir, "experiment_summary.yaml")).Replace("tools:\n", "reviewer: ana\ntools:\n", StringComparison.Ordinal);
        File.WriteAllText(cwd.Combine("summary.yaml"), yaml);

        ProgramRun.Result run = ProgramRun.Run(Built.Cli, cwd.Path, "plan", "--from", cwd.Combine("summary.yaml"));

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("warning: summary.yaml: reviewer: is not a key", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_file_of_another_extension_exits_2_naming_the_supported_ones()
    {
        using var cwd = new TempDirectory();
        File.WriteAllText(cwd.Combine("plan.json"), "{}");

        ProgramRun.Result run = ProgramRun.Run(Built.Cli, cwd.Path, "import", cwd.Combine("plan.json"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(".md (experiment_summary.md), .yaml or .yml", run.Error, StringComparison.Ordinal);
    }

    // Both plan files and the manifest describe where the experiment came from; every run file must be identical.
    private static Dictionary<string, byte[]> Without(Dictionary<string, byte[]> tree) => SummaryEndToEndTests.WithoutOriginFiles(tree);

    /// <summary>
    /// The example sets no decoding, so its eval scripts pass no do_sample (inspect's hf provider then
    /// samples). cruijff_kit's format cannot say "unset": its file omits do_sample, which it (and
    /// --from) reads as greedy, so a plan read back passes do_sample false, and an imported one writes
    /// it. This undoes exactly that difference, and fails if it is not there.
    /// </summary>
    private static Dictionary<string, byte[]> AsUnsetDecoding(Dictionary<string, byte[]> tree)
    {
        var result = new Dictionary<string, byte[]>(tree);
        foreach ((string path, byte[] bytes) in tree)
        {
            string text = System.Text.Encoding.UTF8.GetString(bytes);
            string undone = path.EndsWith(".slurm", StringComparison.Ordinal) && path.Contains("/eval/", StringComparison.Ordinal)
                ? text.Replace(",\"do_sample\":false}", "}", StringComparison.Ordinal)
                : path == "experiment_summary.yaml" ? text.Replace("  temperature: null\n  do_sample: false\n", "  temperature: null\n", StringComparison.Ordinal) : text;
            Assert.True(path is not "experiment_summary.yaml" || undone != text || !text.Contains("do_sample", StringComparison.Ordinal), "experiment_summary.yaml: " + text);
            Assert.True(!path.EndsWith(".slurm", StringComparison.Ordinal) || !path.Contains("/eval/", StringComparison.Ordinal) || undone != text, path + " does not pass do_sample false");
            result[path] = System.Text.Encoding.UTF8.GetBytes(undone);
        }

        return result;
    }
}
