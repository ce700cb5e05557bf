using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ExperimentDsl;

/// <summary>
/// The run-name pattern's syntax and the default pattern, in one place for the generator (which
/// names the runs of a C# experiment) and the runtime (which reads patterns from plan files and
/// names imported runs the same way). <c>{Member}</c> is a placeholder, <c>{{</c> and <c>}}</c> are
/// literal braces. Compiled into the generator too, so it keeps to what netstandard2.0 offers.
/// </summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
static class RunNamePatternSyntax
{
    /// <summary>The pattern when nothing varies: the model's (short) name alone.</summary>
    public const string NothingVaries = "{Model}";

    /// <summary>
    /// The default pattern over the varying axes, e.g. <c>{Model}_r{LoraRank}_lr{LearningRate}</c>: each
    /// axis with its prefix (the setting's, none for the model; a custom axis's lower-case name), joined by '_'.
    /// </summary>
    /// <param name="axes">Each varying axis's member name and its prefix in names.</param>
    public static string Default(IEnumerable<(string Member, string Prefix)> axes)
    {
        string pattern = string.Join("_", axes.Select(a => a.Prefix + "{" + a.Member + "}"));
        return pattern.Length == 0 ? NothingVaries : pattern;
    }

    /// <summary>
    /// The pattern's literal parts and placeholders (the member name as written between the braces),
    /// or <see langword="null"/> with <paramref name="problem"/> saying what is malformed.
    /// </summary>
    public static List<(bool IsMember, string Text)>? Parse(string pattern, out string? problem)
    {
        var parts = new List<(bool, string)>();
        var literal = new StringBuilder();
        problem = null;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            bool doubled = i + 1 < pattern.Length && pattern[i + 1] == c;
            if ((c == '{' || c == '}') && doubled)
            {
                literal.Append(c);
                i++;
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

                if (literal.Length > 0)
                {
                    parts.Add((false, literal.ToString()));
                    literal.Clear();
                }

                parts.Add((true, pattern.Substring(i + 1, close - i - 1)));
                i = close;
            }
            else
            {
                literal.Append(c);
            }
        }

        if (literal.Length > 0)
        {
            parts.Add((false, literal.ToString()));
        }

        return parts;
    }

    private static string Position(int i) => i.ToString(CultureInfo.InvariantCulture);
}
