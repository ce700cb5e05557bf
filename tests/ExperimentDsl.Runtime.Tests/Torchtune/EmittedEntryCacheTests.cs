using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>What the cache of emitted entries keeps: repeated entries within its bounds, never a run's one-off entries.</summary>
public sealed class EmittedEntryCacheTests
{
    [Fact]
    public void The_cache_keeps_no_more_entries_or_characters_than_its_bounds()
    {
        var cache = new EmittedEntryCache(maxEntries: 5, maxEntryLength: 200, maxTotalLength: 400);
        for (int pass = 0; pass < 4; pass++)
        {
            for (int document = 0; document < 50; document++)
            {
                YamlMap map = new YamlMap()
                    .Text("name", "constant")
                    .Text("sized", new string('s', document * 7))
                    .Integer("value", document);
                YamlTextSplicingTests.AssertEmittedAlike(map, cache);
                Assert.InRange(cache.Count, 0, cache.MaxEntries);
                Assert.InRange(cache.TotalLength, 0, cache.MaxTotalLength);
            }
        }

        Assert.Equal(5, cache.Count);
    }

    [Fact]
    public void Entries_seen_once_per_run_are_never_kept_and_entries_every_run_repeats_are()
    {
        var cache = new EmittedEntryCache(maxEntries: 1000, maxEntryLength: 2048, maxTotalLength: 1 << 20);
        for (int run = 0; run < 2000; run++)
        {
            YamlMap map = new YamlMap()
                .Text("my_wandb_run_name", $"run_{run}")
                .Map("tokenizer", new YamlMap().Text("_component_", "torchtune.models.llama3.llama3_tokenizer").Null("max_seq_len"))
                .Text("output_dir", $"/scratch/out/run_{run}/")
                .Integer("batch_size", 4)
                .Map("optimizer", new YamlMap().Text("_component_", "torch.optim.AdamW").Float("lr", 1e-5 * (run + 1)))
                .Integer("seed", 42);
            YamlTextSplicingTests.AssertEmittedAlike(map, cache);
        }

        // The three repeated entries are kept. A one-off entry is kept only when its 32-bit hash
        // equals one seen before: a few thousandths of a chance for one of these 6,000.
        YamlMap last = new YamlMap()
            .Map("tokenizer", new YamlMap().Text("_component_", "torchtune.models.llama3.llama3_tokenizer").Null("max_seq_len"))
            .Integer("batch_size", 4)
            .Integer("seed", 42);
        for (int index = 0; index < last.Count; index++)
        {
            Assert.True(last.TryHashEntry(index, out int hash, out _));
            Assert.True(cache.TryGet(last, index, hash, out _), $"repeated entry {index} was not kept");
        }

        Assert.InRange(cache.Count, 3, 5);
    }

    [Fact]
    public void An_entry_longer_than_the_bound_is_emitted_every_time_and_not_kept()
    {
        var cache = new EmittedEntryCache(maxEntries: 100, maxEntryLength: 64, maxTotalLength: 10_000);
        for (int pass = 0; pass < 4; pass++)
        {
            // The second entry's values are short, but its text is not: each '\u0001' is written as "\x01".
            YamlMap map = new YamlMap()
                .Text("long", new string('l', 100))
                .TextList("escaped", [.. Enumerable.Repeat("\u0001\u0001\u0001\u0001", 5)])
                .Text("short", "kept");
            YamlTextSplicingTests.AssertEmittedAlike(map, cache);
        }

        Assert.Equal(1, cache.Count);
        Assert.Equal("short: kept\n".Length, cache.TotalLength);
    }

    [Fact]
    public void The_torchtune_and_eval_writers_reused_output_equals_their_whole_emission()
    {
        TorchtuneCase[] cases =
        [
            .. TorchtuneCases.FinetuneCases.Union(TorchtuneCases.SetupCases).Select(TorchtuneCases.Get),
            .. TorchtuneCases.ExampleRuns(),
        ];
        Func<string>[] writers =
        [
            .. cases.Select(c => (Func<string>)c.EmitFinetune),
            .. cases.Select(c => (Func<string>)c.EmitSetup),
            .. cases.Select(c => (Func<string>)(() => EvalConfigFile.Emit(new EvalPrompts("Q: {input}\nA:", c.Run.Settings.SystemPrompt, "unused.json")))),
        ];
        string[] whole = [.. writers.Select(write => YamlText.WithEntryCache(cache: null, write))];
        var cache = new EmittedEntryCache(maxEntries: 4096, maxEntryLength: 2048, maxTotalLength: 1 << 20);

        for (int pass = 0; pass < 3; pass++)
        {
            for (int i = 0; i < writers.Length; i++)
            {
                Assert.Equal(whole[i], YamlText.WithEntryCache(cache, writers[i]));
            }
        }

        // The entries the runs share (tokenizer, loss, profiler...) were kept and reused.
        Assert.True(cache.Count >= 20, $"only {cache.Count} entries were kept");
    }
}
