using System.Collections.Generic;
using System.Text;

namespace ExperimentDsl.Generators.Planning;

/// <summary>A parsed run-name pattern: literal text and <c>{Member}</c> placeholders.</summary>
internal sealed class RunNamePattern
{
    private RunNamePattern(IReadOnlyList<(bool IsMember, string Text)> parts) => Parts = parts;

    /// <summary>Literal text (IsMember false) or a member name (IsMember true), in order.</summary>
    public IReadOnlyList<(bool IsMember, string Text)> Parts { get; }

    /// <summary>Parses <paramref name="pattern"/> (<see cref="RunNamePatternSyntax"/>); every placeholder must name a member.</summary>
    /// <param name="pattern">The pattern text.</param>
    /// <param name="problem">What is wrong when the result is null.</param>
    /// <returns>The parsed pattern, or null.</returns>
    public static RunNamePattern? Parse(string pattern, out string? problem)
    {
        List<(bool IsMember, string Text)>? parts = RunNamePatternSyntax.Parse(pattern, out problem);
        foreach ((bool isMember, string member) in parts ?? [])
        {
            if (isMember && !IsIdentifier(member))
            {
                problem = "'{" + member + "}' is not a member name";
                return null;
            }
        }

        return parts is null ? null : new RunNamePattern(parts);
    }

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
