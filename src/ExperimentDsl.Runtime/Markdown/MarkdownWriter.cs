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
        var lines = new List<string> { Row(headers), Row(headers.Select(h => new string('-', Math.Max(3, h.Length))).ToList()) };
        foreach (IReadOnlyList<string> row in rows)
        {
            if (row.Count != headers.Count)
            {
                throw new ArgumentException($"A table row has {row.Count} cells for {headers.Count} columns.", nameof(rows));
            }

            // An empty cell is written as nothing between the pipes; GFM reads it back as empty.
            lines.Add(Row(row));
        }

        return Block(string.Join("\n", lines));
    }

    public MarkdownWriter CodeBlock(string info, IEnumerable<string> lines) =>
        Block("```" + info + "\n" + string.Join("\n", lines) + "\n```");

    public override string ToString() => _text.ToString();

    private static string Row(IReadOnlyList<string> cells) => "| " + string.Join(" | ", cells) + " |";

    private MarkdownWriter Block(string block)
    {
        if (_text.Length > 0)
        {
            _text.Append('\n');
        }

        _text.Append(block).Append('\n');
        return this;
    }
}
