using System.Text;

namespace ExperimentDsl.Runtime.Markdown;

/// <summary>
/// A small CommonMark + GFM-table writer: blocks are separated by one blank line, lines end in
/// <c>\n</c>. Callers pass inline content already escaped (<see cref="MarkdownText"/>).
/// </summary>
internal sealed class MarkdownWriter
{
    private readonly StringBuilder _text = new();

    public MarkdownWriter Heading(int level, string inline) => Block(new string('#', level) + " " + inline);

    public MarkdownWriter Paragraph(string inline) => Block(inline);

    /// <summary>A bullet list; each item is already-formatted inline content.</summary>
    public MarkdownWriter Bullets(IEnumerable<string> items) => Block(string.Join("\n", items.Select(i => "- " + i)));

    /// <summary>A bullet of the form <c>**Label:** value</c>; an empty value leaves nothing after the label.</summary>
    public static string Field(string label, string inlineValue) =>
        "**" + MarkdownText.Escape(label) + ":**" + (inlineValue.Length == 0 ? "" : " " + inlineValue);

    public MarkdownWriter Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        // Written row by row into the document: the table of a 10,000-run plan is megabytes, and
        // joining it into one string first made two large objects, each a full collection's worth.
        StartBlock();
        AppendRow(headers);
        _text.Append('\n');
        AppendRow(headers.Select(h => new string('-', Math.Max(3, h.Length))).ToList());
        foreach (IReadOnlyList<string> row in rows)
        {
            if (row.Count != headers.Count)
            {
                throw new ArgumentException($"A table row has {row.Count} cells for {headers.Count} columns.", nameof(rows));
            }

            // An empty cell is written as nothing between the pipes; GFM reads it back as empty.
            _text.Append('\n');
            AppendRow(row);
        }

        _text.Append('\n');
        return this;
    }

    public MarkdownWriter CodeBlock(string info, IEnumerable<string> lines) =>
        Block("```" + info + "\n" + string.Join("\n", lines) + "\n```");

    public override string ToString() => _text.ToString();

    private void AppendRow(IReadOnlyList<string> cells)
    {
        _text.Append("| ");
        for (int i = 0; i < cells.Count; i++)
        {
            _text.Append(i == 0 ? "" : " | ").Append(cells[i]);
        }

        _text.Append(" |");
    }

    // Blocks are separated by one blank line.
    private void StartBlock()
    {
        if (_text.Length > 0)
        {
            _text.Append('\n');
        }
    }

    private MarkdownWriter Block(string block)
    {
        StartBlock();
        _text.Append(block).Append('\n');
        return this;
    }
}
