using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Tests.Scripts;

public sealed class ScriptValidatorTests : IDisposable
{
    private const UnixFileMode Mode755 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"exd-validate-{Guid.NewGuid():N}");
    private readonly ExperimentPlan _plan = TestPlans.CapitalizationWithControl();
    private readonly ExperimentLayout _layout;

    public ScriptValidatorTests()
    {
        Directory.CreateDirectory(_dir);
        _layout = TestPlans.Layout(_plan);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_emitted_eval_script_written_with_mode_755_passes_every_check()
    {
        foreach (EvalCell cell in _plan.Evaluations)
        {
            string path = Write(EmitEval(cell));

            IReadOnlyList<ValidationCheck> checks = EvalScriptValidator.Validate(path, cell, _layout);

            Assert.Equal(["exists", "executable", "shebang", cell.IsControl ? "model path" : "checkpoint", "model arguments"], checks.Select(c => c.Name));
            Assert.All(checks, c => Assert.True(c.Passed, c.ToString()));
        }
    }

    [Fact]
    public void Eval_script_that_is_not_executable_fails_with_its_mode()
    {
        EvalCell cell = _plan.Evaluations[0];
        string path = Write(EmitEval(cell), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        ValidationCheck check = Single(EvalScriptValidator.Validate(path, cell, _layout), "executable");

        Assert.Equal("FAIL executable: expected user-executable (mode 755), found mode 644", check.ToString());
    }

    [Fact]
    public void Eval_script_with_another_shebang_fails()
    {
        EvalCell cell = _plan.Evaluations[0];
        string path = Write("#!/bin/sh\n" + EmitEval(cell)["#!/bin/bash\n".Length..]);

        ValidationCheck check = Single(EvalScriptValidator.Validate(path, cell, _layout), "shebang");

        Assert.Equal("FAIL shebang: expected #!/bin/bash, found #!/bin/sh", check.ToString());
    }

    [Fact]
    public void Eval_script_pointing_at_another_epochs_checkpoint_fails_naming_both_paths()
    {
        EvalCell epoch0 = new(_plan.Runs[0].Name, "capitalization", 0);
        EvalCell epoch1 = epoch0 with { Epoch = 1 };
        string path = Write(EmitEval(epoch0));

        ValidationCheck check = Single(EvalScriptValidator.Validate(path, epoch1, _layout), "checkpoint");

        Assert.False(check.Passed);
        Assert.Equal("MODEL_PATH=" + _layout.EpochCheckpoint(epoch0.RunName, 1), check.Expected);
        Assert.Equal("MODEL_PATH=" + _layout.EpochCheckpoint(epoch0.RunName, 0), check.Actual);
    }

    [Fact]
    public void Eval_script_whose_model_arguments_name_another_checkpoint_fails_although_MODEL_PATH_is_right()
    {
        EvalCell cell = new(_plan.Runs[0].Name, "capitalization", 1);
        string mine = _layout.EpochCheckpoint(cell.RunName, 1);
        string other = _layout.EpochCheckpoint(cell.RunName, 0);
        string script = EmitEval(cell).Replace("{\"model_path\":\"" + mine + "\"}", "{\"model_path\":\"" + other + "\"}", StringComparison.Ordinal);
        Assert.Contains("MODEL_PATH=" + mine + "\n", script, StringComparison.Ordinal);
        string path = Write(script);

        IReadOnlyList<ValidationCheck> checks = EvalScriptValidator.Validate(path, cell, _layout);

        Assert.True(Single(checks, "checkpoint").Passed);
        ValidationCheck check = Single(checks, "model arguments");
        Assert.Equal($"FAIL model arguments: expected {{\"model_path\":\"{mine}\"}}, found {{\"model_path\":\"{other}\"}}", check.ToString());
    }

    [Fact]
    public void Eval_script_of_another_run_fails_the_checkpoint_check()
    {
        EvalCell mine = new(_plan.Runs[0].Name, "reasoning", 1);
        string path = Write(EmitEval(mine with { RunName = _plan.Runs[1].Name }));

        Assert.False(Single(EvalScriptValidator.Validate(path, mine, _layout), "checkpoint").Passed);
    }

    [Fact]
    public void Missing_eval_script_fails_the_exists_check_only()
    {
        string path = Path.Combine(_dir, "nope.slurm");

        ValidationCheck check = Assert.Single(EvalScriptValidator.Validate(path, _plan.Evaluations[0], _layout));

        Assert.Equal($"FAIL exists: expected {path}, found no such file", check.ToString());
    }

    [Fact]
    public void Emitted_finetune_script_passes_and_one_written_for_another_run_fails_naming_what_it_found()
    {
        PlannedRun mine = _plan.Runs[0];
        PlannedRun other = _plan.Runs[1];

        Assert.All(
            FinetuneScriptValidator.Validate(Write(FinetuneSlurmScript.Emit(mine, _layout)), mine, _layout),
            c => Assert.True(c.Passed, c.ToString()));

        IReadOnlyList<ValidationCheck> wrong = FinetuneScriptValidator.Validate(Write(FinetuneSlurmScript.Emit(other, _layout)), mine, _layout);
        // Resuming from another run's checkpoints would continue the wrong training.
        Assert.Equal(["job-name", "run directory", "copies run files", "resumes"], wrong.Where(c => !c.Passed).Select(c => c.Name));
        Assert.Equal("#SBATCH --job-name=" + other.Name, Single(wrong, "job-name").Actual);
    }

    [Fact]
    public void Finetune_script_that_does_not_copy_the_run_files_into_the_checkpoint_fails_for_config_dir_tasks()
    {
        PlannedRun run = _plan.Runs[0];
        string copy = FinetuneSlurmScript.CopyRunFilesLine(_layout.CheckpointDir(run.Name));
        string emitted = FinetuneSlurmScript.Emit(run, _layout);
        Assert.Contains(copy + "\n", emitted, StringComparison.Ordinal);
        string path = Write(emitted.Replace(copy + "\n", "", StringComparison.Ordinal));

        ValidationCheck check = FinetuneScriptValidator.CopiesRunFiles(path, run, _layout);

        Assert.False(check.Passed);
        Assert.Equal($"FAIL copies run files: expected {copy}, found no line starting with cp ", check.ToString());
        Assert.True(FinetuneScriptValidator.CopiesRunFiles(Write(emitted), run, _layout).Passed);
        Assert.False(FinetuneScriptValidator.CopiesRunFiles(path + ".missing", run, _layout).Passed);
    }

    [Fact]
    public void Finetune_script_that_runs_another_config_fails_the_config_check()
    {
        PlannedRun run = _plan.Runs[0];
        string text = FinetuneSlurmScript.Emit(run, _layout).Replace("--config finetune.yaml", "--config other.yaml", StringComparison.Ordinal);

        ValidationCheck check = Single(FinetuneScriptValidator.Validate(Write(text), run, _layout), "config");

        Assert.Equal("FAIL config: expected tune run ... --config finetune.yaml \"${RESUME[@]}\", found tune run lora_finetune_single_device --config other.yaml \"${RESUME[@]}\"", check.ToString());
    }

    private string EmitEval(EvalCell cell) => EvalSlurmScript.Emit(
        cell,
        _plan.Tasks.Single(t => t.Name == cell.TaskName),
        cell.TaskName == "capitalization" ? ScriptCases.Capitalization : ScriptCases.Reasoning,
        _layout);

    private string Write(string text, UnixFileMode mode = Mode755)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.slurm");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    private static ValidationCheck Single(IReadOnlyList<ValidationCheck> checks, string name) =>
        Assert.Single(checks, c => c.Name == name);
}
