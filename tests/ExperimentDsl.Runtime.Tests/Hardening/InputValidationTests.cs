using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>Items 6, 9–13 of the hostile review, at the runtime: bad input is refused (exit 2, naming it) before anything is written.</summary>
public sealed class InputValidationTests
{
    private static ExperimentPlan Example => TestPlans.Capitalization(RepoPaths.CapitalizationExample);

    private static string Summary() => ExperimentSummaryWriter.Write(Example, TestPlans.Layout(Example));

    private static HostRunner.Outcome Scaffold(TempDirectory dir, ExperimentPlan plan, params string[] args) =>
        HostRunner.Run([plan], ["scaffold", .. args, "--dir", dir.Combine("exp"), "--output-root", dir.Combine("out")]);

    private static HostRunner.Outcome ScaffoldFrom(TempDirectory dir, string summary)
    {
        File.WriteAllText(dir.Combine("summary.md"), summary);
        return HostRunner.Run([], "scaffold", "--from", dir.Combine("summary.md"), "--dir", dir.Combine("exp"), "--output-root", dir.Combine("out"));
    }

    [Fact]
    public void Item6_a_summary_cut_before_the_configuration_is_refused_naming_the_section()
    {
        using var dir = new TempDirectory();
        string summary = Summary();

        HostRunner.Outcome outcome = ScaffoldFrom(dir, summary[..summary.IndexOf("## Configuration", StringComparison.Ordinal)]);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("'Configuration'", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void Item6_a_summary_without_its_evaluation_plan_is_refused_naming_the_section()
    {
        using var dir = new TempDirectory();
        string summary = Summary();
        int start = summary.IndexOf("## Evaluation Plan", StringComparison.Ordinal);
        int end = summary.IndexOf("## Configuration", StringComparison.Ordinal);

        HostRunner.Outcome outcome = ScaffoldFrom(dir, summary[..start] + summary[end..]);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("'Evaluation Plan'", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Item6_an_empty_cell_of_a_fine_tuned_run_is_refused_naming_row_and_column()
    {
        using var dir = new TempDirectory();
        string[] lines = Summary().Split('\n');
        int row = Array.FindIndex(lines, l => l.StartsWith("| Llama-3.2-1B_r16_lr1e-5 ", StringComparison.Ordinal));
        string[] cells = lines[row].Split('|');
        int rankColumn = Array.FindIndex(lines[row - 4 < 0 ? 0 : Array.FindLastIndex(lines, row, l => l.Contains("Run Name", StringComparison.Ordinal))].Split('|'), c => c.Trim() == "LoRA Rank");
        cells[rankColumn] = "  ";
        lines[row] = string.Join('|', cells);

        HostRunner.Outcome outcome = ScaffoldFrom(dir, string.Join('\n', lines));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("Llama-3.2-1B_r16_lr1e-5", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("'LoRA Rank' is empty", outcome.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- **Epochs:** 2\n", "- **Epochs:** 2000000000\n")]
    [InlineData("- **Epochs:** 0, 1 (0-indexed)\n", "- **Epochs:** all\n")]
    public void Item5_epochs_beyond_the_limit_through_from_are_refused_with_exit_2(string from, string to)
    {
        using var dir = new TempDirectory();
        string summary = Summary().Replace("- **Epochs:** 2\n", "- **Epochs:** 2000000000\n", StringComparison.Ordinal).Replace(from, to, StringComparison.Ordinal);

        HostRunner.Outcome outcome = ScaffoldFrom(dir, summary);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("Epochs", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Theory]
    [InlineData(nameof(RunSettings.LoraRank), int.MaxValue)]
    [InlineData(nameof(RunSettings.MaxSeqLen), -1)]
    [InlineData(nameof(RunSettings.WarmupSteps), -5)]
    [InlineData(nameof(RunSettings.GradientAccumulationSteps), 0)]
    [InlineData(nameof(RunSettings.LogEveryNSteps), 0)]
    [InlineData(nameof(RunSettings.WeightDecay), -1)]
    [InlineData(nameof(RunSettings.FinetuneTime), "abc")]
    [InlineData(nameof(RunSettings.EvalTime), "99:99:99")]
    public void Item9_a_setting_out_of_range_is_refused_before_anything_is_written(string setting, object value)
    {
        using var dir = new TempDirectory();
        RunSettings Set(RunSettings s) => setting switch
        {
            nameof(RunSettings.LoraRank) => s with { LoraRank = (int)value },
            nameof(RunSettings.MaxSeqLen) => s with { MaxSeqLen = (int)value },
            nameof(RunSettings.WarmupSteps) => s with { WarmupSteps = (int)value },
            nameof(RunSettings.GradientAccumulationSteps) => s with { GradientAccumulationSteps = (int)value },
            nameof(RunSettings.LogEveryNSteps) => s with { LogEveryNSteps = (int)value },
            nameof(RunSettings.WeightDecay) => s with { WeightDecay = (int)value },
            nameof(RunSettings.FinetuneTime) => s with { FinetuneTime = (string)value },
            _ => s with { EvalTime = (string)value },
        };
        ExperimentPlan plan = Example with { Runs = [.. Example.Runs.Select(r => r with { Settings = Set(r.Settings) })] };

        HostRunner.Outcome outcome = Scaffold(dir, plan);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains(setting, outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void Item9_an_experiment_without_runs_is_refused()
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = Scaffold(dir, Example with { Runs = [], Evaluations = [] });

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("no runs", outcome.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--mem", "abc")]
    [InlineData("--mem", "-1")]
    [InlineData("--mem", "0")]
    [InlineData("--mem", "4X")]
    [InlineData("--mem", "4 G")]
    [InlineData("--time", "abc")]
    [InlineData("--time", "99:99:99")]
    [InlineData("--eval-time", "1-25:00")]
    [InlineData("--cpus-per-task", "0")]
    [InlineData("--mail-user", "a b@x")]
    [InlineData("--account", "$(id)")]
    [InlineData("--partition", "gpu\nrm -rf")]
    [InlineData("--dir", "--")]
    public void Item10_a_malformed_resource_option_is_refused_naming_it_before_anything_is_written(string option, string value)
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = HostRunner.Run([Example], "scaffold", "--root", dir.Combine("root"), "--output-root", dir.Combine("out"), option, value);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains(option, outcome.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("--conda-env", "env", 0xD800)]
    [InlineData("--wandb-project", "", 0xDC00)]
    [InlineData("--account", "lab", 0xDBFF)]
    public void An_argument_that_is_not_valid_unicode_is_refused_naming_it_before_anything_is_written(string option, string prefix, int surrogate)
    {
        // Linux argv always decodes to valid text, but a Windows command line or a caller of the
        // host can pass an unpaired surrogate, which no UTF-8 file can hold. Built here, not in the
        // attribute: test discovery would replace the surrogate with U+FFFD.
        string value = prefix + (char)surrogate;
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = HostRunner.Run([Example], "scaffold", "--root", dir.Combine("root"), "--output-root", dir.Combine("out"), option, value);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("argument 7", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("not valid Unicode", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("finetune:\n  mem: 4X\n", "finetune.mem")]
    [InlineData("eval:\n  time: 99:99:99\n", "eval.time")]
    [InlineData("mail_user: \"a b@x\"\n", "mail_user")]
    [InlineData("account: $(id)\n", "account")]
    public void Item10_a_malformed_resource_in_the_settings_file_is_refused_naming_the_key(string yaml, string key)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("settings.yaml"), yaml);

        HostRunner.Outcome outcome = Scaffold(dir, Example, "--settings", dir.Combine("settings.yaml"));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains(key, outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Theory]
    [InlineData("caf\u00e9")]
    [InlineData("\u65e5\u672c")]
    [InlineData("a%b")]
    [InlineData("a$b")]
    [InlineData("a#b")]
    [InlineData("a\"b")]
    [InlineData("a\u202eb")]
    [InlineData("experiment_summary.md")]
    [InlineData("scaffold-manifest.json")]
    [InlineData("Llama-3.2-1B_base")]
    public void Item11_a_run_name_the_scaffold_cannot_write_safely_is_refused(string name)
    {
        using var dir = new TempDirectory();
        ExperimentPlan withControl = TestPlans.CapitalizationWithControl(RepoPaths.CapitalizationExample);
        PlannedRun first = withControl.Runs[0];
        ExperimentPlan plan = withControl with
        {
            Runs = [first with { Name = name }, .. withControl.Runs.Skip(1)],
            Evaluations = [.. withControl.Evaluations.Select(e => e.RunName == first.Name ? e with { RunName = name } : e)],
        };

        HostRunner.Outcome outcome = Scaffold(dir, plan);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains(name == "Llama-3.2-1B_base" ? "control directory 'Llama-3.2-1B_base'" : "run name", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void Item12_submit_dry_run_reports_a_missing_script_and_exits_1()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Scaffold(dir, Example).ExitCode);
        File.Delete(dir.Combine("exp", Example.Runs[0].Name, "finetune.slurm"));

        HostRunner.Outcome outcome = HostRunner.Run([Example], "submit", "--dry-run", "--dir", dir.Combine("exp"), "--output-root", dir.Combine("out"));

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Contains("script not found", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Item12_submit_dry_run_waits_for_the_directory_lock()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Scaffold(dir, Example).ExitCode);
        using DirectoryLock held = DirectoryLock.Acquire(dir.Combine("exp"), TimeSpan.Zero, "test");

        HostRunner.Outcome outcome = HostRunner.Run([Example], "submit", "--dry-run", "--lock-timeout", "0", "--dir", dir.Combine("exp"), "--output-root", dir.Combine("out"));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("in use by another ExperimentDsl process", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Item12_a_lock_file_that_cannot_be_created_is_reported_at_once_without_blaming_another_process()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("exp"));
        // A directory where the lock file must be: it cannot be opened, as on a read-only mount.
        Directory.CreateDirectory(dir.Combine("exp", DirectoryLock.FileName));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        IOException error = Assert.ThrowsAny<IOException>(() => DirectoryLock.Acquire(dir.Combine("exp"), TimeSpan.FromSeconds(30), "scaffold"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"waited {clock.Elapsed}");
        Assert.DoesNotContain("another ExperimentDsl process", error.Message, StringComparison.Ordinal);
        Assert.Contains("writable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Item13_a_long_file_name_still_gets_a_temporary_name_within_the_system_limit()
    {
        using var dir = new TempDirectory();
        string name = new string('t', 230) + "_epoch100000.slurm";

        AtomicFile.WriteAllText(dir.Combine(name), "x\n");

        Assert.Equal("x\n", File.ReadAllText(dir.Combine(name)));
    }

    [Fact]
    public void Item13_from_a_directory_says_it_is_a_directory()
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = HostRunner.Run([], "plan", "--from", dir.Path);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("is a directory", outcome.Output, StringComparison.Ordinal);
    }
}
