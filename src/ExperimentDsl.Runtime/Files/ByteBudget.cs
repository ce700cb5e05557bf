namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// Bounds the memory that parallel readers hold at once: each reader takes the bytes it is about to
/// allocate and gives them back when done, waiting while the budget is spent. One reader asking for
/// more than the whole budget gets it alone, so nothing waits forever.
/// </summary>
public sealed class ByteBudget(long total)
{
    private readonly object _gate = new();
    private long _inUse;

    /// <summary>The bytes held at most at once.</summary>
    public long Total { get; } = total;

    /// <summary>The most held at once so far (for tests and measurements).</summary>
    public long PeakInUse { get; private set; }

    /// <summary>Waits until <paramref name="bytes"/> are free and holds them until the result is disposed.</summary>
    public IDisposable Take(long bytes)
    {
        long amount = Math.Clamp(bytes, 0, Total);
        lock (_gate)
        {
            while (_inUse + amount > Total)
            {
                Monitor.Wait(_gate);
            }

            _inUse += amount;
            PeakInUse = Math.Max(PeakInUse, _inUse);
        }

        return new Held(this, amount);
    }

    private void Give(long amount)
    {
        lock (_gate)
        {
            _inUse -= amount;
            Monitor.PulseAll(_gate);
        }
    }

    private sealed class Held(ByteBudget budget, long amount) : IDisposable
    {
        private int _given;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _given, 1) == 0)
            {
                budget.Give(amount);
            }
        }
    }
}
