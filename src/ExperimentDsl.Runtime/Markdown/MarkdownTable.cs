using ExperimentDsl.Runtime.Summary;
using Markdig.Extensions.Tables;

namespace ExperimentDsl.Runtime.Markdown;

/// <summary>A GFM table as header texts and rows of cell texts, with source lines for messages.</summary>
internal sealed class MarkdownTable
{
    private MarkdownTable(IReadOnlyList<string> headers, IReadOnlyList<MarkdownTableRow> rows)
    {
        Headers = headers;
        Rows = rows;
    }

    public IReadOnlyList<string> Headers { get; }

    public IReadOnlyList<MarkdownTableRow> Rows { get; }

    public static MarkdownTable From(Table table)
    {
        var rows = table.OfType<TableRow>().ToList();
        IReadOnlyList<string> headers = rows.Count > 0 && rows[0].IsHeader ? Cells(rows[0]) : [];
        var body = rows.Where(r => !r.IsHeader)
            .Select((r, i) => new MarkdownTableRow(i + 1, r.Line + 1, Cells(r)))
            .ToList();
        return new MarkdownTable(headers, body);
    }

    /// <summary>The index of the first column whose header matches one of <paramref name="names"/>, or -1.</summary>
    public int Column(params string[] names)
    {
        for (int i = 0; i < Headers.Count; i++)
        {
            if (SummaryKeys.Is(Headers[i], names))
            {
                return i;
            }
        }

        return -1;
    }

    private static IReadOnlyList<string> Cells(TableRow row) =>
        row.OfType<TableCell>().Select(c => MarkdownInlines.Text(c, inTableCell: true)).ToList();
}

/// <summary>One body row of a table.</summary>
/// <param name="Number">1-based row number among the body rows.</param>
/// <param name="Line">1-based source line.</param>
/// <param name="Cells">The cells' texts; a short row has fewer cells than headers.</param>
internal sealed record MarkdownTableRow(int Number, int Line, IReadOnlyList<string> Cells)
{
    public string Cell(int column) => column >= 0 && column < Cells.Count ? Cells[column] : "";
}
