using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ExperimentDsl.Runtime.Markdown;

/// <summary>A <c>label: value</c> line of a list: <c>- **Label:** value</c>, <c>- **Label**: value</c> or <c>- label: value</c>.</summary>
/// <param name="Key">The label as written, without the colon.</param>
/// <param name="Value">The value's text (see <see cref="MarkdownInlines"/>).</param>
/// <param name="Line">1-based source line.</param>
/// <param name="Item">The list item, for nested lists under the label.</param>
internal sealed record MarkdownField(string Key, string Value, int Line, ListItemBlock Item)
{
    /// <summary>The fields of every list item under <paramref name="blocks"/>, nested lists included, in document order.</summary>
    public static IEnumerable<MarkdownField> In(IEnumerable<Block> blocks)
    {
        foreach (Block block in blocks)
        {
            IEnumerable<ListItemBlock> items = block is ContainerBlock container ? container.Descendants<ListItemBlock>() : [];
            foreach (ListItemBlock item in items)
            {
                if (From(item) is MarkdownField field)
                {
                    yield return field;
                }
            }
        }
    }

    public static MarkdownField? From(ListItemBlock item)
    {
        if (item.FirstOrDefault() is not ParagraphBlock { Inline: ContainerInline inline })
        {
            return null;
        }

        List<Inline> inlines = [.. inline];
        if (inlines.Count == 0)
        {
            return null;
        }

        int line = item.Line + 1;
        if (inlines[0] is EmphasisInline { DelimiterCount: 2 } bold)
        {
            string label = MarkdownInlines.Text(bold).Trim();
            List<Inline> rest = inlines.Skip(1).ToList();
            bool colonInside = label.EndsWith(':');
            label = label.TrimEnd(':').Trim();
            if (!colonInside)
            {
                // "**Label**: value" or "**Label** value"
                if (rest.FirstOrDefault() is LiteralInline first && first.Content.ToString().TrimStart().StartsWith(':'))
                {
                    string afterColon = first.Content.ToString().TrimStart()[1..];
                    return new MarkdownField(label, Combine(afterColon, rest.Skip(1)), line, item);
                }
            }

            return new MarkdownField(label, MarkdownInlines.Text(rest), line, item);
        }

        if (inlines[0] is LiteralInline { IsFirstCharacterEscaped: false } literal)
        {
            string text = literal.Content.ToString();
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                return new MarkdownField(text[..colon].Trim(), Combine(text[(colon + 1)..], inlines.Skip(1)), line, item);
            }
        }

        return null;
    }

    // The value starts inside a literal that also held the label: re-assemble it as inlines.
    private static string Combine(string head, IEnumerable<Inline> rest) =>
        MarkdownInlines.Text(rest.Prepend(new LiteralInline(head)));
}
