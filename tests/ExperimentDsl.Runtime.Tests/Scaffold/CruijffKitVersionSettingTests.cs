using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

/// <summary>
/// <c>cruijff_kit_version</c> / <c>--cruijff-kit-version</c>: which setup_finetune.yaml dialect and
/// checkpoint layout a scaffold writes, recorded with the rest of the environment.
/// </summary>
public sealed class CruijffKitVersionSettingTests
{
    private static ExperimentPlan Example => TestPlans.Capitalization(RepoPaths.CapitalizationExample);

    private static string Run => Example.Runs[0].Name;

    private static HostRunner.Outcome Scaffold(TempDirectory dir, params string[] options) =>
        HostRunner.Run([Example], ["scaffold", "--dir", dir.Combine("exp"), "--output-root", dir.Combine("out"), .. options]);

    [Fact]
    public void The_seed_era_stays_the_default_and_is_not_written_to_the_recorded_environment()
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = Scaffold(dir);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.DoesNotContain("cruijff_kit_version", File.ReadAllText(dir.Combine("exp", RecordedEnvironment.FileName)), StringComparison.Ordinal);
        Assert.Equal(CruijffKitVersion.Seed, RecordedEnvironment.Load(dir.Combine("exp"))!.CruijffKitVersion);
        string setup = File.ReadAllText(dir.Combine("exp", Run, "setup_finetune.yaml"));
        Assert.Contains("\noutput_dir_base: ", setup, StringComparison.Ordinal);
        Assert.DoesNotContain("project_dir", setup, StringComparison.Ordinal);
        Assert.Contains($"/ck-out-{Run}/", File.ReadAllText(dir.Combine("exp", Run, "finetune.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_option_picks_v0_3_4s_dialect_and_layout_and_is_recorded()
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = Scaffold(dir, "--cruijff-kit-version", "0.3.4");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        AssertV0_3_4(dir);
    }

    [Fact]
    public void The_settings_file_picks_it_too()
    {
        using var dir = new TempDirectory();
        string settings = dir.Combine("experimentdsl.settings.yaml");
        File.WriteAllText(settings, "cruijff_kit_version: 0.3.4\n");

        HostRunner.Outcome outcome = Scaffold(dir, "--settings", settings);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        AssertV0_3_4(dir);
    }

    [Fact]
    public void A_verb_after_scaffold_refuses_a_version_that_contradicts_the_recorded_one()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Scaffold(dir, "--cruijff-kit-version", "0.3.4").ExitCode);

        HostRunner.Outcome outcome = HostRunner.Run([Example], "status", "--dir", dir.Combine("exp"), "--cruijff-kit-version", "seed");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("--cruijff-kit-version", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("0.3.4", outcome.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.4")]
    [InlineData("Seed")]
    [InlineData("")]
    public void An_unknown_version_option_exits_2_naming_the_allowed_values_before_anything_is_written(string value)
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = Scaffold(dir, "--cruijff-kit-version", value);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("--cruijff-kit-version", outcome.Output, StringComparison.Ordinal);
        Assert.Contains(CruijffKitVersions.Allowed, outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void An_unknown_version_in_the_settings_file_exits_2_naming_the_key_and_the_allowed_values()
    {
        using var dir = new TempDirectory();
        string settings = dir.Combine("experimentdsl.settings.yaml");
        File.WriteAllText(settings, "cruijff_kit_version: latest\n");

        HostRunner.Outcome outcome = Scaffold(dir, "--settings", settings);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("cruijff_kit_version", outcome.Output, StringComparison.Ordinal);
        Assert.Contains(CruijffKitVersions.Allowed, outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void A_setup_command_for_v0_3_4_is_refused_for_runs_it_cannot_build_before_anything_is_written()
    {
        using var dir = new TempDirectory();

        // The example's runs use torchtune's instruct builder, on which v0.3.4's script stops
        // (CruijffKitSetupFinetuneTests shows it on the real script).
        HostRunner.Outcome outcome = Scaffold(dir, "--cruijff-kit-version", "0.3.4", "--setup-command", "true");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains($"run {Run} uses DatasetType.Instruct (dataset_type instruct_dataset)", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("its own builders tokenize differently, so none is substituted", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("DatasetType.CruijffChatCompletion", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    private static void AssertV0_3_4(TempDirectory dir)
    {
        Assert.Contains("  \"cruijff_kit_version\": \"0.3.4\",\n", File.ReadAllText(dir.Combine("exp", RecordedEnvironment.FileName)), StringComparison.Ordinal);
        Assert.Equal(CruijffKitVersion.V0_3_4, RecordedEnvironment.Load(dir.Combine("exp"))!.CruijffKitVersion);
        string setup = File.ReadAllText(dir.Combine("exp", Run, "setup_finetune.yaml"));
        Assert.Contains($"\nproject_dir: {dir.Combine("out")}/\n", setup, StringComparison.Ordinal);
        Assert.Contains("\ndataset_type: instruct_dataset\n", setup, StringComparison.Ordinal);
        Assert.Contains("\nprompt: '{input}'\n", setup, StringComparison.Ordinal);
        Assert.DoesNotContain("output_dir_base", setup, StringComparison.Ordinal);
        string artifacts = $"{dir.Combine("out")}/cap_4L_lora_lr_sweep/{Run}/artifacts/";
        Assert.Contains("output_dir: " + artifacts + "\n", File.ReadAllText(dir.Combine("exp", Run, "finetune.yaml")), StringComparison.Ordinal);
        Assert.Contains(artifacts + "epoch_0", File.ReadAllText(dir.Combine("exp", Run, "eval", "capitalization_epoch0.slurm")), StringComparison.Ordinal);
    }
}
