using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>Item 5 of the hostile review: inputs that crashed a verb with a .NET stack trace now end in exit 1 or 2 with one message.</summary>
public sealed class CrashTests
{
    private static ExperimentPlan Example => TestPlans.Capitalization(RepoPaths.CapitalizationExample);

    private static HostRunner.Outcome Run(ExperimentPlan plan, TempDirectory dir, params string[] args) =>
        HostRunner.Run([plan], [.. args, "--dir", dir.Combine("exp"), "--output-root", dir.Combine("out")]);

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"files\": null}")]
    [InlineData("{\"tool_version\": \"1\", \"plan_hash\": \"x\", \"files\": {\"a\": null}}")]
    [InlineData("[]")]
    public void A_damaged_manifest_is_refused_with_exit_2_by_scaffold_and_plan(string manifest)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Run(Example, dir, "scaffold").ExitCode);
        File.WriteAllText(dir.Combine("exp", ScaffoldManifest.FileName), manifest);

        foreach (string verb in new[] { "scaffold", "plan" })
        {
            HostRunner.Outcome outcome = Run(Example, dir, verb);
            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Contains(ScaffoldManifest.FileName, outcome.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", outcome.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{\"jobs\": null}")]
    [InlineData("{\"jobs\": {\"a/finetune.slurm\": null}}")]
    [InlineData("null")]
    public void A_damaged_slurm_state_is_refused_with_exit_2_by_status_and_submit(string state)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Run(Example, dir, "scaffold").ExitCode);
        File.WriteAllText(dir.Combine("exp", SlurmStateFile.FileName), state);

        foreach (string verb in new[] { "status", "submit" })
        {
            HostRunner.Outcome outcome = Run(Example, dir, verb, "--dry-run".Where(_ => verb == "submit").Any() ? "--dry-run" : "--json");
            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Contains(SlurmStateFile.FileName, outcome.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_empty_dir_option_is_refused_naming_the_option()
    {
        HostRunner.Outcome outcome = HostRunner.Run([Example], "scaffold", "--dir", "");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--dir", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_number_for_cpus_per_task_names_the_option_and_the_expected_form()
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = Run(Example, dir, "scaffold", "--cpus-per-task", "abc");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--cpus-per-task", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Theory]
    [InlineData("data/x.csv")]
    [InlineData("data/a\0b.json")]
    public void A_dataset_the_scaffold_cannot_use_is_refused_before_anything_is_written(string dataset)
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = Example with { Runs = [.. Example.Runs.Select(r => r with { Settings = r.Settings with { Dataset = dataset } })] };

        HostRunner.Outcome outcome = Run(plan, dir, "scaffold");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("Dataset", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void An_unpaired_surrogate_in_a_prompt_is_refused_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = Example with { Runs = [.. Example.Runs.Select(r => r with { Settings = r.Settings with { SystemPrompt = "bad \ud800 prompt" } })] };

        HostRunner.Outcome outcome = Run(plan, dir, "scaffold");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("SystemPrompt", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void Epochs_beyond_the_limit_are_refused_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = Example with { Runs = [.. Example.Runs.Select(r => r with { Settings = r.Settings with { Epochs = 2_000_000_000 } })] };

        HostRunner.Outcome outcome = Run(plan, dir, "scaffold");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("Epochs", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }
}
