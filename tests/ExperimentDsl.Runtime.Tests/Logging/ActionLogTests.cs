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

    [Fact]
    public void An_entry_is_the_seed_format_in_exact_bytes_whatever_its_lines_hold_and_however_long()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("scaffold-inspect.log");
        var clock = new StoppedClock(new DateTime(2026, 12, 7, 6, 3, 8));
        string[] hostile =
        [
            "File: a.yaml (created)",
            "two\r\nlines\nand\ra return",
            "wide 日本語 ✓ and an emoji \U0001F600 split: \uD83D",
            "\uDE00 a low surrogate alone at the start",
            "a high surrogate alone at the end \uD83D",
            "",
        ];
        // Long enough to be written in many chunks, with multi-byte characters across their boundaries.
        string[] many = [.. Enumerable.Range(0, 40_000).Select(i => $"File: r{i}/eval/task_epoch0.slurm (unchanged; its stat matches its recorded stamp: not read)" + (i % 7 == 0 ? " 日本語 \U0001F600" : ""))];

        var log = new ActionLog(path, clock, flushEachEntry: false);
        log.Write("VALIDATE\nFORGED", "details\r\nFORGED", "ok\nFORGED", hostile);
        log.Write("GENERATE_SLURM_SCRIPTS", "many", "done", many);
        log.WriteComplete("SCAFFOLD_INSPECT_COMPLETE", "end", TimeSpan.FromSeconds(2.5));
        log.Write("SMALL", "after a large one", "ok");

        static string Line(string text) => text.Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
        string expected =
            "[2026-12-07 06:03:08] VALIDATE\\nFORGED\nDetails: details\\nFORGED\n" + string.Concat(hostile.Select(l => Line(l) + "\n")) + "Result: ok\\nFORGED\n\n"
            + "[2026-12-07 06:03:08] GENERATE_SLURM_SCRIPTS\nDetails: many\n" + string.Concat(many.Select(l => l + "\n")) + "Result: done\n\n"
            + "[2026-12-07 06:03:08] SCAFFOLD_INSPECT_COMPLETE\nDetails: end\nDuration: 3 seconds\n\n"
            + "[2026-12-07 06:03:08] SMALL\nDetails: after a large one\nResult: ok\n\n";
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(expected), File.ReadAllBytes(path));
    }

    private sealed class StoppedClock(DateTime now) : IClock
    {
        public DateTime Now => now;
    }
}
