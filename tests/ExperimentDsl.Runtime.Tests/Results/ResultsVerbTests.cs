using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;
using Spectre.Console;

namespace ExperimentDsl.Runtime.Tests.Results;

public sealed class ResultsVerbTests : IDisposable
{
    private static readonly ExperimentPlan Plan = TestPlans.Capitalization();
    private readonly string _dir = Directory.CreateTempSubdirectory("exd-results-verb-").FullName;
    private readonly StringWriter _out = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private int Run(params string[] args) => ExperimentHost.Run(args, [Plan], AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(_out),
        Ansi = AnsiSupport.No,
        Interactive = InteractionSupport.No,
    }));

    [Fact]
    public void Exits_0_when_every_planned_cell_has_a_successful_log()
    {
        PlanLogs.WriteAll(Plan, _dir);

        Assert.Equal(0, Run("results", "--dir", _dir));
        Assert.Contains("16 of 16 planned evaluations have a successful log", _out.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "results", "results.md")));
    }

    [Fact]
    public void Exits_1_and_lists_the_cells_when_some_are_missing_or_failed()
    {
        IReadOnlyList<string> logs = PlanLogs.WriteAll(Plan, _dir);
        File.Delete(logs[0]);

        Assert.Equal(1, Run("results", "--dir", _dir));
        Assert.Contains("missing: Llama-3.2-1B_r8_lr1e-5 capitalization epoch 0", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Exits_2_without_writing_when_the_experiment_directory_does_not_exist()
    {
        string missing = Path.Combine(_dir, "nowhere");

        Assert.Equal(2, Run("results", "--dir", missing));
        Assert.Contains("does not exist", _out.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void Status_lines_show_each_runs_collected_metric_once_a_log_exists()
    {
        Assert.Empty(Runtime.Results.CollectedMetricLines.For(Plan, _dir));
        InspectLogWriter.WriteInto(_dir, new InspectLogFixture
        {
            Experiment = Plan.Name,
            Run = "Llama-3.2-1B_r8_lr1e-5",
            Task = "capitalization",
            Epoch = 1,
            Scores = [InspectLogFixture.Accuracy(0.8125)],
        });

        Assert.Equal(
            ["Llama-3.2-1B_r8_lr1e-5: capitalization@1 accuracy=0.8125"],
            Runtime.Results.CollectedMetricLines.For(Plan, _dir));
    }
}
