using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>
/// Runs generated scripts for real (stub programs on PATH) with values that would execute code or
/// split into several arguments if quoting were wrong, and checks the exact argv that arrives.
/// </summary>
public sealed class HostileValueTests
{
    // {marker} becomes a unique /tmp file name the value tries to create.
    public static TheoryData<string> HostileTexts =>
    [
        "He said \"hi\" & it's $(touch {marker}) `echo x` \\ done\nline2\ttab #x: y -z",
        "-n leading dash; touch {marker}; echo $HOME ${PATH} 'single' \"double\" \\'",
        "'",
        "ends with a backslash \\",
        "globs * ?.py [a] ~ {a,b} !! $'\\x41' <(touch {marker}) > {marker}",
        "Réponds en français 🙂 — «ok» ‘q’ \u00a0nbsp\u200bzero-width e\u0301 עברית",
        "\r\n\t leading and trailing whitespace \n",
        "",
    ];

    // Values inspect's -T/-M parsing (yaml.safe_load, then a split at commas) would change: each must
    // reach the task as exactly this string.
    public static TheoryData<string> InspectTexts =>
    [
        .. HostileTexts,
        "Be brief, precise, and polite.",
        "Answer: yes",
        "keep this #not a comment",
        "true",
        "123",
        "1e3",
        "null",
        "~",
        "[1, 2]",
        "{a: 1, b: 2}",
        "2024-01-01",
        "'single quoted'",
        "\"double quoted\"",
        "x=y=z",
        "- item",
        "EXPERIMENTDSL_TASK_ARGS",
    ];

    [SkippableTheory]
    [MemberData(nameof(InspectTexts))]
    public void Eval_script_hands_inspect_a_hostile_system_prompt_exactly_and_runs_nothing(string text)
    {
        using var sandbox = new ScriptSandbox();
        string prompt = text.Replace("{marker}", sandbox.Marker, StringComparison.Ordinal);
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s with { SystemPrompt = prompt });
        var cell = new EvalCell(run.Name, "reasoning", 1);
        string checkpoint = CreateModelDirectory(layout, cell);
        string script = EvalSlurmScript.Emit(cell, layout.Plan.Tasks[1], ScriptCases.Reasoning, layout);

        string evalDir = layout.Absolute(ExperimentLayout.EvalDir(run.Name));
        ShellTools.Result result = RunAndCheckNothingElseHappened(sandbox, script, evalDir, new() { ["inspect"] = 3 });

