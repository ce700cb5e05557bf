using System.Runtime.ExceptionServices;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// Computes the pure part of a stage (emitting a file's content, reading and classifying what is on
/// disk) for every item on all cores before the stage puts the files one by one in plan order.
/// A failure is kept with its item and thrown when the stage reaches that item, so the files put
/// before it, the log and the exception are exactly what a sequential loop would have produced.
/// </summary>
internal static class ParallelPrepare
{
    // Enough work to keep both cores busy between the sequential puts, yet so little that a batch's
    // contents are mostly dead by the next gen-0 collection: batches of 512 were promoted and raised
    // the 10,000-run re-scaffold's peak memory from 200 MB to 330 MB. The first batch has this size.
    internal const int RunsPerBatch = 32;

    // Batches whose items are cheap (files taken as unchanged by their stamps: a stat each) grow up
    // to this size: handing 32 such items to the other core cost more than the items themselves (an
    // unchanged 10,000-run re-scaffold spent a tenth of its CPU passing batches between threads).
    internal const int MostPerBatch = 1024;

    // What a batch's preparation aims at: batches quicker than half of the time and allocating less
    // than the memory double, those slower than twice the time or allocating over four times the
    // memory halve. A batch that emits files stays small: the 40,000 eval scripts are quick to emit
    // but hold their texts, and at 1,024 a batch they raised the peak memory by 20 MB.
    internal static readonly TimeSpan BatchTime = TimeSpan.FromMilliseconds(4);

    internal const long BatchBytes = 1024 * 1024;

    /// <summary>
    /// Streams every index from 0 to <paramref name="count"/> - 1 through <paramref name="prepare"/>
    /// (on all cores) and then <paramref name="put"/> (in index order), a batch at a time, calling
    /// <paramref name="endOfBatch"/> after each batch's puts. The next batch is prepared while the
    /// current one is put, so at most two batches' prepared values are alive at once: a 10,000-run
    /// scaffold holds no more file contents than a 100-run one. Batches start at
    /// <see cref="RunsPerBatch"/> and grow only while their preparation is quick (see
    /// <see cref="NextBatchSize"/>). A failure is thrown by <see cref="Prepared{T}.Get"/> where
    /// <paramref name="put"/> reaches it, after the puts of the indexes before it, as in a sequential
    /// loop. <paramref name="prepare"/> must not depend on what <paramref name="put"/> and
    /// <paramref name="endOfBatch"/> do (it may run at the same time).
    /// </summary>
    /// <param name="count">How many items.</param>
    /// <param name="prepare">The pure part of an item.</param>
    /// <param name="put">The sequential part of an item, in index order.</param>
    /// <param name="endOfBatch">Called after each batch's puts.</param>
    /// <param name="headStart">
    /// The first batch, begun earlier by <see cref="Begin"/> with the same <paramref name="count"/> and
    /// <paramref name="prepare"/>; null to begin it now.
    /// </param>
    public static void Stream<T>(int count, Func<int, T> prepare, Action<int, Prepared<T>> put, Action endOfBatch, HeadStart<T>? headStart = null)
    {
        int size = RunsPerBatch;
        Task<(Prepared<T>[] Items, TimeSpan Took, long Allocated)>? next = headStart?.Batch ?? (count > 0 ? PrepareBatch(count, prepare, 0, size) : null);
        try
        {
            for (int first = 0; first < count;)
            {
                (Prepared<T>[] batch, TimeSpan took, long allocated) = next!.GetAwaiter().GetResult();
                int after = first + batch.Length;
                size = Math.Min(NextBatchSize(Math.Max(size, batch.Length), took, allocated), MostItemsOf<T>());
                next = after < count ? PrepareBatch(count, prepare, after, size) : null;
                for (int i = 0; i < batch.Length; i++)
                {
                    put(first + i, batch[i]);
                }

                endOfBatch();
                ShortLivedGarbage.CollectWhenDue();
                first = after;
            }
        }
        finally
        {
            // A put that threw leaves the next batch in preparation: it ends before the caller goes
            // on (and before a scaffold gives up its directory lock). It cannot fail: Prepared keeps
            // every exception.
            ((IAsyncResult?)next)?.AsyncWaitHandle.WaitOne();
        }

    }

