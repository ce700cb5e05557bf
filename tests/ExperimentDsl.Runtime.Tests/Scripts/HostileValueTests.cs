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

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Eval_script_passes_a_hostile_system_prompt_as_one_exact_argument_and_runs_nothing(string text)
    {
        using var sandbox = new ScriptSandbox();
        string prompt = text.Replace("{marker}", sandbox.Marker, StringComparison.Ordinal);
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s with { SystemPrompt = prompt });
        var cell = new EvalCell(run.Name, "reasoning", 1);
        string script = EvalSlurmScript.Emit(cell, layout.Plan.Tasks[1], ScriptCases.Reasoning, layout);

        string evalDir = layout.Absolute(ExperimentLayout.EvalDir(run.Name));
        ShellTools.Result result = RunAndCheckNothingElseHappened(sandbox, script, evalDir, new() { ["inspect"] = 3 });

        Assert.Equal(3, result.ExitCode); // the script exits with inspect's status
        Assert.Equal(
            [
                "eval", layout.ResolveInput("tasks/reasoning.py") + "@reasoning",
                "--model", "hf/local",
                "-M", "model_path=" + layout.EpochCheckpoint(run.Name, 1),
                "-T", "dataset_path=" + layout.ResolveInput(run.Settings.Dataset),
                "-T", "system_prompt=" + prompt,
                "--log-dir", "./logs",
                "--log-level", "info",
            ],
            Assert.Single(sandbox.Calls("inspect")));
        Assert.Equal(evalDir, sandbox.CallDirectory("inspect", 0));
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Eval_script_passes_a_hostile_dataset_path_as_one_exact_argument(string text)
    {
        using var sandbox = new ScriptSandbox();
        string dataset = Path.Combine(sandbox.Root, "data " + text.Replace("{marker}", sandbox.Marker, StringComparison.Ordinal).Replace("/", "_", StringComparison.Ordinal) + ".json");
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s with { Dataset = dataset });
        var cell = new EvalCell(run.Name, "reasoning", 0);
        string script = EvalSlurmScript.Emit(cell, layout.Plan.Tasks[1], ScriptCases.Reasoning, layout);

        RunAndCheckNothingElseHappened(sandbox, script, layout.Absolute(ExperimentLayout.EvalDir(run.Name)), new());

        string[] argv = Assert.Single(sandbox.Calls("inspect"));
        Assert.Equal("dataset_path=" + layout.ResolveInput(dataset), argv[Array.IndexOf(argv, "-T") + 1]);
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

        RunAndCheckNothingElseHappened(
            sandbox,
            script,
            sandbox.Root,
            new() { ["tune"] = 5 },
            expectedNewDirectories: [.. WandbDirectories(sandbox, layout, run)]);

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

        ShellTools.Result result = RunAndCheckNothingElseHappened(
            sandbox,
            FinetuneSlurmScript.Emit(run, layout),
            sandbox.Root,
            new(),
            expectedNewDirectories: [.. WandbDirectories(sandbox, layout, run)]);

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

    private static IEnumerable<string> WandbDirectories(ScriptSandbox sandbox, ExperimentLayout layout, PlannedRun run)
    {
        // mkdir -p creates every missing directory down to logs/wandb.
        string wandb = layout.CheckpointDir(run.Name) + "logs/wandb";
        for (string? dir = wandb; dir is not null && dir != sandbox.Root; dir = Path.GetDirectoryName(dir))
        {
            yield return Path.GetRelativePath(sandbox.Root, dir);
        }
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