        Assert.Equal(3, result.ExitCode); // the script exits with inspect's status
        (var model, var taskArguments) = InspectArguments(sandbox, layout, cell, layout.ResolveInput("tasks/reasoning.py") + "@reasoning");
        Assert.Equal([new("model_path", checkpoint)], model);
        Assert.Equal(
            [new("dataset_path", layout.ResolveInput(run.Settings.Dataset)), new("system_prompt", prompt)],
            taskArguments);
        Assert.Equal(evalDir, sandbox.CallDirectory("inspect", 0));
    }

    [SkippableTheory]
    [MemberData(nameof(InspectTexts))]
    public void Eval_script_hands_inspect_a_hostile_dataset_path_exactly(string text)
    {
        using var sandbox = new ScriptSandbox();
        string dataset = Path.Combine(sandbox.Root, "data " + text.Replace("{marker}", sandbox.Marker, StringComparison.Ordinal).Replace("/", "_", StringComparison.Ordinal) + ".json");
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s with { Dataset = dataset });
        var cell = new EvalCell(run.Name, "reasoning", 0);
        CreateModelDirectory(layout, cell);
        string script = EvalSlurmScript.Emit(cell, layout.Plan.Tasks[1], ScriptCases.Reasoning, layout);

        RunAndCheckNothingElseHappened(sandbox, script, layout.Absolute(ExperimentLayout.EvalDir(run.Name)), new());

        (_, var taskArguments) = InspectArguments(sandbox, layout, cell, layout.ResolveInput("tasks/reasoning.py") + "@reasoning");
        Assert.Equal(layout.ResolveInput(dataset), taskArguments.Single(a => a.Key == "dataset_path").Value);
    }

    [SkippableFact]
    public void Config_dir_task_and_model_get_the_exact_checkpoint_under_an_output_root_with_commas_and_yaml_syntax()
    {
        using var sandbox = new ScriptSandbox();
        string outputRoot = Path.Combine(sandbox.Root, $"out, #x: true 123 $(touch {sandbox.Marker}) it's");
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s, e => e with { OutputRoot = outputRoot });
        var cell = new EvalCell(run.Name, "capitalization", 1);
        string checkpoint = CreateModelDirectory(layout, cell);
        Assert.StartsWith(outputRoot + "/", checkpoint, StringComparison.Ordinal);
        string script = EvalSlurmScript.Emit(cell, layout.Plan.Tasks[0], ScriptCases.Capitalization, layout);

        RunAndCheckNothingElseHappened(sandbox, script, layout.Absolute(ExperimentLayout.EvalDir(run.Name)), new());

        (var model, var taskArguments) = InspectArguments(sandbox, layout, cell, layout.ResolveInput("tasks/capitalization.py") + "@capitalization");
        Assert.Equal([new("model_path", checkpoint)], model);
        Assert.Equal([new("config_dir", checkpoint)], taskArguments);
    }

    [SkippableFact]
    public void Control_gets_the_exact_base_model_directory_under_a_models_dir_with_commas()
    {
        using var sandbox = new ScriptSandbox();
        ExperimentPlan plan = TestPlans.CapitalizationWithControl(Path.Combine(sandbox.Root, "src"));
        var environment = new EnvironmentSettings
        {
            OutputRoot = Path.Combine(sandbox.Root, "outputs"),
            ModelsDir = Path.Combine(sandbox.Root, "models, #x: [a, b]"),
        };
        var layout = new ExperimentLayout(plan, Path.Combine(sandbox.Root, "exp"), environment);
        ControlRun control = plan.Controls[0];
        var cell = new EvalCell(control.Name, "capitalization", null);
        Directory.CreateDirectory(layout.Absolute(ExperimentLayout.EvalDir(control.DirectoryName)));
        string model = CreateModelDirectory(layout, cell);
        string script = EvalSlurmScript.Emit(cell, plan.Tasks[0], ScriptCases.Capitalization, layout);

        RunAndCheckNothingElseHappened(sandbox, script, layout.Absolute(ExperimentLayout.EvalDir(control.DirectoryName)), new());

        (var modelArguments, var taskArguments) = InspectArguments(sandbox, layout, cell, layout.ResolveInput("tasks/capitalization.py") + "@capitalization");
        Assert.Equal([new("model_path", model)], modelArguments);
        Assert.Equal(
            [new("dataset_path", layout.ResolveInput(control.Settings.Dataset)), new("system_prompt", control.Settings.SystemPrompt)],
            taskArguments);
    }

    [Fact]
    public void Eval_script_stops_before_inspect_when_the_model_directory_is_missing()
    {
        using var sandbox = new ScriptSandbox();
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s);
        var cell = new EvalCell(run.Name, "reasoning", 1);
        string script = EvalSlurmScript.Emit(cell, layout.Plan.Tasks[1], ScriptCases.Reasoning, layout);

        ShellTools.Result result = sandbox.Run(script, layout.Absolute(ExperimentLayout.EvalDir(run.Name)));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"No model directory at {layout.EpochCheckpoint(run.Name, 1)}\n", result.Stderr);
        Assert.Empty(sandbox.Calls("inspect"));
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Finetune_script_runs_tune_with_the_exact_argv_and_hostile_environment_names_stay_arguments(string text)
    {
        using var sandbox = new ScriptSandbox();
        string value = text.Replace("{marker}", sandbox.Marker, StringComparison.Ordinal);
        // Names cannot start with '-' (they would be options): those values are covered by the rejection tests.
        string name = "x" + value;
        (ExperimentLayout layout, PlannedRun run) = Prepare(
            sandbox,
            s => s with { SystemPrompt = value },
            e => e with { Modules = [name, "cuda/12.6"], CondaEnv = name });
        string script = FinetuneSlurmScript.Emit(run, layout);
        Assert.DoesNotContain("system_prompt", script, StringComparison.Ordinal);
        WriteRunFiles(layout, run);

        RunAndCheckNothingElseHappened(
            sandbox,
            script,
            sandbox.Root,
            new() { ["tune"] = 5 },
            expectedNewDirectories: [.. WandbDirectories(sandbox, layout, run), .. RunFileCopies(sandbox, layout, run)]);

        Assert.Equal([["purge"], ["load", name], ["load", "cuda/12.6"]], sandbox.Calls("module"));
        Assert.Equal([["shell.bash", "hook"], ["activate", name]], sandbox.Calls("conda"));
        Assert.Equal(["run", "lora_finetune_single_device", "--config", "finetune.yaml"], Assert.Single(sandbox.Calls("tune")));
        Assert.Equal(layout.Absolute(run.Name), sandbox.CallDirectory("tune", 0));
    }

    [Fact]
    public void Finetune_script_activates_a_venv_whose_path_is_hostile()
    {
        using var sandbox = new ScriptSandbox();
        string venv = Path.Combine(sandbox.Root, $"venv $(touch {sandbox.Marker}) it's `x`");
        Directory.CreateDirectory(Path.Combine(venv, "bin"));
        File.WriteAllText(Path.Combine(venv, "bin", "activate"), ": > \"$STUB_LOG/venv-activated\"\n");
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s with { Gpus = 2 }, e => e with { Venv = venv });
        WriteRunFiles(layout, run);

        ShellTools.Result result = RunAndCheckNothingElseHappened(
            sandbox,
            FinetuneSlurmScript.Emit(run, layout),
            sandbox.Root,
            new(),
            expectedNewDirectories: [.. WandbDirectories(sandbox, layout, run), .. RunFileCopies(sandbox, layout, run)]);

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(sandbox.Log, "venv-activated")), "the venv's activate script was not sourced");
        Assert.Empty(sandbox.Calls("conda"));
        Assert.Equal(["run", "--nproc_per_node=2", "lora_finetune_distributed", "--config", "finetune.yaml"], Assert.Single(sandbox.Calls("tune")));
    }

    // An experiment whose directory name itself is hostile, with the run and eval directories created.
    private static (ExperimentLayout Layout, PlannedRun Run) Prepare(
        ScriptSandbox sandbox, Func<RunSettings, RunSettings> settings, Func<EnvironmentSettings, EnvironmentSettings>? environment = null)
    {
        ExperimentPlan plan = ScriptCases.WithFirstRun(TestPlans.Capitalization(Path.Combine(sandbox.Root, "src")), settings);
        plan = plan with { Runs = [plan.Runs[0]] };
        var env = new EnvironmentSettings { OutputRoot = Path.Combine(sandbox.Root, "outputs"), ModelsDir = Path.Combine(sandbox.Root, "models") };
        var layout = new ExperimentLayout(
            plan, Path.Combine(sandbox.Root, $"exp $(touch {sandbox.Marker}) it's"), environment?.Invoke(env) ?? env);
        PlannedRun run = plan.Runs[0];
        Directory.CreateDirectory(layout.Absolute(ExperimentLayout.EvalDir(run.Name)));
        return (layout, run);
    }

    // The run's files the fine-tune job copies into the checkpoint directory; written here as the scaffold would.
    private static IEnumerable<string> RunFileCopies(ScriptSandbox sandbox, ExperimentLayout layout, PlannedRun run)
    {
        foreach (string file in new[] { "setup_finetune.yaml", "finetune.yaml", "finetune.slurm" })
        {
            yield return Path.GetRelativePath(sandbox.Root, layout.CheckpointDir(run.Name) + file);
        }
    }

    private static void WriteRunFiles(ExperimentLayout layout, PlannedRun run)
    {
        foreach (string file in new[] { "setup_finetune.yaml", "finetune.yaml", "finetune.slurm" })
        {
            File.WriteAllText(Path.Combine(layout.Absolute(run.Name), file), file + " of " + run.Name + "\n");
        }
    }

    private static IEnumerable<string> WandbDirectories(ScriptSandbox sandbox, ExperimentLayout layout, PlannedRun run)
    {
        // mkdir -p creates every missing directory down to logs/wandb.
        string wandb = layout.CheckpointDir(run.Name) + "logs/wandb";
        for (string? dir = wandb; dir is not null && dir != sandbox.Root; dir = Path.GetDirectoryName(dir))
        {
            yield return Path.GetRelativePath(sandbox.Root, dir);
        }
    }

    // The checkpoint (or base model) directory the script checks for before it calls inspect.
    private static string CreateModelDirectory(ExperimentLayout layout, EvalCell cell)
    {
        string path = EvalSlurmScript.Subject(cell, layout).ModelPath;
        Directory.CreateDirectory(path);
        return path;
    }

    // The single inspect call: its argv has exactly the expected shape with both argument files in one
    // temporary directory, the model named after the run and epoch (or the control), the cell's metadata
    // tags, and the files read the way inspect reads them.
    private static (List<KeyValuePair<string, string>> Model, List<KeyValuePair<string, string>> Task) InspectArguments(
        ScriptSandbox sandbox, ExperimentLayout layout, EvalCell cell, string taskReference)
    {
        string[] argv = Assert.Single(sandbox.Calls("inspect"));
        string argumentsDirectory = Path.GetDirectoryName(argv[5])!;
        Assert.Equal(sandbox.Temp, Path.GetDirectoryName(argumentsDirectory));
        string run = cell.Epoch is int epoch ? cell.RunName : layout.Control(cell.RunName).DirectoryName;
        string[] epochTag = cell.Epoch is int n ? ["--metadata", $"epoch={n}"] : [];
        Assert.Equal(
            [
                "eval", taskReference,
                "--model", cell.Epoch is int e ? $"hf/{cell.RunName}_epoch{e}" : "hf/" + run,
                "--model-config", Path.Combine(argumentsDirectory, "model_args.json"),
                "--task-config", Path.Combine(argumentsDirectory, "task_args.json"),
                "--metadata", "experiment=" + layout.Plan.Name,
                "--metadata", "run=" + run,
                "--metadata", "task=" + cell.TaskName,
                .. epochTag,
                // cruijff_kit's analysis tools read these two: only a control evaluates the base model as it is.
                "--metadata", "is_finetuned=" + (cell.IsControl ? "false" : "true"),
                "--metadata", "source_model=" + EvalSlurmScript.Subject(cell, layout).Settings.ModelInfo.Name,
                "--log-dir", "./logs",
                "--log-level", "info",
            ],
            argv);
        return (
            InspectConfigReader.Read(sandbox.CallFile("inspect", 0, "--model-config")!),
            InspectConfigReader.Read(sandbox.CallFile("inspect", 0, "--task-config")!));
    }

    private static ShellTools.Result RunAndCheckNothingElseHappened(
        ScriptSandbox sandbox,
        string script,
        string workingDirectory,
        Dictionary<string, int> exitCodes,
        IReadOnlyCollection<string>? expectedNewDirectories = null)
    {
        SortedSet<string> before = sandbox.Snapshot();
        ShellTools.Result result = sandbox.Run(script, workingDirectory, exitCodes);

        Assert.True(result.Stderr.Length == 0, "the script wrote to stderr: " + result.Stderr);
        Assert.False(File.Exists(sandbox.Marker), "a hostile value executed a command");
        var appeared = new SortedSet<string>(sandbox.Snapshot().Except(before), StringComparer.Ordinal);
        Assert.Equal(new SortedSet<string>(expectedNewDirectories ?? [], StringComparer.Ordinal), appeared);
        return result;
    }
}