    /// <summary>
    /// Begins preparing the first <paramref name="size"/> items of a <see cref="Stream{T}"/> now, on the
    /// thread pool, for a stage that cannot start putting yet: the scaffold prepares the first
    /// setup_finetune.yaml files while the other core still makes the YAML plan document, which the
    /// first log entry must name before any run file is put (the core was idle for that half second).
    /// Dispose waits for the batch, so a scaffold that stops before the stage leaves nothing running.
    /// </summary>
    public static HeadStart<T> Begin<T>(int count, Func<int, T> prepare, int size) =>
        new(PrepareBatch(count, prepare, 0, Math.Max(size, RunsPerBatch)));

    // The bytes are the whole process's (the puts run meanwhile): an estimate, enough to tell a
    // batch of stats from a batch of file texts.
    private static Task<(Prepared<T>[] Items, TimeSpan Took, long Allocated)> PrepareBatch<T>(int count, Func<int, T> prepare, int first, int batchSize) =>
        Task.Run(() =>
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            Prepared<T>[] items = Run(Math.Max(0, Math.Min(batchSize, count - first)), i => prepare(first + i));
            return (items, System.Diagnostics.Stopwatch.GetElapsedTime(started), GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore);
        });

    /// <summary>A first batch begun ahead of its stage (see <see cref="Begin"/>).</summary>
    internal sealed class HeadStart<T>(Task<(Prepared<T>[] Items, TimeSpan Took, long Allocated)> batch) : IDisposable
    {
        internal Task<(Prepared<T>[] Items, TimeSpan Took, long Allocated)> Batch { get; } = batch;

        /// <summary>Waits until the batch is prepared (it cannot fail: every exception is kept with its item).</summary>
        public void Dispose() => ((IAsyncResult)Batch).AsyncWaitHandle.WaitOne();
    }

    /// <summary>
    /// The most items of <typeparamref name="T"/> whose batch array stays off the large-object heap
    /// (and at most <see cref="MostPerBatch"/>): 1,024 prepared eval scripts made a 100 KB array per
    /// batch, forty per scaffold, and each one past the large-object budget started a full collection.
    /// </summary>
    internal static int MostItemsOf<T>() =>
        Math.Clamp(SmallObjectBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<Prepared<T>>(), RunsPerBatch, MostPerBatch);

    // Below the runtime's large-object threshold (85,000 bytes), with room for the array's header.
    private const int SmallObjectBytes = 84_000;

    /// <summary>
    /// The size of the batch after one of <paramref name="size"/> items that took <paramref name="took"/>
    /// to prepare and allocated <paramref name="allocated"/> bytes meanwhile.
    /// </summary>
    internal static int NextBatchSize(int size, TimeSpan took, long allocated) =>
        took > BatchTime * 2 || allocated > 4 * BatchBytes ? Math.Max(size / 2, RunsPerBatch)
        : took < BatchTime / 2 && allocated < BatchBytes ? Math.Min(size * 2, MostPerBatch)
        : size;

    /// <summary><paramref name="work"/> of every index from 0 to <paramref name="count"/> - 1, each failure kept with its index.</summary>
    public static Prepared<T>[] Run<T>(int count, Func<int, T> work)
    {
        var results = new Prepared<T>[count];
        Parallel.For(0, count, i => results[i] = Prepared<T>.Of(() => work(i)));
        return results;
    }
}

/// <summary>A value computed ahead of time, or the exception computing it threw.</summary>
internal readonly struct Prepared<T>
{
    private readonly T _value;
    private readonly ExceptionDispatchInfo? _failure;

    private Prepared(T value, ExceptionDispatchInfo? failure)
    {
        _value = value;
        _failure = failure;
    }

    /// <summary>Runs <paramref name="compute"/> now and keeps its result or its exception.</summary>
    public static Prepared<T> Of(Func<T> compute)
    {
        try
        {
            return new Prepared<T>(compute(), null);
        }
        catch (Exception e)
        {
            return new Prepared<T>(default!, ExceptionDispatchInfo.Capture(e));
        }
    }

    /// <summary>Whether computing the value threw.</summary>
    public bool Failed => _failure is not null;

    /// <summary>The value, or the kept exception thrown again with its original stack trace.</summary>
    public T Get()
    {
        _failure?.Throw();
        return _value;
    }
}
