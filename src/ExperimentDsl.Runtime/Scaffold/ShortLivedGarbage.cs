namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// Collects the short-lived garbage of a long stage every <see cref="Budget"/> bytes allocated.
/// The runtime lets the youngest generation grow to about four fifths of the processor's last-level
/// cache before it collects it: 208 MB on a machine with a 260 MB cache, which then made up most of
/// a 10,000-run scaffold's peak memory (270 MB), although each batch of files is dead within
/// milliseconds. That budget can only be set by an environment variable, not by the program, so the
/// stages collect it themselves: a collection of a generation that is almost all dead costs well
/// under a millisecond, and the memory it frees is reused instead of new memory being touched.
/// </summary>
internal static class ShortLivedGarbage
{
    /// <summary>Bytes allocated between collections (the runtime's own budget on a small-cache machine).</summary>
    internal const long Budget = 32L * 1024 * 1024;

    private static long _collectedAt;

    /// <summary>Collects the youngest generation when <see cref="Budget"/> bytes were allocated since the last time.</summary>
    public static void CollectWhenDue()
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: false);
        if (allocated - Interlocked.Read(ref _collectedAt) < Budget)
        {
            return;
        }

        Interlocked.Exchange(ref _collectedAt, allocated);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    private static int _scopes;
    private static System.Runtime.GCLatencyMode _before;
    private static readonly Lock ScopeLock = new();

    /// <summary>
    /// Until disposed, the runtime collects the old generation in the foreground instead of on a
    /// background thread (<see cref="System.Runtime.GCLatencyMode.Batch"/>). A scaffold is a batch job
    /// with no user interface to keep responsive: the background collections, set off by the large
    /// texts of the plan documents, the manifest and the logs, ran on the core the scaffold emits on
    /// and cost a tenth of a fresh 10,000-run scaffold's CPU (5.9 s against 6.5 s, and less memory).
    /// Scopes may overlap (scaffolds in one process): the mode is restored when the last one ends.
    /// </summary>
    public static IDisposable InBatchMode()
    {
        lock (ScopeLock)
        {
            if (_scopes++ == 0)
            {
                _before = System.Runtime.GCSettings.LatencyMode;
                System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
            }
        }

        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (ScopeLock)
            {
                if (--_scopes == 0)
                {
                    System.Runtime.GCSettings.LatencyMode = _before;
                }
            }
        }
    }
}
