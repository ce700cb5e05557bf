using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;
using Spectre.Console;

namespace ExperimentDsl.Runtime.Tests.Results;

/// <summary>
/// Plot files are named after task, scorer and metric: distinct names never share a file (also where
/// a case-insensitive file system would fold them), names are bounded in length, and the same names
/// always give the same files.
/// </summary>
public sealed class PlotNameTests : IDisposable
{
    private static readonly ExperimentPlan Plan = TestPlans.Capitalization();
    private readonly string _dir = Directory.CreateTempSubdirectory("exd-plot-names-").FullName;
    private readonly StringWriter _out = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ResultsDir => Path.Combine(_dir, "results");

    [Fact]
    public void A_metric_name_of_a_thousand_characters_gets_a_bounded_plot_name_and_results_finish_every_time()
    {
        string longName = new('m', 1000);
        WriteEveryCell(new FixtureScore("match", [(longName, 0.5), ("accuracy", 0.7)]));

        Assert.Equal(0, Run());
        string[] first = PlotFiles();
        Assert.Equal(0, Run());

        Assert.Equal(first, PlotFiles());
        Assert.DoesNotContain("run it again", _out.ToString(), StringComparison.Ordinal);
        // Two tasks x two metrics x (by-epoch, heatmap) x (png, svg).
        Assert.Equal(16, first.Length);
        Assert.All(first, f => Assert.True(f.Length <= 160, $"{f.Length} characters: {f}"));
        Assert.Contains("capitalization_match_accuracy_by-epoch.png", first);
        Assert.Single(first, f => f.StartsWith("capitalization_match_mmmm", StringComparison.Ordinal) && f.EndsWith("_by-epoch.png", StringComparison.Ordinal));
        Assert.Contains(longName, File.ReadAllText(Path.Combine(ResultsDir, "results.csv")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a b", "a-b")]
    [InlineData("a/b", "a-b")]
    [InlineData("Accuracy", "accuracy")]
    [InlineData(".hidden", "hidden")]
    public void Two_metrics_whose_names_would_read_alike_get_two_plot_files(string one, string other)
    {
        WriteEveryCell(new FixtureScore("match", [(one, 0.25), (other, 0.75)]));

        Assert.Equal(0, Run());

        string[] epochPlots = [.. PlotFiles().Where(f => f.StartsWith("capitalization_", StringComparison.Ordinal) && f.EndsWith("_by-epoch.svg", StringComparison.Ordinal))];
        Assert.Equal(2, epochPlots.Length);
        Assert.Equal(2, epochPlots.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(epochPlots, f => Assert.False(f.StartsWith('.'), f));
        // Each file draws its own metric: the axis label names it.
        Assert.Single(epochPlots, f => File.ReadAllText(Path.Combine(ResultsDir, f)).Contains("match / " + System.Security.SecurityElement.Escape(one), StringComparison.Ordinal));
        Assert.Single(epochPlots, f => File.ReadAllText(Path.Combine(ResultsDir, f)).Contains("match / " + System.Security.SecurityElement.Escape(other), StringComparison.Ordinal));
    }

    [Fact]
    public void Underscores_that_would_move_between_scorer_and_metric_give_two_plot_files()
    {
        WriteEveryCell(new FixtureScore("x_y", [("z", 0.25)]), new FixtureScore("x", [("y_z", 0.75)]));

        Assert.Equal(0, Run());

        Assert.Equal(2, PlotFiles().Count(f => f.StartsWith("capitalization_x", StringComparison.Ordinal) && f.EndsWith("_by-epoch.png", StringComparison.Ordinal)));
    }

    private void WriteEveryCell(params FixtureScore[] scores)
    {
        foreach (EvalCell cell in Plan.Evaluations)
        {
            InspectLogWriter.WriteInto(_dir, PlanLogs.For(Plan, cell) with { Scores = scores });
        }
    }

    private string[] PlotFiles() =>
        [.. Directory.GetFiles(ResultsDir).Select(Path.GetFileName).Where(f => f!.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".svg", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!];

    private int Run() => ExperimentHost.Run(["results", "--dir", _dir], [Plan], AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(_out),
        Ansi = AnsiSupport.No,
        Interactive = InteractionSupport.No,
    }));
}
