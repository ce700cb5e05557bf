using System.Text;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// Seeded generator of strings built from the pieces OmegaConf, YAML and shells treat specially
/// (interpolations, resolvers, escapes, the missing-value marker, quotes, line breaks, non-ASCII).
/// </summary>
internal sealed class HostileStrings(int seed)
{
    private static readonly string[] Pieces =
    [
        "${", "}", "{", "$", "\\", "\\\\", "${x}", "${oc.env:HOME}", "\\${y}", "\\\\${z}", "${oc.decode:'???'}", "???",
        "'", "\"", "\n", ": ", " #", "#", "\t", " ", ",", "[", "]", "%", "`", "~", "null", "yes", "1e-5",
        "ü", "😀", "a", "b", "-", "_", ".", "${a.b}", "${..}",
    ];

    // What a run name may hold: a safe directory name (no separators, whitespace or control characters).
    private static readonly string[] NamePieces =
        ["${", "}", "{", "$", "${x}", "${oc.env:HOME}", "???", "'", "\"", ",", "[", "]", "%", "`", "~", "ü", "a", "b", "-", "_", "${a.b}"];

    private readonly Random _random = new(seed);

    /// <summary>Any text (possibly empty).</summary>
    public string Text(int maxPieces = 6) => Build(Pieces, _random.Next(0, maxPieces + 1));

    /// <summary>Non-empty text without '/', for a path segment or file name.</summary>
    public string Segment() => Build(Pieces, _random.Next(1, 5)).Replace("/", "", StringComparison.Ordinal) is { Length: > 0 } s && s != "." && s != ".." ? s : "seg";

    /// <summary>A safe directory name that is still hostile to OmegaConf.</summary>
    public string Name() => Build(NamePieces, _random.Next(1, 5)) is var s && !s.Contains("..", StringComparison.Ordinal) ? s : "name";

    /// <summary>A template with exactly one <c>{input}</c>.</summary>
    public string Template() => Text(3).Replace("{input}", "", StringComparison.Ordinal) + "{input}" + Text(3).Replace("{input}", "", StringComparison.Ordinal);

    /// <summary>An absolute path of hostile segments.</summary>
    public string Path(int segments) => "/" + string.Join("/", Enumerable.Range(0, segments).Select(_ => Segment()));

    private string Build(string[] pieces, int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.Append(pieces[_random.Next(pieces.Length)]);
        }

        return text.ToString();
    }
}
