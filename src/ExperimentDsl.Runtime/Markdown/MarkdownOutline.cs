using ExperimentDsl.Runtime.Summary;
using Markdig;
using Markdig.Syntax;

namespace ExperimentDsl.Runtime.Markdown;

/// <summary>A parsed Markdown document cut into sections at its headings.</summary>
internal sealed class MarkdownOutline
{
    /// <summary>CommonMark plus GFM pipe tables; nothing else, so bare URLs and <c>~</c> stay text.</summary>
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder().UsePipeTables().Build();

    private MarkdownOutline(MarkdownDocument document, IReadOnlyList<MarkdownSection> sections)
    {
        Document = document;
        Sections = sections;
    }

    public MarkdownDocument Document { get; }

    // Markdig's time grows faster than quadratically with lists nested by indentation (1,000 levels
    // took 6 s, 3,000 several minutes) and its depth limit comes only at the end: indentation beyond
    // any summary's is refused before parsing.
    private const int MaxIndentColumns = 1024;

    private static void RefuseDeepIndentation(string markdown, string fileName)
    {
        int line = 1;
        int column = 0;
        bool leading = true;
        foreach (char c in markdown)
        {
            if (c == '\n')
            {
                line++;
                column = 0;
                leading = true;
            }
            else if (leading && (c == ' ' || c == '\t'))
            {
                column += c == '\t' ? 4 : 1;
                if (column > MaxIndentColumns)
                {
                    throw new SummaryFormatException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{fileName}: line {line} is indented more than {MaxIndentColumns} columns (lists nested that deep); no summary needs that."));
                }
            }
            else
            {
                leading = false;
            }
        }
    }

    /// <summary>Every heading's section, in document order.</summary>
    public IReadOnlyList<MarkdownSection> Sections { get; }

    /// <summary>Parses <paramref name="markdown"/>, the text of <paramref name="fileName"/>.</summary>
    /// <exception cref="SummaryFormatException">The text nests deeper than Markdig parses (its depth limit).</exception>
    public static MarkdownOutline Parse(string markdown, string fileName)
    {
        RefuseDeepIndentation(markdown, fileName);
        MarkdownDocument document;
        try
        {
            document = Markdig.Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException e) when (e.Message.Contains("too deeply nested", StringComparison.Ordinal))
        {
            // Markdig's guard against unbounded recursion: the input, not the tool, is at fault.
            throw new SummaryFormatException($"{fileName}: the Markdown is nested too deeply to read (quotes, lists or emphasis inside each other thousands of levels deep); no summary needs that.", e);
        }

        var blocks = document.ToList();
        var sections = new List<MarkdownSection>();
        for (int i = 0; i < blocks.Count; i++)
        {
            if (blocks[i] is not HeadingBlock heading)
            {
                continue;
            }

            int end = i + 1;
            while (end < blocks.Count && !(blocks[end] is HeadingBlock next && next.Level <= heading.Level))
            {
                end++;
            }

            sections.Add(new MarkdownSection(MarkdownInlines.Text(heading.Inline).Trim(), heading.Level, heading.Line + 1, blocks[(i + 1)..end]));
        }

        return new MarkdownOutline(document, sections);
    }

    /// <summary>The first section whose heading matches one of <paramref name="names"/> (lenient, see <see cref="SummaryKeys"/>).</summary>
    public MarkdownSection? Find(params string[] names) =>
        Sections.FirstOrDefault(s => SummaryKeys.Is(s.Heading, names));

    /// <summary>The sections nested in <paramref name="parent"/>.</summary>
    public IEnumerable<MarkdownSection> Subsections(MarkdownSection parent)
    {
        var lines = parent.Blocks.OfType<HeadingBlock>().Select(h => h.Line + 1).ToHashSet();
        return Sections.Where(s => s.Level > parent.Level && lines.Contains(s.Line));
    }

    /// <summary>The title: the first level-1 heading.</summary>
    public MarkdownSection? Title => Sections.FirstOrDefault(s => s.Level == 1);
}

/// <summary>A heading and the blocks under it, sub-sections included.</summary>
/// <param name="Heading">The heading's text.</param>
/// <param name="Level">1 for <c>#</c>, 2 for <c>##</c>, ...</param>
/// <param name="Line">1-based source line of the heading.</param>
/// <param name="Blocks">The blocks up to the next heading of the same or a higher level.</param>
internal sealed record MarkdownSection(string Heading, int Level, int Line, IReadOnlyList<Block> Blocks)
{
    public IEnumerable<MarkdownField> Fields => MarkdownField.In(Blocks);

    public IEnumerable<Markdig.Extensions.Tables.Table> Tables =>
        Blocks.SelectMany(b => b is Markdig.Extensions.Tables.Table t ? [t] : b is ContainerBlock c ? c.Descendants<Markdig.Extensions.Tables.Table>() : []);
}
