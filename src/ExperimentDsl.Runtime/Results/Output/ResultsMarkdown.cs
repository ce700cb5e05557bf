using System.Globalization;
using ExperimentDsl.Runtime.Results.Logs;
using ExperimentDsl.Runtime.Markdown;

namespace ExperimentDsl.Runtime.Results.Output;

/// <summary>
/// results.md: a table per task and metric (runs x epochs, best cell marked, controls as the baseline,
/// eval-only runs beside them; each run shown under its vis label when it has one),
/// then the cells without a successful log (failed, not finished, not yet run), re-runs, and logs that
/// could not be used.
/// </summary>
public static class ResultsMarkdown
{
    /// <summary>The file's name under results/.</summary>
    public const string FileName = "results.md";

    /// <summary>The Markdown text.</summary>
    public static string Write(CollectedResults results, IReadOnlyList<MetricTable> tables)
    {
        ExperimentPlan plan = results.Plan;
        var md = new MarkdownWriter();
        md.Heading(1, "Results: " + MarkdownText.Escape(plan.Name));
        int success = results.Cells.Count(c => c.Status == CellStatus.Success);
        md.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"{success} of {results.Cells.Count} planned evaluations have a successful log; {Count(results, CellStatus.Failed)} failed, {Count(results, CellStatus.NotFinished)} not finished, {Count(results, CellStatus.Missing)} not yet run. {results.Logs.Count} log files read, {results.Logs.Count(l => l.IsProblem)} could not be used."));
        md.Paragraph("Values are the metric ± its standard error where the scorer reports one. **best** marks the highest value of a fine-tuned run (higher is better); controls (base model) are the baseline."
            + (plan.EvalOnlyRuns.Count > 0 ? " Eval-only runs (checkpoints trained elsewhere) have one value, shown in every epoch column." : ""));

        foreach (MetricTable table in tables)
        {
            md.Heading(2, MarkdownText.Escape($"{table.Task}: {table.Scorer} / {table.Metric}"));
            // A task only controls or eval-only runs are evaluated on has no epochs: one value column then.
            string[] valueHeaders = table.Epochs.Count == 0 ? ["value"] : [.. table.Epochs.Select(e => "epoch " + e.ToString(CultureInfo.InvariantCulture))];
            string[] headers = ["Run", .. plan.VaryingAxes.Select(MarkdownText.Escape), .. valueHeaders, "vs baseline"];
            double? baseline = table.Controls.Select(c => c.Value).FirstOrDefault(v => v is not null);
            var rows = new List<IReadOnlyList<string>>();
            foreach (MetricTable.ControlValue control in table.Controls)
            {
                rows.Add([
                    MarkdownText.Escape(control.Label) + " (control)", .. plan.VaryingAxes.Select(_ => ""),
                    .. valueHeaders.Select(_ => Cell(control.Value, control.Stderr)), "baseline",
                ]);
            }

            foreach (MetricTable.ControlValue evalOnly in table.EvalOnly)
            {
                rows.Add([
                    MarkdownText.Escape(evalOnly.Label) + " (eval-only)", .. plan.VaryingAxes.Select(_ => ""),
                    .. valueHeaders.Select(_ => Cell(evalOnly.Value, evalOnly.Stderr)),
                    baseline is double b0 && evalOnly.Value is double v0 ? Signed(v0 - b0) : "",
                ]);
            }

            foreach (MetricTable.RunSeries run in table.Runs)
            {
                bool isBest = table.Best is { } best && best.Run == run.Run;
                var cells = new List<string>();
                for (int i = 0; i < table.Epochs.Count; i++)
                {
                    string text = Cell(run.Values[i], run.Stderrs[i]);
                    cells.Add(isBest && table.Best!.Value.Epoch == table.Epochs[i] ? "**" + text + "**" : text);
                }

                double? last = run.Values.LastOrDefault(v => v is not null);
                string versus = baseline is double b && last is double l ? Signed(l - b) : "";
                rows.Add([MarkdownText.Escape(run.Label) + (isBest ? " **best**" : ""), .. run.AxisValues.Select(MarkdownText.Escape), .. cells, versus]);
            }

            md.Table(headers, rows);
        }

        CellResult[] unsuccessful = [.. results.Cells.Where(c => c.Status != CellStatus.Success)];
        md.Heading(2, "Without a successful log");
        md.Paragraph(unsuccessful.Length == 0 ? "None: every planned evaluation has a successful log." : "These cells are shown as failed, not-finished or missing in the tables above.");
        if (unsuccessful.Length > 0)
        {
            md.Bullets(unsuccessful.Select(c => MarkdownText.Escape(CollectedResults.Describe(c.Cell)) + ": " + Describe(c)));
        }

        CellResult[] rerun = [.. results.Cells.Where(c => c.Others.Count > 0)];
        if (rerun.Length > 0)
        {
            md.Heading(2, "Re-runs");
            md.Paragraph("Cells with more than one log; the newest successful log counts.");
            md.Bullets(rerun.Select(c =>
                MarkdownText.Escape(CollectedResults.Describe(c.Cell)) + ": counted " + Code(c.Counted!.File) + "; also "
                + string.Join(", ", c.Others.Select(o => Code(o.File) + " (" + o.Status.ToString().ToLowerInvariant() + ")"))));
        }

        LogOutcome[] problems = [.. results.Logs.Where(l => l.IsProblem)];
        if (problems.Length > 0)
        {
            md.Heading(2, "Logs that could not be used");
            md.Bullets(problems.Select(p => Code(p.File) + ": " + MarkdownText.Escape(p.Outcome)));
        }

        return md.ToString();
    }

    private static int Count(CollectedResults results, CellStatus status) => results.Cells.Count(c => c.Status == status);

    private static string Describe(CellResult cell) => cell.Status switch
    {
        CellStatus.Missing => "not yet run (no log)",
        CellStatus.NotFinished => "not finished (" + Code(cell.Counted!.File) + ")",
        _ => "failed: " + MarkdownText.Escape(cell.Reason ?? "") + " (" + Code(cell.Counted!.File) + ")",
    };

    private static string Cell(double? value, double? stderr) => value is double v
        ? ResultNumbers.Readable(v) + (stderr is double s ? " ± " + ResultNumbers.Readable(s) : "")
        : "–";

    private static string Signed(double difference) => (difference >= 0 ? "+" : "") + ResultNumbers.Readable(difference);

    private static string Code(string text) => MarkdownText.CodeOrText(text);
}
