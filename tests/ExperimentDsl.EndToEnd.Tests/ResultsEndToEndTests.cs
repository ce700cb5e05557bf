using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// The results verb in both hosts on the scaffolded seed example: real-format inspect logs for every
/// planned cell go in, the four outputs with valid plots come out.
/// </summary>
public sealed class ResultsEndToEndTests
{
    [Fact]
    public void The_example_and_the_standalone_tool_collect_all_16_fine_tuned_cells()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        string summary = Path.Combine(dir, "experiment_summary.md");
        ExperimentPlan plan = ExperimentSummaryReader.Read(File.ReadAllText(summary), summary);
        IReadOnlyList<string> logs = PlanLogs.WriteAll(plan, dir);
        int controls = plan.Evaluations.Count(c => c.IsControl);

        ProgramRun.Result fromProject = ProgramRun.Run(Built.Capitalization, cwd.Path, "results", "--dir", dir);

        Assert.True(fromProject.ExitCode == 0, fromProject.All);
        Assert.Equal(16 + controls, logs.Count);
        ResultsOutputChecks.AssertAllOutputs(dir, fineTunedCells: 16, controlCells: controls);

        Directory.Delete(Path.Combine(dir, "results"), recursive: true);
        File.Delete(logs[^1]);
        ProgramRun.Result fromSummary = ProgramRun.Run(Built.Cli, cwd.Path, "results", "--from", summary, "--dir", dir);

        Assert.True(fromSummary.ExitCode == 1, fromSummary.All);
        Assert.Contains("missing:", fromSummary.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "results", "results.md")));
    }

    [Fact]
    public void Mid_evaluation_with_only_the_first_epoch_scored_the_example_writes_tables_and_plots_and_exits_1()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        string summary = Path.Combine(dir, "experiment_summary.md");
        ExperimentPlan plan = ExperimentSummaryReader.Read(File.ReadAllText(summary), summary);
        EvalCell[] scored = [.. plan.Evaluations.Where(c => c.Epoch is null or 0)];
        foreach (EvalCell cell in scored)
        {
            InspectLogWriter.WriteInto(dir, PlanLogs.For(plan, cell), PlanLogs.RunDirectory(plan, cell));
        }

        ProgramRun.Result result = ProgramRun.Run(Built.Capitalization, cwd.Path, "results", "--dir", dir);

        // Before, the heatmap of the unscored last epoch stopped the verb with an internal error (exit 70).
        Assert.True(result.ExitCode == 1, result.All);
        int controls = scored.Count(c => c.IsControl);
        ResultsOutputChecks.AssertAllOutputs(dir, fineTunedCells: scored.Length - controls, controlCells: controls);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "results"), "*_heatmap.svg"));
    }
}
