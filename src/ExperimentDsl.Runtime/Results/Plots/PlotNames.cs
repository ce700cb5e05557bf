using System.Text;

namespace ExperimentDsl.Runtime.Results.Plots;

/// <summary>File names of plots: task, scorer and metric joined by '_', with characters outside [A-Za-z0-9.-] replaced.</summary>
internal static class PlotNames
{
    public static string For(MetricTable table, string kind) =>
        Safe(table.Task) + "_" + Safe(table.Scorer) + "_" + Safe(table.Metric) + "_" + kind;

    private static string Safe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-');
        }

        return builder.ToString().Trim('.');
    }
}
