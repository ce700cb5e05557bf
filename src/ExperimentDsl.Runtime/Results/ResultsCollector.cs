using System.Diagnostics;
using System.Globalization;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Results.Logs;
using ExperimentDsl.Runtime.Results.Output;
using ExperimentDsl.Runtime.Results.Plots;

namespace ExperimentDsl.Runtime.Results;

/// <summary>
/// The <c>results</c> verb's work: find the inspect logs of an experiment, read them, match them to the
/// planned cells, and write results.csv, results.json, results.md and the plots under
/// <c>{experiment_dir}/results/</c>, logging each step to <c>results/results.log</c> in the seed's format.
/// Nothing outside results/ is written; a bad log is reported and the others go on.
/// </summary>
public static class ResultsCollector
{
    /// <summary>The directory, under the experiment directory, that holds everything this writes.</summary>
    public const string DirectoryName = "results";

    /// <summary>The action log's file name under results/.</summary>
    public const string LogName = "results.log";

    /// <summary>Collects the results of <paramref name="plan"/> in <paramref name="experimentDir"/> (which must exist).</summary>
    public static CollectedResults Run(ExperimentPlan plan, string experimentDir, IClock? clock = null)
    {
        var stopwatch = Stopwatch.StartNew();
        string outputDir = Path.Combine(experimentDir, DirectoryName);
        // results/ is a real directory of the experiment (created here when missing), never a link:
        // every output below is written into it.
        GuardedFile.EnsureDirectory(outputDir, experimentDir);
        var log = new ActionLog(Path.Combine(outputDir, LogName), clock, flushEachEntry: false, within: experimentDir);
        int controlCells = plan.Evaluations.Count(c => c.IsControl);
        int evalOnlyCells = plan.Evaluations.Count(c => c.IsEvalOnly);
        string evalOnly = evalOnlyCells > 0 ? $", {evalOnlyCells} eval-only" : "";
        log.Write("COLLECT_RESULTS_START",
            string.Create(CultureInfo.InvariantCulture,
                $"Collecting results of {plan.Evaluations.Count} planned evaluations ({plan.Evaluations.Count - controlCells - evalOnlyCells} fine-tuned, {controlCells} control{evalOnly}) of {plan.Name}"),
            "Searching " + experimentDir + " for inspect-ai logs");

        var notSearched = new List<string>();
        IReadOnlyList<string> files = EvalLogFinder.Find(experimentDir, notSearched);
        log.Write("FIND_LOGS", "Searched */eval/logs/ for .eval and .json logs",
            string.Create(CultureInfo.InvariantCulture, $"{files.Count} log files found ({files.Count(f => f.EndsWith(".eval", StringComparison.Ordinal))} .eval, {files.Count(f => f.EndsWith(".json", StringComparison.Ordinal))} .json)")
                + (notSearched.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {notSearched.Count} log directories not searched") : ""),
            notSearched.Select(reason => "Not searched: " + reason));

        IReadOnlyList<LogReading> readings = LogReading.ReadAll(experimentDir, files);
        int unreadable = readings.Count(r => r.Log is null);
        log.Write("READ_LOGS", string.Create(CultureInfo.InvariantCulture, $"Reading {readings.Count} logs"),
            string.Create(CultureInfo.InvariantCulture, $"{readings.Count - unreadable} read, {unreadable} unreadable"),
            readings.Select(r => "File: " + r.File + ": " + (r.Log is { } l ? DescribeRead(l) : "unreadable: " + r.Error)));

        CollectedResults results = CollectedResults.Assemble(plan, readings);
        log.Write("MATCH_CELLS", "Matching logs to planned cells by eval.metadata (experiment, run, task, epoch); the newest successful log of a cell counts",
            string.Create(CultureInfo.InvariantCulture,
                $"{Count(results, CellStatus.Success)} of {results.Cells.Count} cells successful, {Count(results, CellStatus.Failed)} failed, {Count(results, CellStatus.NotFinished)} not finished, {Count(results, CellStatus.Missing)} missing; {results.Logs.Count(l => l.IsProblem)} logs not used"),
            [
                .. results.Logs.Select(l => "File: " + l.File + ": " + l.Outcome),
                .. results.Cells.Where(c => c.Status != CellStatus.Success)
                    .Select(c => "Cell: " + CollectedResults.Describe(c.Cell) + ": " + CellStatusText.Of(c.Status) + (c.Reason is { } reason ? " (" + reason + ")" : "")),
            ]);

        IReadOnlyList<MetricTable> tables = MetricTable.From(results);
        (string Name, string Text)[] tableFiles =
        [
            (ResultsCsv.FileName, ResultsCsv.Write(results)),
            (ResultsJson.FileName, ResultsJson.Write(results)),
            (ResultsMarkdown.FileName, ResultsMarkdown.Write(results, tables)),
        ];
        foreach ((string name, string text) in tableFiles)
        {
            AtomicFile.WriteAllText(Path.Combine(outputDir, name), text, flushToDisk: false);
        }

        log.Write("WRITE_TABLES", string.Create(CultureInfo.InvariantCulture, $"{results.Rows.Count} rows, {tables.Count} task/metric tables"),
            "3 files written", tableFiles.Select(f => "File: " + DirectoryName + "/" + f.Name));

        PlotImage[] plots = RenderPlots(plan, tables);
        foreach (PlotImage plot in plots)
        {
            AtomicFile.WriteAllBytes(Path.Combine(outputDir, plot.BaseName + ".png"), plot.Png, flushToDisk: false);
            AtomicFile.WriteAllText(Path.Combine(outputDir, plot.BaseName + ".svg"), plot.Svg, flushToDisk: false);
        }

        log.Write("WRITE_PLOTS",
            plan.VaryingAxes.Count >= 2
                ? $"Metric against epoch per run (controls as reference lines); heatmap of the latest epoch with a value over {plan.VaryingAxes[0]} x {plan.VaryingAxes[1]}; plots without any value yet are skipped"
                : "Metric against epoch per run (controls as reference lines); no heatmap (fewer than two swept axes); plots without any value yet are skipped",
            string.Create(CultureInfo.InvariantCulture, $"{plots.Length} plots written as PNG and SVG"),
            plots.Select(p => "File: " + DirectoryName + "/" + p.BaseName + ".png, .svg"));

        log.WriteComplete("COLLECT_RESULTS_COMPLETE",
            string.Create(CultureInfo.InvariantCulture, $"{Count(results, CellStatus.Success)} of {results.Cells.Count} planned evaluations have a successful log"),
            stopwatch.Elapsed);
        log.FlushToDisk();
        return results;
    }

    private static PlotImage[] RenderPlots(ExperimentPlan plan, IReadOnlyList<MetricTable> tables)
    {
        IReadOnlyList<string> stems = PlotNames.For(tables);
        var rendered = new PlotImage?[tables.Count, 2];
        Parallel.For(0, tables.Count, i =>
        {
            // Each returns null when it has nothing to draw yet (a task whose evaluations have not finished).
            rendered[i, 0] = EpochPlot.Render(plan.Name, tables[i], stems[i]);
            rendered[i, 1] = HeatmapPlot.Render(plan, tables[i], stems[i]);
        });
        return [.. rendered.Cast<PlotImage?>().OfType<PlotImage>()];
    }

    private static string DescribeRead(InspectLog log) =>
        $"read (status {log.Status.ToString().ToLowerInvariant()}, task {log.Task}, model {log.Model}, {log.Scores.Count.ToString(CultureInfo.InvariantCulture)} scores)";

    private static int Count(CollectedResults results, CellStatus status) => results.Cells.Count(c => c.Status == status);
}
