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
}
