using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

/// <summary>A plan file's output.wandb_project is the project its runs log to (finetune.yaml's my_wandb_project).</summary>
public sealed class YamlWandbProjectTests
{
    private static ExperimentPlan Example => CruijffSchemaTests.OnDisk("example");

    private static string PlanFile(TempDirectory dir, string project)
    {
        string yaml = ExperimentSummaryYamlWriter.Write(Example, TestPlans.Layout(Example, TestPlans.Environment with { WandbProject = project }), YamlPlans.Facts);
        string file = dir.Combine("plan", "experiment_summary.yaml");
        Directory.CreateDirectory(dir.Combine("plan"));
        File.WriteAllText(file, yaml);
        return file;
    }

    private static HostRunner.Outcome ScaffoldFrom(TempDirectory dir, string file, params string[] options) =>
        HostRunner.Run([], ["scaffold", "--from", file, "--dir", dir.Combine("exp"), "--output-root", dir.Combine("out"), .. options]);

    [Fact]
    public void The_plans_project_reaches_finetune_yaml_and_the_recorded_environment()
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = ScaffoldFrom(dir, PlanFile(dir, "cruijff_kit_tests"));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        string run = Example.Runs[0].Name;
        Assert.Contains("my_wandb_project: cruijff_kit_tests\n", File.ReadAllText(dir.Combine("exp", run, "finetune.yaml")), StringComparison.Ordinal);
        Assert.Contains("my_wandb_project: cruijff_kit_tests\n", File.ReadAllText(dir.Combine("exp", run, "setup_finetune.yaml")), StringComparison.Ordinal);
        Assert.Equal("cruijff_kit_tests", RecordedEnvironment.Load(dir.Combine("exp"))!.WandbProject);
        Assert.Contains("  wandb_project: cruijff_kit_tests\n", File.ReadAllText(dir.Combine("exp", ExperimentLayout.SummaryYamlName)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_wandb_project_option_wins_over_the_plans()
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = ScaffoldFrom(dir, PlanFile(dir, "cruijff_kit_tests"), "--wandb-project", "mine");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("my_wandb_project: mine\n", File.ReadAllText(dir.Combine("exp", Example.Runs[0].Name, "finetune.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_plan_command_names_the_plan_file_as_the_projects_source()
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = HostRunner.Run([], "plan", "--from", PlanFile(dir, "cruijff_kit_tests"), "--dir", dir.Combine("exp"));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("output.wandb_project of " + dir.Combine("plan", "experiment_summary.yaml"), outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_says_the_plans_project_is_not_part_of_the_csharp_experiment()
    {
        using var dir = new TempDirectory();

        HostRunner.Outcome outcome = HostRunner.Run([], "import", PlanFile(dir, "cruijff_kit_tests"), "--output", dir.Combine("Sweep.cs"));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("W&B project 'cruijff_kit_tests' (output.wandb_project) is not part of a C# experiment", outcome.Output.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.DoesNotContain("cruijff_kit_tests", File.ReadAllText(dir.Combine("Sweep.cs")), StringComparison.Ordinal);
    }
}
