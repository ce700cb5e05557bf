using System.Text.Json;
using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Results.Plots;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;
using Spectre.Console;

namespace ExperimentDsl.Runtime.Tests.Results;

/// <summary>
/// <c>results</c> is run while an experiment is still going: at every such moment it exits 0 or 1
/// (never 70), writes the three tables and the whole action log, and draws the plots it has values for
/// (valid PNG and SVG) while skipping those it has none for.
/// </summary>
public sealed class PartialExperimentTests : IDisposable
{
    private static readonly ExperimentPlan Plan = TestPlans.CapitalizationWithControl();
    private readonly string _dir = Directory.CreateTempSubdirectory("exd-results-partial-").FullName;
    private readonly StringWriter _out = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Moments of an experiment, each a set of the plan's cells with a log and how that log looks.</summary>
    public static TheoryData<string> Moments() =>
    [
        "no logs",
        "one cell",
        "one epoch of one run",
        "every first epoch, no second",
        "first epoch of one task, second still running",
        "all but one",
        "a task with no successes",
        "failed logs mixed in",
        "only the controls",
        "every metric null",
        "complete",
    ];

    [Theory]
    [MemberData(nameof(Moments))]
    public void Results_at_every_moment_exits_0_or_1_writes_the_tables_and_plots_what_it_has(string moment)
    {
        WriteLogs(moment);

        int exit = Run("results", "--dir", _dir);

        Assert.True(exit is 0 or 1, $"{moment}: exit {exit}\n{_out}");
        string results = Path.Combine(_dir, "results");
        foreach (string table in new[] { "results.csv", "results.json", "results.md" })
        {
            Assert.True(File.Exists(Path.Combine(results, table)), $"{moment}: results/{table} is missing");
        }

        IReadOnlyList<ActionLogReader.Entry> log = ActionLogReader.Read(Path.Combine(results, "results.log"));
        Assert.Equal("COLLECT_RESULTS_COMPLETE", log[^1].Action);

        // A task gets its epoch plot exactly when some cell of it has a number to draw.
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "results.json")));
        JsonElement[] rows = [.. json.RootElement.GetProperty("rows").EnumerateArray()];
        foreach (EvalTaskSpec task in Plan.Tasks)
        {
            bool hasValue = rows.Any(r => r.GetProperty("task").GetString() == task.Name && r.GetProperty("value").ValueKind == JsonValueKind.Number);
            bool plotted = File.Exists(Path.Combine(results, task.Name + "_match_accuracy_by-epoch.png"));
            Assert.True(hasValue == plotted, $"{moment}: {task.Name} has a value: {hasValue}, has a plot: {plotted}");
            bool fineTunedValue = rows.Any(r => r.GetProperty("task").GetString() == task.Name && r.GetProperty("epoch").ValueKind == JsonValueKind.Number
                && r.GetProperty("value").ValueKind == JsonValueKind.Number);
            Assert.Equal(fineTunedValue, File.Exists(Path.Combine(results, task.Name + "_match_accuracy_heatmap.png")));
        }

        foreach (string png in Directory.GetFiles(results, "*.png"))
        {
            (int width, int height) = png.EndsWith("_heatmap.png", StringComparison.Ordinal)
                ? (HeatmapPlot.Width, HeatmapPlot.Height)
                : (EpochPlot.Width, EpochPlot.Height);
            PlotFileChecks.AssertPng(png, width, height);
            PlotFileChecks.AssertSvg(Path.ChangeExtension(png, ".svg"), width, height);
        }

        // Null metrics (inspect's NaN) still make a successful, scored log: the cell counts.
        Assert.Equal(moment is "complete" or "every metric null" ? 0 : 1, exit);
    }

    [Fact]
    public void Mid_evaluation_the_heatmap_shows_the_latest_epoch_that_has_a_value()
    {
        WriteLogs("every first epoch, no second");

        Assert.Equal(1, Run("results", "--dir", _dir));

        string svg = File.ReadAllText(Path.Combine(_dir, "results", "capitalization_match_accuracy_heatmap.svg"));
        Assert.Contains("at epoch 0", svg, StringComparison.Ordinal);
    }

    private void WriteLogs(string moment)
    {
        const string firstRun = "Llama-3.2-1B_r8_lr1e-5";
        for (int index = 0; index < Plan.Evaluations.Count; index++)
        {
            EvalCell cell = Plan.Evaluations[index];
            InspectLogFixture log = PlanLogs.For(Plan, cell);
            InspectLogFixture? written = moment switch
            {
                "no logs" => null,
                "one cell" => cell == Plan.Evaluations[0] ? log : null,
                "one epoch of one run" => cell.RunName == firstRun && cell.Epoch == 0 ? log : null,
                "every first epoch, no second" => cell.Epoch is null or 0 ? log : null,
                "first epoch of one task, second still running" => cell.TaskName != "capitalization" ? null
                    : cell.Epoch == 1 ? log with { StartedOnly = true, Status = "started" } : log,
                "all but one" => cell == Plan.Evaluations[^1] ? null : log,
                "a task with no successes" => cell.TaskName == "reasoning" ? log with { Status = "error", Scores = [], ErrorMessage = "CUDA out of memory" } : log,
                "failed logs mixed in" => (index % 3) switch
                {
                    0 => log with { Status = "error", Scores = [], ErrorMessage = "killed" },
                    1 => log with { StartedOnly = true, Status = "started" },
                    _ => log,
                },
                "only the controls" => cell.IsControl ? log : null,
                "every metric null" => log with { Scores = [new FixtureScore("match", [("accuracy", null), ("stderr", null)])] },
                "complete" => log,
                _ => throw new ArgumentException("unknown moment " + moment, nameof(moment)),
            };
            if (written is not null)
            {
                InspectLogWriter.WriteInto(_dir, written, PlanLogs.RunDirectory(Plan, cell));
            }
        }
    }

    private int Run(params string[] args) => ExperimentHost.Run(args, [Plan], AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(_out),
        Ansi = AnsiSupport.No,
        Interactive = InteractionSupport.No,
    }));
}
