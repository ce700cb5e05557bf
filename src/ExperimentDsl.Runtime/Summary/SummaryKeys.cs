using System.Text;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>Lenient matching of labels and headers written by people: case, spaces, <c>_</c>, <c>.</c> and <c>:</c> do not matter.</summary>
internal static class SummaryKeys
{
    public static string Normalize(string key)
    {
        var builder = new StringBuilder(key.Length);
        foreach (char c in key)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    public static bool Is(string key, params string[] candidates)
    {
        string normalized = Normalize(key);
        return candidates.Any(c => Normalize(c) == normalized);
    }
}
