using System.Text.RegularExpressions;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>Parses an action log back into entries, checking the seed format strictly as it goes.</summary>
internal static partial class ActionLogReader
{
    public sealed record Entry(string Timestamp, string Action, string Details, IReadOnlyList<string> Extra, string? Result, string? Duration);

    public static IReadOnlyList<Entry> Read(string path) => Parse(File.ReadAllText(path));

    public static IReadOnlyList<Entry> Parse(string text)
    {
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var entries = new List<Entry>();
        foreach (string block in text[..^2].Split("\n\n"))
        {
            string[] lines = block.Split('\n');
            Match header = Header().Match(lines[0]);
            Assert.True(header.Success, $"bad entry header: '{lines[0]}'");
            Assert.StartsWith("Details: ", lines[1], StringComparison.Ordinal);
            string last = lines[^1];
            Assert.True(last.StartsWith("Result: ", StringComparison.Ordinal) || DurationLine().IsMatch(last), $"bad last line: '{last}'");
            entries.Add(new Entry(
                header.Groups[1].Value,
                header.Groups[2].Value,
                lines[1]["Details: ".Length..],
                lines[2..^1],
                last.StartsWith("Result: ", StringComparison.Ordinal) ? last["Result: ".Length..] : null,
                last.StartsWith("Duration: ", StringComparison.Ordinal) ? last : null));
        }

        return entries;
    }

    [GeneratedRegex(@"^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\] ([A-Z_]+(?:: .+)?)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^Duration: \d+ seconds$")]
    private static partial Regex DurationLine();
}
