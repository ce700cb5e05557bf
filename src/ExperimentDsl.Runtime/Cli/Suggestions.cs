using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>"Did you mean ...?" for a mistyped verb or option, from the verbs and options that exist.</summary>
internal static partial class Suggestions
{
    /// <summary>The verbs, in the order <c>--help</c> lists them.</summary>
    public static readonly string[] Verbs = ["scaffold", "plan", "preflight", "submit", "status", "results", "import", "list"];

    /// <summary>A hint for a parse error's message, or null when nothing known is close.</summary>
    /// <param name="message">Spectre.Console.Cli's message, e.g. <c>Unknown command 'plna'.</c>.</param>
    /// <param name="optionTypes">The settings types whose options could have been meant.</param>
    public static string? For(string message, IEnumerable<Type> optionTypes)
    {
        Match unknown = UnknownToken().Match(message);
        if (!unknown.Success)
        {
            return null;
        }

        string typed = unknown.Groups[2].Value;
        if (unknown.Groups[1].Value == "command")
        {
            return Closest(typed, Verbs) is { } verb ? $"Did you mean '{verb}'?" : null;
        }

        IEnumerable<string> options = optionTypes
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .Where(a => a is not null)
            .SelectMany(a => a!.LongNames)
            .Distinct(StringComparer.Ordinal);
        return Closest(typed.TrimStart('-'), options) is { } option ? $"Did you mean '--{option}'?" : null;
    }

    // The nearest name within a third of its length (at least one edit), ties to the first listed.
    private static string? Closest(string typed, IEnumerable<string> names)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string name in names)
        {
            int distance = EditDistance(typed.ToLowerInvariant(), name);
            if (distance < bestDistance && distance <= Math.Max(1, name.Length / 3))
            {
                best = name;
                bestDistance = distance;
            }
        }

        return best;
    }

    // Levenshtein distance with adjacent transpositions counted as one edit ("plna" -> "plan").
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    [GeneratedRegex("^Unknown (command|option) '([^']+)'")]
    private static partial Regex UnknownToken();
}
