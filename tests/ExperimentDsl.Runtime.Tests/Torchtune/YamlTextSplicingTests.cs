using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.Core;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>
/// A document whose top-level entries are reused from earlier documents' emitted text is the same,
/// byte for byte, as YamlDotNet emitting the whole document.
/// </summary>
public sealed class YamlTextSplicingTests
{
    // Entries are drawn from a pool smaller than the documents need, so documents share entries.
    private const int PoolSize = 120;

    [Fact]
    public void Generated_documents_are_emitted_alike_on_first_use_and_on_reuse()
    {
        var cache = new EmittedEntryCache(maxEntries: 10_000, maxEntryLength: 1 << 20, maxTotalLength: 1 << 26);
        var random = new Random(26);
        int[][] documents = [.. Enumerable.Range(0, 400).Select(_ => EntrySeeds(random))];

        // Three passes: an entry is seen, kept on its second sighting, reused from then on.
        for (int pass = 0; pass < 3; pass++)
        {
            foreach (int[] seeds in documents)
            {
                AssertEmittedAlike(RandomYamlMaps.Document(seeds), cache);
            }
        }

        Assert.True(cache.Count > PoolSize / 2, $"only {cache.Count} entries were kept, so few were reused");
    }

    [Fact]
    public void Documents_without_block_scalars_reuse_every_repeated_entry_and_stay_alike()
    {
        var cache = new EmittedEntryCache(maxEntries: 10_000, maxEntryLength: 1 << 20, maxTotalLength: 1 << 26);
        var random = new Random(7);
        int[][] documents = [.. Enumerable.Range(0, 200).Select(_ => EntrySeeds(random))];
        for (int pass = 0; pass < 3; pass++)
        {
            foreach (int[] seeds in documents)
            {
                AssertEmittedAlike(RandomYamlMaps.Document(seeds, blockStyles: false), cache);
            }
        }

        // Every top-level entry of every document is now kept: the whole document is reused text.
        foreach (int[] seeds in documents)
        {
            YamlMap map = RandomYamlMaps.Document(seeds, blockStyles: false);
            string spliced = string.Concat(Enumerable.Range(0, map.Count).Select(index =>
            {
                Assert.True(map.TryHashEntry(index, out int hash, out _));
                Assert.True(cache.TryGet(map, index, hash, out string text), $"entry {index} of [{string.Join(", ", seeds)}] was not kept");
                return text;
            }));
            Assert.Equal(YamlText.WriteUncached(map), spliced);
        }
    }

    [Fact]
    public void Documents_written_on_several_threads_at_once_are_emitted_alike()
    {
        var roomy = new EmittedEntryCache(maxEntries: 10_000, maxEntryLength: 1 << 20, maxTotalLength: 1 << 26);
        var tiny = new EmittedEntryCache(maxEntries: 8, maxEntryLength: 4096, maxTotalLength: 8192);
        var random = new Random(3);
        int[][] documents = [.. Enumerable.Range(0, 60).Select(_ => EntrySeeds(random))];
        string[] expected = [.. documents.Select(seeds => YamlText.WriteUncached(RandomYamlMaps.Document(seeds)))];

        Parallel.For(0, 1200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            int document = i % documents.Length;
            YamlMap map = RandomYamlMaps.Document(documents[document]);
            Assert.Equal(expected[document], YamlText.Write(map, roomy));
            Assert.Equal(expected[document], YamlText.Write(map, tiny));
            Assert.Equal(expected[document], YamlText.Write(map));
        });

