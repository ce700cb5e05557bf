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
    // the 10,000-run re-scaffold's peak memory from 200 MB to 330 MB.
    internal const int RunsPerBatch = 32;

    /// <summary>
    /// Streams every index from 0 to <paramref name="count"/> - 1 through <paramref name="prepare"/>
    /// (on all cores) and then <paramref name="put"/> (in index order), <see cref="RunsPerBatch"/> at a
    /// time, calling <paramref name="endOfBatch"/> after each batch's puts. The next batch is prepared
    /// while the current one is put, so at most two batches' prepared values are alive at once: a
    /// 10,000-run scaffold holds no more file contents than a 100-run one. A failure is thrown by
    /// <see cref="Prepared{T}.Get"/> where <paramref name="put"/> reaches it, after the puts of the
    /// indexes before it, as in a sequential loop. <paramref name="prepare"/> must not depend on what
    /// <paramref name="put"/> and <paramref name="endOfBatch"/> do (it may run at the same time).
    /// </summary>
    public static void Stream<T>(int count, Func<int, T> prepare, Action<int, Prepared<T>> put, Action endOfBatch)
    {
        Task<Prepared<T>[]>? next = count > 0 ? PrepareBatch(0) : null;
        try
        {
            for (int first = 0; first < count; first += RunsPerBatch)
            {
                Prepared<T>[] batch = next!.GetAwaiter().GetResult();
                next = first + RunsPerBatch < count ? PrepareBatch(first + RunsPerBatch) : null;
                for (int i = 0; i < batch.Length; i++)
                {
                    put(first + i, batch[i]);
                }

                endOfBatch();
                ShortLivedGarbage.CollectWhenDue();
            }
        }
        finally
        {
            // A put that threw leaves the next batch in preparation: it ends before the caller goes
            // on (and before a scaffold gives up its directory lock). It cannot fail: Prepared keeps
            // every exception.
            ((IAsyncResult?)next)?.AsyncWaitHandle.WaitOne();
        }

        Task<Prepared<T>[]> PrepareBatch(int first) =>
            Task.Run(() => Run(Math.Min(RunsPerBatch, count - first), i => prepare(first + i)));
    }

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
