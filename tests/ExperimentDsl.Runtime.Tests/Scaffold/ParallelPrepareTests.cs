using ExperimentDsl.Runtime.Scaffold;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

/// <summary>
/// The streaming a large scaffold relies on: memory bounded by two batches whatever the number of
/// runs, puts in plan order, and a failure thrown where a sequential loop would have thrown it.
/// </summary>
public sealed class ParallelPrepareTests
{
    [Fact]
    public void Puts_come_in_order_and_never_more_than_two_batches_are_prepared_ahead_of_them()
    {
        const int count = 10 * ParallelPrepare.RunsPerBatch + 7;
        int prepared = 0, maxAhead = 0, batches = 0;
        var put = new List<int>();

        ParallelPrepare.Stream(
            count,
            i =>
            {
                Interlocked.Increment(ref prepared);
                // Slow items (like emitting a file): the batches keep their smallest size.
                Thread.Sleep(ParallelPrepare.BatchTime);
                return i * 2;
            },
            (i, value) =>
            {
                put.Add(value.Get() / 2);
                Assert.Equal(i, put[^1]);
                maxAhead = Math.Max(maxAhead, Volatile.Read(ref prepared) - put.Count);
            },
            () => batches++);

        Assert.Equal(Enumerable.Range(0, count), put);
        Assert.InRange(maxAhead, 0, 2 * ParallelPrepare.RunsPerBatch - 1);
        Assert.Equal(11, batches);
    }

    [Fact]
    public void Quick_batches_grow_to_the_largest_size_and_the_puts_stay_in_order()
    {
        const int count = 20_000;
        var put = new List<int>(count);
        int batches = 0;

        ParallelPrepare.Stream(count, i => i, (_, value) => put.Add(value.Get()), () => batches++);

        Assert.Equal(Enumerable.Range(0, count), put);
        // 32 + 64 + ... + 1024 = 2,016; the other 17,984 come at most 1,024 at a time, or fewer
        // when the machine was slow for a moment (at the smallest size they would be 625 batches).
        Assert.InRange(batches, 6 + (count - 2_016) / ParallelPrepare.MostPerBatch, count / ParallelPrepare.RunsPerBatch / 4);
    }

    [Theory]
    [InlineData(32, 0.5, 0, 64)]
    [InlineData(512, 1.9, 1_000_000, 1024)]
    [InlineData(1024, 0.1, 0, 1024)]
    [InlineData(64, 3, 0, 64)]
    [InlineData(64, 8.1, 0, 32)]
    [InlineData(32, 100, 0, 32)]
    [InlineData(256, 2, 0, 256)]
    [InlineData(64, 0.5, 1_100_000, 64)]
    [InlineData(128, 0.5, 5_000_000, 64)]
    [InlineData(32, 0.5, 50_000_000, 32)]
    public void A_batch_doubles_when_quick_and_small_halves_when_slow_or_large_and_stays_within_its_bounds(int size, double milliseconds, long allocated, int next) =>
        Assert.Equal(next, ParallelPrepare.NextBatchSize(size, TimeSpan.FromMilliseconds(milliseconds), allocated));

    private readonly record struct Wide(long A, long B, long C, long D, long E, long F, long G, long H, long I, long J, long K, long L);

    [Fact]
    public void A_batch_of_large_items_stays_off_the_large_object_heap_and_small_items_keep_the_largest_batches()
    {
        int most = ParallelPrepare.MostItemsOf<Wide>();
        Assert.InRange(most, ParallelPrepare.RunsPerBatch, ParallelPrepare.MostPerBatch - 1);
        var batch = new Prepared<Wide>[most];
        Assert.Equal(0, GC.GetGeneration(batch));
        Assert.Equal(ParallelPrepare.MostPerBatch, ParallelPrepare.MostItemsOf<string>());

        // Streamed, no batch of wide items grows past that, however quick its items are.
        int largest = 0;
        int inBatch = 0;
        ParallelPrepare.Stream(20_000, i => new Wide(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), (_, _) => inBatch++, () =>
        {
            largest = Math.Max(largest, inBatch);
            inBatch = 0;
        });
        Assert.Equal(most, largest);
    }

    [Fact]
    public void A_failure_is_thrown_at_its_item_after_the_items_before_it_are_put_and_their_batches_ended()
    {
        int failing = ParallelPrepare.RunsPerBatch + 3;
        var put = new List<int>();
        int batchesEnded = 0;

        var thrown = Assert.Throws<InvalidOperationException>(() => ParallelPrepare.Stream(
            5 * ParallelPrepare.RunsPerBatch,
            i => i == failing ? throw new InvalidOperationException("item " + i) : i,
            (_, value) => put.Add(value.Get()),
            () => batchesEnded++));

        Assert.Equal("item " + failing, thrown.Message);
        Assert.Equal(Enumerable.Range(0, failing), put);
        Assert.Equal(1, batchesEnded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(ParallelPrepare.MostPerBatch + 100)]
    [InlineData(3 * ParallelPrepare.MostPerBatch)]
    public void A_stream_with_a_head_start_puts_the_same_values_in_the_same_order_and_fails_at_the_same_item(int count)
    {
        int failing = count / 2;
        string Prepare(int i) => i == failing && count > 0 ? throw new InvalidOperationException("item " + i.ToString(System.Globalization.CultureInfo.InvariantCulture)) : "value " + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

        (List<string> Put, string? Failure) Consume(ParallelPrepare.HeadStart<string>? headStart)
        {
            var put = new List<string>();
            try
            {
                ParallelPrepare.Stream(count, Prepare, (i, value) => put.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + value.Get()), () => { }, headStart);
                return (put, null);
            }
            catch (InvalidOperationException e)
            {
                return (put, e.Message);
            }
        }

        (List<string> withoutHeadStart, string? failureWithout) = Consume(null);
        using ParallelPrepare.HeadStart<string> headStart = ParallelPrepare.Begin(count, Prepare, ParallelPrepare.MostPerBatch);
        (List<string> withHeadStart, string? failureWith) = Consume(headStart);

        Assert.Equal(withoutHeadStart, withHeadStart);
        Assert.Equal(failureWithout, failureWith);
        Assert.Equal(count > 0 ? failing : 0, withHeadStart.Count);
    }

    [Fact]
    public void A_head_start_no_stage_took_is_finished_when_disposed()
    {
        int prepared = 0;
        ParallelPrepare.HeadStart<int> headStart = ParallelPrepare.Begin(
            100,
            i =>
            {
                Thread.Sleep(1);
                Interlocked.Increment(ref prepared);
                return i;
            },
            size: 64);

        headStart.Dispose();

        Assert.Equal(64, Volatile.Read(ref prepared));
    }
}
