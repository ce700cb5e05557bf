using System.Collections.Generic;
using System.Text;

namespace ExperimentDsl.Generators.Planning;

/// <summary>A parsed run-name pattern: literal text and <c>{Member}</c> placeholders.</summary>
internal sealed class RunNamePattern
{
    private RunNamePattern(IReadOnlyList<(bool IsMember, string Text)> parts) => Parts = parts;

    /// <summary>Literal text (IsMember false) or a member name (IsMember true), in order.</summary>
    public IReadOnlyList<(bool IsMember, string Text)> Parts { get; }

    /// <summary>Parses <paramref name="pattern"/>; on failure returns null and says why.</summary>
    public static RunNamePattern? Parse(string pattern, out string? problem)
    {
        var parts = new List<(bool, string)>();
        var literal = new StringBuilder();
        problem = null;
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (c == '{' && i + 1 < pattern.Length && pattern[i + 1] == '{')
            {
                literal.Append('{');
                i += 2;
            }
            else if (c == '}' && i + 1 < pattern.Length && pattern[i + 1] == '}')
            {
                literal.Append('}');
                i += 2;
            }
            else if (c == '}')
            {
                problem = "'}' at position " + Position(i) + " closes no placeholder (write '}}' for a literal brace)";
                return null;
            }
            else if (c == '{')
            {
                int close = pattern.IndexOf('}', i + 1);
                if (close < 0)
                {
                    problem = "the placeholder at position " + Position(i) + " is not closed";
                    return null;
                }

                string member = pattern.Substring(i + 1, close - i - 1);
                if (!IsIdentifier(member))
                {
                    problem = "'{" + member + "}' is not a member name";
                    return null;
                }

                if (literal.Length > 0)
                {
                    parts.Add((false, literal.ToString()));
                    literal.Clear();
                }

                parts.Add((true, member));
                i = close + 1;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }

        if (literal.Length > 0)
        {
            parts.Add((false, literal.ToString()));
        }

        return new RunNamePattern(parts);
    }

    private static string Position(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
