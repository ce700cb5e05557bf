using System.Security.Cryptography;
using System.Text;

namespace ExperimentDsl.Runtime.Results.Plots;

/// <summary>
/// The file-name stems of plots (each plot appends its kind, e.g. <c>_heatmap</c>): task, scorer and
/// metric joined by '_', as they are when every character is one of [A-Za-z0-9._-], none starts or ends
/// with '.', and the stem is at most <see cref="MaxReadableLength"/> characters. Otherwise, and whenever
/// two tables' stems would differ only in letter case (one file on macOS and Windows), the readable part
/// (other characters replaced by '-', cut to length) is followed by '~' and a hash of the three exact
/// names. '~' never appears in a readable stem, so distinct names never share a file, every name stays
/// short enough for any file system, and the same names always give the same stems.
/// </summary>
internal static class PlotNames
{
    /// <summary>The longest readable part, in characters (ASCII, so bytes).</summary>
    public const int MaxReadableLength = 100;

    private const int HashLength = 12;

    /// <summary>One stem per table, in the order of <paramref name="tables"/>.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<MetricTable> tables)
    {
        (string Readable, bool Exact)[] readable = [.. tables.Select(Readable)];
        HashSet<string> sharedIgnoringCase = [.. readable
            .GroupBy(r => r.Readable, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)];
        var stems = new string[tables.Count];
        for (int i = 0; i < tables.Count; i++)
        {
            (string text, bool exact) = readable[i];
            stems[i] = exact && !sharedIgnoringCase.Contains(text) ? text : text + "~" + Hash(tables[i]);
        }

        return stems;
    }

    private static (string Readable, bool Exact) Readable(MetricTable table)
    {
        string[] parts = [table.Task, table.Scorer, table.Metric];
        string[] safe = [.. parts.Select(Safe)];
        string joined = string.Join('_', safe);
        bool exact = joined.Length <= MaxReadableLength && parts.SequenceEqual(safe, StringComparer.Ordinal);
        return (joined.Length <= MaxReadableLength ? joined : joined[..MaxReadableLength].TrimEnd('.'), exact);
    }

    private static string Safe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        }

        // A leading '.' would hide the file; a trailing one is dropped by Windows.
        return builder.ToString().Trim('.');
    }

    // Each name prefixed by its length, so no two triples of names give the same hashed text.
    private static string Hash(MetricTable table) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Concat(new[] { table.Task, table.Scorer, table.Metric }.Select(n => n.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + n)))))[..HashLength];
}
