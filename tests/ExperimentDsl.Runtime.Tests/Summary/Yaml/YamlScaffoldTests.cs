using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

/// <summary>Scaffolding a plan read from a hand-written v0.3.4 experiment_summary.yaml (fine-tuned, control and eval-only runs).</summary>
public sealed class YamlScaffoldTests
{
    private const string TaskScript = """
        from inspect_ai import Task, task


        @task
        def income(config_dir: str = "", dataset_path: str = "", system_prompt: str = "", prompt_template: str = ""):
            return Task(dataset=[])


        @task
        def income_cued(config_dir: str = "", dataset_path: str = "", system_prompt: str = "", prompt_template: str = ""):
            return Task(dataset=[])
        """;

    private static string Fixture(string script) =>
        SummaryFixtures.Read("cruijff_v034_summary.yaml").Replace("/repo/blueprints/acs_income/inspect_task.py", script, StringComparison.Ordinal);

    [Fact]
    public void Scaffolds_exactly_the_runs_and_evaluations_the_matrix_names()
    {
        using var dir = new TempDirectory();
        string script = dir.Combine("inspect_task.py");
        File.WriteAllText(script, TaskScript);
        ExperimentPlan plan = ExperimentSummaryYamlReader.Read(Fixture(script), dir.Combine("experiment_summary.yaml")).Plan;

        ScaffoldReport report = Scaffolder.Run(plan, dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("outputs") }, new ScaffoldOptions());

        Assert.True(report.ExitCode == 0, string.Join("\n", report.Failures));
        var written = ScaffoldManifest.Load(dir.Combine("exp")).Files.Keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "Llama-3.2-1B-Instruct_base/eval/income_base.slurm",
            "Llama-3.2-1B-Instruct_base/eval/income_cued_base.slurm",
            "experiment_summary.md",
            "experiment_summary.yaml",
            "income_rank8_epoch1/eval/income_cued.slurm",
            "rank16/eval/income_cued_epoch2.slurm",
            "rank16/eval/income_epoch2.slurm",
            "rank16/finetune.slurm",
            "rank16/finetune.yaml",
            "rank16/setup_finetune.yaml",
            "rank4/eval/income_epoch0.slurm",
            "rank4/eval/income_epoch2.slurm",
            "rank4/finetune.slurm",
            "rank4/finetune.yaml",
            "rank4/setup_finetune.yaml",
            "scaffold-environment.json",
        ], written.Where(f => !f.EndsWith(".log", StringComparison.Ordinal)));
        // The eval-only run evaluates the checkpoint the file names.
        Assert.Contains("/scratch/ck-projects/acs_income/earlier/rank8/artifacts/epoch_1",
            File.ReadAllText(dir.Combine("exp", "income_rank8_epoch1", "eval", "income_cued.slurm")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_scaffolded_yaml_reads_back_as_the_plan_it_was_written_from()
    {
        using var dir = new TempDirectory();
        string script = dir.Combine("inspect_task.py");
        File.WriteAllText(script, TaskScript);
        string source = dir.Combine("experiment_summary.yaml");
        ExperimentPlan plan = ExperimentSummaryYamlReader.Read(Fixture(script), source).Plan;
        Scaffolder.Run(plan, dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("outputs") }, new ScaffoldOptions());

        string written = dir.Combine("exp", ExperimentLayout.SummaryYamlName);
        ExperimentPlan again = ExperimentSummaryYamlReader.Read(File.ReadAllText(written), written).Plan;

        // The file names the project the runs logged to: the environment's (the command line puts a
        // plan's own project into the environment before scaffolding).
        PlanJson.Equal(plan with { Source = written, BaseDirectory = dir.Combine("exp"), WandbProject = TestPlans.Environment.WandbProject }, again);
    }
}
