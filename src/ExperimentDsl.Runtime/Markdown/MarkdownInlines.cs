using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ExperimentDsl.Runtime.Markdown;

/// <summary>
/// The plain text of parsed inline content: what a reader of the rendered page sees, with
/// <c>&lt;br&gt;</c> as a newline. Emphasis markers and code-span backticks are dropped. Only
/// whitespace typed in the source is trimmed from the ends; whitespace written as a character
/// reference (<c>&amp;#32;</c>) is content and kept.
/// </summary>
internal static class MarkdownInlines
{
    public static string Text(IEnumerable<Inline> inlines, bool inTableCell = false)
    {
        var segments = new List<Segment>();
        foreach (Inline inline in inlines)
        {
            Collect(segments, inline, inTableCell);
        }

        return Join(segments);
    }

    public static string Text(ContainerInline? inline, bool inTableCell = false) =>
        inline is null ? "" : Text((IEnumerable<Inline>)inline, inTableCell);

    /// <summary>The text of a leaf block's inlines, or of every paragraph of a container (a table cell, a list item).</summary>
    public static string Text(Block block, bool inTableCell = false) => block switch
    {
        LeafBlock leaf => Text(leaf.Inline, inTableCell),
        ContainerBlock container => string.Join("\n", container.Select(b => Text(b, inTableCell)).Where(t => t.Length > 0)),
        _ => "",
    };

    private static string Join(List<Segment> segments)
    {
        // Typed whitespace at the ends is layout, not content.
        while (segments.Count > 0 && segments[0].Raw && segments[0].Text.TrimStart().Length == 0)
        {
            segments.RemoveAt(0);
        }

        while (segments.Count > 0 && segments[^1].Raw && segments[^1].Text.TrimEnd().Length == 0)
        {
            segments.RemoveAt(segments.Count - 1);
        }

        if (segments.Count == 0)
        {
            return "";
        }

        if (segments[0].Raw)
        {
            segments[0] = segments[0] with { Text = segments[0].Text.TrimStart() };
        }

        if (segments[^1].Raw)
        {
            segments[^1] = segments[^1] with { Text = segments[^1].Text.TrimEnd() };
        }

        var builder = new StringBuilder();
        foreach (Segment segment in segments)
        {
            builder.Append(segment.Text);
        }

        return builder.ToString();
    }

    private static void Collect(List<Segment> segments, Inline inline, bool inTableCell)
    {
        switch (inline)
        {
            case LiteralInline literal:
                // A backslash-escaped character is content even when it is a space.
                segments.Add(new Segment(literal.Content.ToString(), Raw: !literal.IsFirstCharacterEscaped));
                return;
            case CodeInline code:
                // GFM lets a table cell's code span contain an escaped pipe; Markdig keeps the backslash.
                segments.Add(new Segment(inTableCell ? code.Content.Replace("\\|", "|", StringComparison.Ordinal) : code.Content, Raw: false));
                return;
            case HtmlEntityInline entity:
                segments.Add(new Segment(entity.Transcoded.ToString(), Raw: false));
                return;
            case HtmlInline html:
                segments.Add(new Segment(IsLineBreak(html.Tag) ? "\n" : html.Tag, Raw: false));
                return;
            case LineBreakInline lineBreak:
                segments.Add(new Segment(lineBreak.IsHard ? "\n" : " ", Raw: !lineBreak.IsHard));
                return;
            case AutolinkInline autolink:
                segments.Add(new Segment(autolink.Url, Raw: false));
                return;
            case ContainerInline container:
                foreach (Inline child in container)
                {
                    Collect(segments, child, inTableCell);
                }

                return;
            default:
                return;
        }
    }

    private static bool IsLineBreak(string tag)
    {
        string compact = tag.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        return compact is "<br>" or "<br/>";
    }

    private readonly record struct Segment(string Text, bool Raw);
}