        Assert.True(roomy.Count > 0);
        Assert.InRange(tiny.Count, 1, tiny.MaxEntries);
        Assert.InRange(tiny.TotalLength, 1, tiny.MaxTotalLength);
    }

    [Fact]
    public void Entries_that_differ_only_deep_inside_in_a_style_or_in_their_kind_of_list_are_not_confused()
    {
        Func<YamlMap>[] lookalikes =
        [
            () => new YamlMap().Map("a", new YamlMap().Map("b", new YamlMap().Text("c", "x"))),
            () => new YamlMap().Map("a", new YamlMap().Map("b", new YamlMap().Text("c", "y"))),
            () => new YamlMap().Map("a", new YamlMap().Map("b", new YamlMap().Text("d", "x"))),
            () => new YamlMap().Map("a", new YamlMap().Map("b", new YamlMap())),
            () => new YamlMap().Map("a", new YamlMap()),
            () => new YamlMap().Add("a", new YamlScalar("x", ScalarStyle.Plain)),
            () => new YamlMap().Add("a", new YamlScalar("x", ScalarStyle.SingleQuoted)),
            () => new YamlMap().Add("a", new YamlScalar("x", ScalarStyle.DoubleQuoted)),
            () => new YamlMap().Text("a", "1"),
            () => new YamlMap().Integer("a", 1),
            () => new YamlMap().FlowList("a", "x", "y"),
            () => new YamlMap().TextList("a", "x", "y"),
            () => new YamlMap().ScalarList("a", [YamlScalars.Text("x"), YamlScalars.Text("y")]),
            () => new YamlMap().FlowList("a", "y", "x"),
            () => new YamlMap().FlowList("a"),
            () => new YamlMap().TextList("a"),
            () => new YamlMap().MapList("a", []),
            () => new YamlMap().MapList("a", [new YamlMap().Text("x", "1"), new YamlMap().Text("y", "2")]),
            () => new YamlMap().MapList("a", [new YamlMap().Text("y", "2"), new YamlMap().Text("x", "1")]),
            () => new YamlMap().MapList("a", [new YamlMap().Text("x", "1").Text("y", "2")]),
            () => new YamlMap().Null("a"),
            () => new YamlMap().Text("a", "null"),
        ];
        var cache = new EmittedEntryCache(maxEntries: 100, maxEntryLength: 1000, maxTotalLength: 100_000);

        for (int pass = 0; pass < 3; pass++)
        {
            foreach (Func<YamlMap> make in lookalikes)
            {
                AssertEmittedAlike(make().Text("next", "z"), cache);
            }
        }

        Assert.Equal(lookalikes.Length + 1, cache.Count);
    }

    [Fact]
    public void A_map_changed_after_it_was_written_is_written_as_it_is_now()
    {
        var cache = new EmittedEntryCache(maxEntries: 100, maxEntryLength: 1000, maxTotalLength: 100_000);
        string[] modules = ["q_proj", "v_proj"];
        var nested = new YamlMap().Integer("lora_rank", 8);
        YamlMap Make() => new YamlMap().Map("model", nested).FlowList("modules", modules).Text("seed", "1");
        string before = YamlText.WriteUncached(Make());
        for (int pass = 0; pass < 3; pass++)
        {
            Assert.Equal(before, YamlText.Write(Make(), cache));
        }

        nested.Integer("lora_alpha", 16);
        modules[1] = "k_proj";

        string after = YamlText.Write(Make(), cache);
        Assert.Equal(YamlText.WriteUncached(Make()), after);
        Assert.Contains("lora_alpha: 16", after, StringComparison.Ordinal);
        Assert.Contains("[q_proj, k_proj]", after, StringComparison.Ordinal);

        // The kept entries are copies: the changes did not reach them, so the old values still find them.
        YamlMap old = new YamlMap().Map("model", new YamlMap().Integer("lora_rank", 8)).FlowList("modules", "q_proj", "v_proj").Text("seed", "1");
        for (int index = 0; index < old.Count; index++)
        {
            Assert.True(old.TryHashEntry(index, out int hash, out _));
            Assert.True(cache.TryGet(old, index, hash, out _), $"entry {index} of the old values is no longer kept");
        }

        Assert.Equal(before, YamlText.Write(old, cache));
    }

    [Fact]
    public void A_document_holding_a_literal_folded_or_unstyled_scalar_is_emitted_whole_and_nothing_of_it_is_kept()
    {
        var cache = new EmittedEntryCache(maxEntries: 100, maxEntryLength: 1000, maxTotalLength: 100_000);
        foreach (ScalarStyle style in new[] { ScalarStyle.Literal, ScalarStyle.Folded, ScalarStyle.Any })
        {
            for (int pass = 0; pass < 3; pass++)
            {
                YamlMap map = new YamlMap().Text("first", "a")
                    .Map("nested", new YamlMap().Add("text", new YamlScalar("kept\nbreaks\n\n", style)))
                    .Text("last", "b");
                AssertEmittedAlike(map, cache);
                Assert.Contains(style == ScalarStyle.Literal ? "text: |+\n" : "text: ", YamlText.WriteUncached(map), StringComparison.Ordinal);
            }
        }

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void An_empty_document_and_one_entry_documents_are_emitted_alike()
    {
        var cache = new EmittedEntryCache(maxEntries: 100, maxEntryLength: 1000, maxTotalLength: 100_000);
        for (int pass = 0; pass < 3; pass++)
        {
            AssertEmittedAlike(new YamlMap(), cache);
            AssertEmittedAlike(new YamlMap().Map("empty", new YamlMap()), cache);
            AssertEmittedAlike(new YamlMap().TextList("none"), cache);
            AssertEmittedAlike(new YamlMap().Text(new string('k', 1100), "long key"), cache);
            AssertEmittedAlike(new YamlMap().Text("multi\nline key", "v"), cache);
        }

        Assert.Equal("{}\n", YamlText.Write(new YamlMap(), cache));
    }

    internal static void AssertEmittedAlike(YamlMap map, EmittedEntryCache cache)
    {
        string whole = YamlText.WriteUncached(map);
        Assert.Equal(whole, YamlText.Write(map, cache));
        Assert.Equal(whole, YamlText.Write(map));
    }

    private static int[] EntrySeeds(Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 13)).Select(_ => random.Next(PoolSize))];
}
