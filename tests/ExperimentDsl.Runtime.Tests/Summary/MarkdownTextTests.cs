using CsCheck;
using ExperimentDsl.Runtime.Markdown;

namespace ExperimentDsl.Runtime.Tests.Summary;

/// <summary>Any text written into a table cell or after a bullet label reads back exactly.</summary>
public sealed class MarkdownTextTests
{
    // Markdown syntax, whitespace of every kind, and a few non-ASCII letters.
    private static readonly Gen<string> Texts = Gen.String[
        Gen.OneOf(
            Gen.Char["|`*_[]<>\\&#!~-+=.:()\"' \t\r\n"],
            Gen.Char['a', 'e'],
            Gen.Char["ä✓é\u00a0\u0001"]),
        0, 30];

    [Fact]
    public void Cell_text_round_trips() =>
        Texts.Sample(text =>
        {
            string markdown = "| Name | Value |\n| --- | --- |\n| x | " + MarkdownText.Escape(text) + " |\n";
            var table = MarkdownTable.From(Markdig.Markdown.Parse(markdown, MarkdownOutline.Pipeline).OfType<Markdig.Extensions.Tables.Table>().Single());
            Assert.Equal(text, table.Rows.Single().Cell(1));
        });

    [Fact]
    public void Bullet_value_round_trips() =>
        Texts.Sample(text =>
        {
            string markdown = "- " + MarkdownWriter.Field("System prompt", MarkdownText.Escape(text)) + "\n";
            MarkdownField field = MarkdownOutline.Parse("# t\n\n" + markdown, "t.md").Sections[0].Fields.Single();
            Assert.Equal("System prompt", field.Key);
            Assert.Equal(text, field.Value);
        });

    [Fact]
    public void Code_spans_are_used_only_where_they_read_back()
    {
        Assert.Equal("`data/train.json`", MarkdownText.CodeOrText("data/train.json"));
        Assert.Equal("a\\|b", MarkdownText.CodeOrText("a|b"));
        Assert.Equal("&#32;x", MarkdownText.CodeOrText(" x"));
    }
}
