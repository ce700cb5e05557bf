using System.Text;

namespace ExperimentDsl.Runtime.Markdown;

/// <summary>
/// Writes arbitrary text as CommonMark inline content that Markdig reads back to the same string
/// (see <see cref="MarkdownInlines"/>): markup characters are backslash-escaped, newlines become
/// <c>&lt;br&gt;</c>, and whitespace the parser would strip (at the ends) and control characters
/// become numeric character references. NUL cannot survive: CommonMark turns it into U+FFFD.
/// </summary>
internal static class MarkdownText
{
    public const string LineBreak = "<br>";

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool atEdge = i == 0 || i == text.Length - 1;
            switch (c)
            {
                case '\n': builder.Append(LineBreak); break;
                case var _ when char.IsControl(c) || atEdge && char.IsWhiteSpace(c):
                    // Parsers drop or fold these; a character reference is content.
                    builder.Append("&#").Append(((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(';');
                    break;
                case '_' when !IntraWord(text, i):
                case '\\' or '`' or '*' or '[' or ']' or '<' or '>' or '|' or '&' or '~' or '#' or '!':
                    builder.Append('\\').Append(c);
                    break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A code span when the text can be one safely (also inside a table cell), otherwise escaped text.</summary>
    public static string CodeOrText(string text)
    {
        bool plain = text.Length > 0
            && text.Trim() == text
            && !text.Any(c => c is '`' or '|' or '\n' or '\r' or '\t' || char.IsControl(c));
        return plain ? "`" + text + "`" : Escape(text);
    }

    // An underscore between two ASCII letters or digits can neither open nor close emphasis.
    private static bool IntraWord(string text, int i) =>
        i > 0 && i < text.Length - 1 && char.IsAsciiLetterOrDigit(text[i - 1]) && char.IsAsciiLetterOrDigit(text[i + 1]);
}
