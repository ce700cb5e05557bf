using ScottPlot;

namespace ExperimentDsl.Runtime.Results.Plots;

/// <summary>
/// A task's metric against epoch: one line per fine-tuned run (its successful cells), each control as a
/// dashed and each eval-only run as a dotted horizontal reference line; runs are named by their vis label. A legend names the runs while there are few enough to read.
/// </summary>
public static class EpochPlot
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 600;

    // Beyond this many lines a legend covers the plot and names nothing one can find.
    private const int MaxLegendEntries = 16;

    /// <summary>Renders the plot of <paramref name="table"/> named after <paramref name="stem"/> (see <see cref="PlotNames"/>), or <see langword="null"/> when no cell of it has a number to draw.</summary>
    public static PlotImage? Render(string experiment, MetricTable table, string stem)
    {
        if (!table.Runs.Any(r => r.Values.Any(IsValue)) && !table.Controls.Any(c => IsValue(c.Value)) && !table.EvalOnly.Any(e => IsValue(e.Value)))
        {
            return null;
        }

        var plot = new Plot();
        plot.Title($"{experiment}: {table.Task}");
        plot.XLabel("epoch");
        plot.YLabel($"{table.Scorer} / {table.Metric}");
        bool legend = table.Runs.Count + table.Controls.Count + table.EvalOnly.Count <= MaxLegendEntries;
        foreach (MetricTable.RunSeries run in table.Runs)
        {
            double[] xs = [.. Enumerable.Range(0, table.Epochs.Count).Where(i => IsValue(run.Values[i])).Select(i => (double)table.Epochs[i])];
            double[] ys = [.. run.Values.Where(IsValue).Select(v => v!.Value)];
            if (xs.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(xs, ys);
            // A thousand runs are a band of lines: markers and thick lines would only hide each other.
            line.MarkerSize = legend ? 7 : 0;
            line.LineWidth = legend ? 2 : 1;
            if (legend)
            {
                line.LegendText = run.Label;
            }
        }

        foreach (MetricTable.ControlValue control in table.Controls)
        {
            if (control.Value is double value && double.IsFinite(value))
            {
                var reference = plot.Add.HorizontalLine(value);
                reference.LinePattern = LinePattern.Dashed;
                reference.Color = Colors.Black;
                reference.LineWidth = 1.5f;
                reference.LegendText = control.Label + " (control)";
            }
        }

        foreach (MetricTable.ControlValue evalOnly in table.EvalOnly)
        {
            if (evalOnly.Value is double value && double.IsFinite(value))
            {
                var reference = plot.Add.HorizontalLine(value);
                reference.LinePattern = LinePattern.Dotted;
                reference.LineWidth = 1.5f;
                reference.LegendText = evalOnly.Label + " (eval-only)";
            }
        }

        double[] positions = [.. table.Epochs.Select(e => (double)e)];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions, [.. table.Epochs.Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        if (positions.Length > 0)
        {
            plot.Axes.SetLimitsX(positions.Min() - 0.25, positions.Max() + 0.25);
        }

        if (legend || table.Controls.Count > 0 || table.EvalOnly.Count > 0)
        {
            plot.ShowLegend(Edge.Right);
        }

        return new PlotImage(stem + "_by-epoch", plot.GetImageBytes(Width, Height, ImageFormat.Png), SvgIds.Renumber(plot.GetSvgXml(Width, Height)));
    }

    private static bool IsValue(double? value) => value is double v && double.IsFinite(v);
}
