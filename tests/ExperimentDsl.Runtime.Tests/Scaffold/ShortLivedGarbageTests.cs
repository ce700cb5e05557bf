using ExperimentDsl.Runtime.Scaffold;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

/// <summary>The stages collect their short-lived garbage every budget's worth of allocations, and not more often.</summary>
/// <remarks>Alone: allocations and scaffolds of tests running beside it would move the process-wide count.</remarks>
[Collection(GarbageCollection.Name)]
public sealed class ShortLivedGarbageTests
{
    [Fact]
    public void The_youngest_generation_is_collected_once_the_budget_is_allocated_and_not_before()
    {
        ShortLivedGarbage.CollectWhenDue();
        ShortLivedGarbage.CollectWhenDue();
        // Allocated since: almost nothing, so no collection (unless the runtime makes one of its own).
        int before = GC.CollectionCount(0);
        ShortLivedGarbage.CollectWhenDue();
        Assert.Equal(before, GC.CollectionCount(0));

        long allocated = 0;
        while (allocated <= ShortLivedGarbage.Budget)
        {
            GC.KeepAlive(new byte[64 * 1024]);
            allocated += 64 * 1024;
        }

        int afterAllocating = GC.CollectionCount(0);
        ShortLivedGarbage.CollectWhenDue();

        Assert.True(GC.CollectionCount(0) > afterAllocating);
    }
}

/// <summary>A scaffold collects the old generation in the foreground, and gives the process its mode back.</summary>
/// <remarks>Alone: the latency mode is the process's, and scaffolds of tests running beside it would set it too.</remarks>
[Collection(GarbageCollection.Name)]
public sealed class BatchModeTests
{
    [Fact]
    public void Overlapping_scopes_keep_batch_mode_until_the_last_ends_and_then_restore_the_mode_before()
    {
        System.Runtime.GCLatencyMode before = System.Runtime.GCSettings.LatencyMode;
        IDisposable first = ShortLivedGarbage.InBatchMode();
        Assert.Equal(System.Runtime.GCLatencyMode.Batch, System.Runtime.GCSettings.LatencyMode);

        IDisposable second = ShortLivedGarbage.InBatchMode();
        first.Dispose();
        first.Dispose();
        Assert.Equal(System.Runtime.GCLatencyMode.Batch, System.Runtime.GCSettings.LatencyMode);

        second.Dispose();
        Assert.Equal(before, System.Runtime.GCSettings.LatencyMode);
    }
}
