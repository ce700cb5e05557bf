using ExperimentDsl.Runtime.Tests.Contract;
using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.Core;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>
/// Seeded generator of <see cref="YamlMap"/> entries with hostile keys and values of every shape a
/// writer can build. An entry is made from its seed alone, so the same seed gives a structurally
/// equal entry in a new map: how documents repeat entries the way a sweep's configs do.
/// </summary>
internal static class RandomYamlMaps
{
    // What HostileStrings leaves out: the emitter's own edge cases (document markers, breaks it
    // normalises, characters it must escape, keys past maxSimpleKeyLength, very long lines).
    private static readonly string[] Special =
    [
        "", " ", "  lead", "trail  ", "\n", "\n\n", "a\n", "a\n\n", "\na", "a\r\nb", "a\rb", "---", "...", "--- x", "... x",
        "-", "?", ":", "a:", "key: value", "#", "a #b", "'", "\"", "it's", "say \"hi\"", "\\", "null", "Null", "~", "true",
        "yes", "1e-5", "017", "0x1F", ".inf", "12:30", "2024-01-31", "${oc.env:HOME}", "${a}/b", "[a, b]", "{a: 1}", "*ref",
        "&a", "!tag", "|", ">", "%x", "@x", "`x`", ",", "\t", "a\tb", "\0", "\u0001", "\u007f", "\u0085", "\u2028", "\u2029",
        "\u00a0", "\ufeff", "ünïcödé 😀", "😀", new string('x', 1030), new string('y', 3000),
        string.Join(" ", Enumerable.Repeat("word", 400)), "long\n" + new string('z', 1100),
    ];

    private static readonly ScalarStyle[] AnyStyle =
        [ScalarStyle.Plain, ScalarStyle.SingleQuoted, ScalarStyle.DoubleQuoted, ScalarStyle.Literal, ScalarStyle.Folded, ScalarStyle.Any];

    /// <summary>A map of the entries made from <paramref name="entrySeeds"/>, in that order.</summary>
    public static YamlMap Document(IEnumerable<int> entrySeeds, bool blockStyles = true)
    {
        var map = new YamlMap();
        foreach (int seed in entrySeeds)
        {
            AddEntry(map, seed, blockStyles);
        }

        return map;
    }

    /// <summary>Adds the entry of <paramref name="seed"/>; with <paramref name="blockStyles"/> off, no literal, folded or 'any' scalar.</summary>
    public static void AddEntry(YamlMap map, int seed, bool blockStyles = true)
    {
        var random = new Random(seed);
        var strings = new HostileStrings(seed);
        AddValue(map, Key(random, strings), random, strings, depth: 0, blockStyles);
    }

    private static string Key(Random random, HostileStrings strings) => random.Next(10) switch
    {
        < 6 => "key_" + random.Next(40),
        < 8 => strings.Text(),
        _ => Special[random.Next(Special.Length)],
    };

    private static string Text(Random random, HostileStrings strings) =>
        random.Next(3) == 0 ? Special[random.Next(Special.Length)] : strings.Text();

    private static void AddValue(YamlMap map, string key, Random random, HostileStrings strings, int depth, bool blockStyles)
    {
        int kinds = depth < 3 ? 12 : 9;
        switch (random.Next(kinds))
        {
            case 0:
            case 1:
                map.Text(key, Text(random, strings));
                break;
            case 2:
                map.Integer(key, random.Next(int.MinValue, int.MaxValue));
                break;
            case 3:
                map.Float(key, random.Next(4) == 0 ? double.NaN : Math.Pow(10, random.Next(-12, 20)) * (random.NextDouble() - 0.5));
                break;
            case 4:
                map.Boolean(key, random.Next(2) == 0);
                break;
            case 5:
                map.Null(key);
                break;
            case 6:
                map.Add(key, new YamlScalar(Text(random, strings), blockStyles ? AnyStyle[random.Next(AnyStyle.Length)] : AnyStyle[random.Next(3)]));
                break;
            case 7:
                map.FlowList(key, [.. Enumerable.Range(0, random.Next(4)).Select(_ => Text(random, strings))]);
                break;
            case 8:
                map.TextList(key, [.. Enumerable.Range(0, random.Next(4)).Select(_ => Text(random, strings))]);
                break;
            case 9:
                map.ScalarList(key, Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(2) == 0 ? YamlScalars.Text(Text(random, strings)) : YamlScalars.Float(random.NextDouble())).ToArray());
                break;
            case 10:
                map.Map(key, Nested(random, strings, depth + 1, blockStyles));
                break;
            default:
                map.MapList(key, Enumerable.Range(0, random.Next(4)).Select(_ => Nested(random, strings, depth + 1, blockStyles)).ToArray());
                break;
        }
    }

    private static YamlMap Nested(Random random, HostileStrings strings, int depth, bool blockStyles)
    {
        var map = new YamlMap();
        int count = random.Next(4);
        for (int i = 0; i < count; i++)
        {
            AddValue(map, Key(random, strings), random, strings, depth, blockStyles);
        }

        return map;
    }
}
