using System.Globalization;
using ScottPlot;

namespace ExperimentDsl.Runtime.Results.Plots;

/// <summary>
/// A task's metric at the latest epoch with a value over the first two swept axes, as a heatmap (one cell per
/// pair of values, the mean over runs that differ only on further axes, e.g. seeds); blank cells have
/// no successful log (or no number) at that epoch.
/// </summary>
public static class HeatmapPlot
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 800;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 600;

    /// <summary>
    /// Renders the heatmap named after <paramref name="stem"/> (see <see cref="PlotNames"/>), or <see langword="null"/> when the plan sweeps fewer than two axes
    /// or no fine-tuned run of the task has a value yet.
    /// </summary>
    public static PlotImage? Render(ExperimentPlan plan, MetricTable table, string stem)
    {
        if (plan.VaryingAxes.Count < 2 || LatestEpochWithValue(table) is not int epochIndex)
        {
            return null;
        }

        string[] columns = [.. table.Runs.Select(r => r.AxisValues[0]).Distinct(StringComparer.Ordinal)];
        string[] rows = [.. table.Runs.Select(r => r.AxisValues[1]).Distinct(StringComparer.Ordinal)];
        var sums = new double[rows.Length, columns.Length];
        var counts = new int[rows.Length, columns.Length];
        foreach (MetricTable.RunSeries run in table.Runs)
        {
            if (run.Values[epochIndex] is double value && double.IsFinite(value))
            {
                int row = Array.IndexOf(rows, run.AxisValues[1]);
                int column = Array.IndexOf(columns, run.AxisValues[0]);
                sums[row, column] += value;
                counts[row, column]++;
            }
        }

        // Row 0 of the intensities is drawn at the top; list the first value of the y axis there.
        var intensities = new double[rows.Length, columns.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                intensities[r, c] = counts[r, c] == 0 ? double.NaN : sums[r, c] / counts[r, c];
            }
        }

        var plot = new Plot();
        int epoch = table.Epochs[epochIndex];
        plot.Title($"{plan.Name}: {table.Task}, {table.Scorer} / {table.Metric} at epoch {epoch.ToString(CultureInfo.InvariantCulture)}");
        plot.XLabel(plan.VaryingAxes[0]);
        plot.YLabel(plan.VaryingAxes[1]);
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.White;
        heatmap.Extent = new CoordinateRect(-0.5, columns.Length - 0.5, -0.5, rows.Length - 0.5);
        plot.Add.ColorBar(heatmap);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, columns.Length).Select(i => (double)i)], columns);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, rows.Length).Select(i => (double)(rows.Length - 1 - i))], rows);
        plot.Axes.SetLimits(-0.5, columns.Length - 0.5, -0.5, rows.Length - 0.5);
        return new PlotImage(stem + "_heatmap", plot.GetImageBytes(Width, Height, ImageFormat.Png), SvgIds.Renumber(plot.GetSvgXml(Width, Height)));
    }

    // While evaluations run, the last planned epoch has no value yet but earlier ones have: the map
    // shows the latest epoch that has one (its title names it) rather than an empty one.
    private static int? LatestEpochWithValue(MetricTable table)
    {
        for (int i = table.Epochs.Count - 1; i >= 0; i--)
        {
            if (table.Runs.Any(r => r.Values[i] is double v && double.IsFinite(v)))
            {
                return i;
            }
        }

        return null;
    }
}
