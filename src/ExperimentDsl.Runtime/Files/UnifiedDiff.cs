using System.Globalization;
using System.Text;

namespace ExperimentDsl.Runtime.Files;

/// <summary>A line-based unified diff (longest common subsequence), for showing what a re-scaffold would change.</summary>
public static class UnifiedDiff
{
    /// <summary>The diff of <paramref name="before"/> and <paramref name="after"/> with <paramref name="context"/> lines of context.</summary>
    public static string Create(string before, string after, string path, int context = 3)
    {
        string[] a = SplitLines(before);
        string[] b = SplitLines(after);
        List<(char Kind, string Line)> edits = Edits(a, b);

        var output = new StringBuilder();
        output.Append("--- a/").Append(path).Append('\n').Append("+++ b/").Append(path).Append('\n');
        int index = 0;
        while (index < edits.Count)
        {
            if (edits[index].Kind == ' ')
            {
                index++;
                continue;
            }

            int start = Math.Max(0, index - context);
            int end = index;
            int lastChange = index;
            while (end < edits.Count && (edits[end].Kind != ' ' || end - lastChange <= 2 * context))
            {
                if (edits[end].Kind != ' ')
                {
                    lastChange = end;
                }

                end++;
            }

            end = Math.Min(edits.Count, lastChange + context + 1);
            AppendHunk(output, edits, start, end);
            index = end;
        }

        return output.ToString();
    }

    private static void AppendHunk(StringBuilder output, List<(char Kind, string Line)> edits, int start, int end)
    {
        int oldStart = 1 + edits.Take(start).Count(e => e.Kind != '+');
        int newStart = 1 + edits.Take(start).Count(e => e.Kind != '-');
        int oldCount = edits.Skip(start).Take(end - start).Count(e => e.Kind != '+');
        int newCount = edits.Skip(start).Take(end - start).Count(e => e.Kind != '-');
        output.Append(CultureInfo.InvariantCulture, $"@@ -{oldStart},{oldCount} +{newStart},{newCount} @@\n");
        for (int i = start; i < end; i++)
        {
            output.Append(edits[i].Kind).Append(edits[i].Line).Append('\n');
        }
    }

    private static string[] SplitLines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        string[] lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private static List<(char Kind, string Line)> Edits(string[] a, string[] b)
    {
        // Scaffold files are small (tens of lines), so the quadratic table is cheap and simple.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = string.Equals(a[i], b[j], StringComparison.Ordinal)
                    ? lcs[i + 1, j + 1] + 1
                    : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (string.Equals(a[x], b[y], StringComparison.Ordinal))
            {
                edits.Add((' ', a[x]));
                x++;
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                edits.Add(('-', a[x++]));
            }
            else
            {
                edits.Add(('+', b[y++]));
            }
        }

        while (x < a.Length)
        {
            edits.Add(('-', a[x++]));
        }

        while (y < b.Length)
        {
            edits.Add(('+', b[y++]));
        }

        return edits;
    }
}
