using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

/// <summary>
/// The validation stages without --verify: a file that is the built-in emitter's output is not read
/// back (its writer's contract tests prove it), what could differ still is, and the log says which.
/// </summary>
public sealed class ScaffoldVerifyTests
{
    private static readonly string[] RunNames =
        ["Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r8_lr5e-5", "Llama-3.2-1B_r16_lr1e-5", "Llama-3.2-1B_r16_lr5e-5"];

    private static ScaffoldReport Scaffold(TempDirectory dir, ScaffoldOptions? options = null) =>
        Scaffolder.Run(TestPlans.Capitalization(RepoPaths.CapitalizationExample), dir.Combine("exp"),
            TestPlans.Environment with { OutputRoot = dir.Combine("outputs") }, options ?? new ScaffoldOptions());

    private static ActionLogReader.Entry Last(TempDirectory dir, string log, string action) =>
        ActionLogReader.Read(dir.Combine("exp", log)).Last(e => e.Action == action);

    [Fact]
    public void Without_verify_the_emitters_configs_are_not_parsed_back_and_the_log_says_so()
    {
        using var dir = new TempDirectory();

        ScaffoldReport report = Scaffold(dir);

        Assert.Equal(0, report.ExitCode);
        ActionLogReader.Entry validate = Last(dir, ExperimentLayout.TorchtuneLogName, "VALIDATE_PARAMETERS");
        Assert.Equal("All runs validated successfully", validate.Result);
        Assert.EndsWith("; 0 parsed, 4 not parsed back because they are the built-in emitter's output for their run (--verify parses them)", validate.Details, StringComparison.Ordinal);
        Assert.Equal(RunNames.Select(r => $"PASS {r}: finetune.yaml is the built-in emitter's output for this run (not parsed back)"), validate.Extra);

        ActionLogReader.Entry scripts = Last(dir, ExperimentLayout.InspectLogName, "VALIDATE_SCRIPTS");
        Assert.Equal("Checking all scripts are executable, and that those not from the built-in emitter reference correct checkpoints", scripts.Details);
        Assert.Equal("Checked 16 scripts: exists and executable for the 16 that are the built-in emitter's output (their content not read back; --verify reads it)", scripts.Extra[0]);
        Assert.Equal("All scripts validated successfully", scripts.Result);
    }

    [Fact]
    public void Under_verify_an_unchanged_experiment_is_parsed_back_in_full()
    {
        using var dir = new TempDirectory();
        Scaffold(dir);

        Scaffold(dir, new ScaffoldOptions { Verify = true });

        ActionLogReader.Entry validate = Last(dir, ExperimentLayout.TorchtuneLogName, "VALIDATE_PARAMETERS");
        Assert.DoesNotContain("not parsed", validate.Details, StringComparison.Ordinal);
        Assert.All(validate.Extra, l => Assert.Contains(", model.lora_rank=", l, StringComparison.Ordinal));
        Assert.Equal("Checked 16 scripts: exists, executable, #!/bin/bash, MODEL_PATH of its own run and epoch; "
            + "for config_dir tasks, that finetune.slurm copies setup_finetune.yaml into the checkpoint directory (4 runs)",
            Last(dir, ExperimentLayout.InspectLogName, "VALIDATE_SCRIPTS").Extra[0]);
    }

    [Fact]
    public void A_kept_hand_edit_is_still_parsed_and_its_wrong_value_fails_without_verify()
    {
        using var dir = new TempDirectory();
        Scaffold(dir);
        string yaml = dir.Combine("exp", RunNames[1], "finetune.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("lr: 5.0e-05", "lr: 0.001", StringComparison.Ordinal));

        ScaffoldReport report = Scaffold(dir);

        Assert.Equal([RunNames[1]], report.FailedRuns);
        ActionLogReader.Entry validate = Last(dir, ExperimentLayout.TorchtuneLogName, "VALIDATE_PARAMETERS");
        Assert.Contains("; 1 parsed, 3 not parsed back", validate.Details, StringComparison.Ordinal);
        Assert.Contains(validate.Extra, l => l.StartsWith($"FAIL {RunNames[1]}: optimizer.lr", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void An_unchanged_script_whose_execute_bit_was_removed_fails_without_verify()
    {
        Skip.If(OperatingSystem.IsWindows(), "no execute bit on Windows");
        using var dir = new TempDirectory();
        Scaffold(dir);
        string script = dir.Combine("exp", RunNames[0], "eval", "capitalization_epoch0.slurm");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        ScaffoldReport report = Scaffold(dir);

        Assert.Contains(report.Failures, f => f.Contains("capitalization_epoch0.slurm", StringComparison.Ordinal) && f.Contains("executable", StringComparison.Ordinal));
        Assert.Contains(Last(dir, ExperimentLayout.InspectLogName, "VALIDATE_SCRIPTS").Extra,
            l => l.StartsWith($"FAIL {RunNames[0]}/eval/capitalization_epoch0.slurm: executable", StringComparison.Ordinal));
    }

    [Fact]
    public void The_command_line_takes_verify_and_its_help_explains_it()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        int Run(params string[] args) => Cli.ExperimentHost.Run(args, [TestPlans.Capitalization(RepoPaths.CapitalizationExample)], Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output),
            Ansi = Spectre.Console.AnsiSupport.No,
            Interactive = Spectre.Console.InteractionSupport.No,
        }));

        Assert.Equal(0, Run("scaffold", "--help"));
        Assert.Contains("--verify", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Read back and parse every file the scaffold validates", output.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, Run("scaffold", "--dir", dir.Combine("exp"), "--output-root", dir.Combine("outputs"), "--verify"));
        Assert.DoesNotContain("not parsed", Last(dir, ExperimentLayout.TorchtuneLogName, "VALIDATE_PARAMETERS").Details, StringComparison.Ordinal);
    }
}
