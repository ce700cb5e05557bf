using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Preflight;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

/// <summary>What experiment_summary.yaml states beyond the plan: the date, the dataset's splits, the scripts' scorers.</summary>
public sealed class SummaryFactsTests
{
    private static ExperimentPlan Example => CruijffSchemaTests.OnDisk("example");

    [Fact]
    public void A_scaffold_writes_the_clocks_date_the_counted_splits_and_the_scripts_scorers()
    {
        using var dir = new TempDirectory();

        ScaffoldReport report = Scaffolder.Run(Example, dir.Combine("exp"), Environment(dir), new ScaffoldOptions(), new Clock(new DateTime(2026, 3, 16, 23, 59, 0)));

        Assert.Equal(0, report.ExitCode);
        string yaml = File.ReadAllText(dir.Combine("exp", ExperimentLayout.SummaryYamlName));
        Assert.Contains("  date: '2026-03-16'\n", yaml, StringComparison.Ordinal);
        // examples/Capitalization/data/capitalization.json: 5 train, 1 validation, 2 test samples.
        Assert.Contains("    size_kb: 1\n    splits:\n      train: 5\n      validation: 1\n      test: 2\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  scorers:\n  - name: match\n  - name: includes\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rescaffold_on_a_later_day_keeps_the_first_date_and_leaves_the_file_unchanged()
    {
        using var dir = new TempDirectory();
        Scaffolder.Run(Example, dir.Combine("exp"), Environment(dir), new ScaffoldOptions(), new Clock(new DateTime(2026, 3, 16, 10, 0, 0)));
        byte[] first = File.ReadAllBytes(dir.Combine("exp", ExperimentLayout.SummaryYamlName));

        ScaffoldReport again = Scaffolder.Run(Example, dir.Combine("exp"), Environment(dir), new ScaffoldOptions(), new Clock(new DateTime(2026, 4, 1, 10, 0, 0)));

        Assert.Equal(first, File.ReadAllBytes(dir.Combine("exp", ExperimentLayout.SummaryYamlName)));
        Assert.Equal(FileStatus.Unchanged, again.Files.Single(f => f.RelativePath == ExperimentLayout.SummaryYamlName).Status);
    }

    [Theory]
    [InlineData("  date: null\n")]
    [InlineData("  date: '2026-13-45'\n")]
    [InlineData("  dates: '2025-01-02'\n")]
    public void A_recorded_date_that_is_not_a_date_gives_the_clocks(string line)
    {
        using var dir = new TempDirectory();
        ExperimentLayout layout = new(Example, dir.Combine("exp"), Environment(dir));
        Directory.CreateDirectory(dir.Combine("exp"));
        File.WriteAllText(dir.Combine("exp", ExperimentLayout.SummaryYamlName), "experiment:\n  name: x\n" + line + "tools:\n  date: '2025-01-02'\n");

        Assert.Equal("2026-04-01", SummaryFacts.Read(layout, new Clock(new DateTime(2026, 4, 1, 0, 0, 1))).Date);
    }

    [Fact]
    public void An_unreadable_dataset_is_said_in_the_file_and_in_the_log_not_written_as_null()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = Example with
        {
            Runs = [.. Example.Runs.Select(r => r with { Settings = r.Settings with { Dataset = dir.Combine("later.json") } })],
        };

        ScaffoldReport report = Scaffolder.Run(plan, dir.Combine("exp"), Environment(dir), new ScaffoldOptions(), new Clock(new DateTime(2026, 3, 16)));

        Assert.Equal(0, report.ExitCode);
        string yaml = File.ReadAllText(dir.Combine("exp", ExperimentLayout.SummaryYamlName));
        Assert.Contains($"    size_kb: null\n    splits: 'not counted at scaffold time: {dir.Combine("later.json")} does not exist'\n", yaml, StringComparison.Ordinal);
        string log = File.ReadAllText(dir.Combine("exp", ExperimentLayout.TorchtuneLogName));
        Assert.Contains($"experiment_summary.yaml: data.training.splits not counted: {dir.Combine("later.json")} does not exist", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scorer_the_scripts_do_not_name_is_reported_and_not_listed()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("tasks.py"), "@task\ndef built():\n    return Task(dataset=[], scorer=build_scorers(config))\n\n@task\ndef bare():\n    return Task(dataset=[])\n");
        ExperimentPlan plan = Example with
        {
            Evaluation = new EvaluationSettings { DoSample = false },
            Tasks = [new EvalTaskSpec("built", dir.Combine("tasks.py")), new EvalTaskSpec("bare", dir.Combine("tasks.py")), new EvalTaskSpec("gone", dir.Combine("gone.py")), new EvalTaskSpec("absent", dir.Combine("tasks.py"))],
        };
        ExperimentLayout layout = new(plan, dir.Combine("exp"), Environment(dir));

        SummaryFacts facts = SummaryFacts.Read(layout, new Clock(new DateTime(2026, 3, 16)));

        Assert.Empty(facts.Scorers);
        Assert.Equal(
        [
            $"experiment_summary.yaml: evaluation.scorers: task built: scorer=build_scorers ( config ) in {dir.Combine("tasks.py")} is not a call of a named scorer; it is not listed",
            $"experiment_summary.yaml: evaluation.scorers: task bare: its function in {dir.Combine("tasks.py")} passes no scorer= to Task; none is listed",
            $"experiment_summary.yaml: evaluation.scorers: task gone: script {dir.Combine("gone.py")} not found; its scorers are not listed",
            $"experiment_summary.yaml: evaluation.scorers: task absent: {dir.Combine("tasks.py")} defines no @task named 'absent'; its scorers are not listed",
        ], facts.Notes);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(false, null, false)]
    [InlineData(true, 0.7, false)]
    [InlineData(null, 0.7, false)]
    public void A_plan_that_leaves_do_sample_unset_is_told_how_cruijff_kit_reads_the_file(bool? doSample, double? temperature, bool noted)
    {
        ExperimentPlan plan = Example with { Evaluation = new EvaluationSettings { DoSample = doSample, Temperature = temperature } };

        SummaryFacts facts = SummaryFacts.Read(TestPlans.Layout(plan), new Clock(new DateTime(2026, 3, 16)));

        Assert.Equal(noted, facts.Notes.Any(n => n.StartsWith("experiment_summary.yaml: evaluation.do_sample: the plan leaves it to inspect's hf provider (which samples)", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_same_facts_give_the_same_bytes()
    {
        ExperimentPlan plan = Example;
        var facts = new SummaryFacts { Date = "2026-03-16", Splits = new DatasetSplitCounts(5, 1, 2, 1), Scorers = ["match"] };

        Assert.Equal(ExperimentSummaryYamlWriter.Write(plan, TestPlans.Layout(plan), facts), ExperimentSummaryYamlWriter.Write(plan, TestPlans.Layout(plan), facts with { }));
    }

    private static Settings.EnvironmentSettings Environment(TempDirectory dir) => TestPlans.Environment with { OutputRoot = dir.Combine("outputs") };

    private sealed class Clock(DateTime now) : IClock
    {
        public DateTime Now => now;
    }
}
