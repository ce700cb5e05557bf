using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Shared;

namespace ExperimentDsl.Runtime.Tests.Logging;

/// <summary>The action log appends whole entries as they happen, whether or not each is flushed to disk at once.</summary>
public sealed class ActionLogTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Each_entry_is_in_the_file_as_soon_as_it_is_written_and_history_is_kept(bool flushEachEntry)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("logs", "scaffold-torchtune.log");

        var first = new ActionLog(path, flushEachEntry: flushEachEntry);
        first.Write("CREATE_RUN_DIRS", "r1, r2", "All directories created successfully", ["Created: r1/"]);
        Assert.Single(ActionLogReader.Read(path));

        var second = new ActionLog(path, flushEachEntry: flushEachEntry);
        second.WriteComplete("SCAFFOLD_TORCHTUNE_COMPLETE", "Generated configs for 2 fine-tuning runs", TimeSpan.FromSeconds(1.4));
        second.FlushToDisk();

        IReadOnlyList<ActionLogReader.Entry> entries = ActionLogReader.Read(path);
        Assert.Equal(["CREATE_RUN_DIRS", "SCAFFOLD_TORCHTUNE_COMPLETE"], entries.Select(e => e.Action));
        Assert.Equal(["Created: r1/"], entries[0].Extra);
        Assert.Equal("Duration: 1 seconds", entries[1].Duration);
    }

    [Fact]
    public void Flushing_a_log_nobody_wrote_creates_no_file()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("scaffold-inspect.log");

        new ActionLog(path, flushEachEntry: false).FlushToDisk();

        Assert.False(File.Exists(path));
    }
}
