using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Scaffold;

namespace ExperimentDsl.Runtime.Tests.Files;

/// <summary>
/// The previous manifest and stamp cache a scaffold reads before it holds the directory lock are
/// used only while the files they came from are unchanged under the lock.
/// </summary>
public sealed class PreviousScaffoldReadsTests
{
    // The example experiment scaffolded into "exp" and its files stamped, as FileStampTests makes it.
    private static void ScaffoldAndStamp(TempDirectory dir) => FileStampTests.ScaffoldAndStamp(dir);

    private static ScaffoldReport Scaffold(TempDirectory dir) => FileStampTests.Scaffold(dir);

    [SkippableTheory]
    [InlineData("nothing")]
    [InlineData("manifest rewritten with the same text")]
    [InlineData("stamp cache removed")]
    [InlineData("journal left by a stopped scaffold")]
    [InlineData("journal grown")]
    public void What_was_read_ahead_is_current_only_while_the_manifest_journal_and_stamps_are_the_files_read(string change)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reading ahead needs file identities (Linux)");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string exp = dir.Combine("exp");
        string journal = Path.Combine(exp, ScaffoldJournal.FileName);
        if (change == "journal grown")
        {
            File.WriteAllText(journal, "");
        }

        PreviousScaffoldReads readAhead = PreviousScaffoldReads.StartBeforeLock(exp)!;
        Assert.NotEmpty(readAhead.Manifest.GetAwaiter().GetResult().Files);
        readAhead.Stamps.GetAwaiter().GetResult();
        FileStampTests.LetTheFileSystemClockTick();

        switch (change)
        {
            case "manifest rewritten with the same text":
                string manifest = Path.Combine(exp, ScaffoldManifest.FileName);
                AtomicFile.WriteAllText(manifest, File.ReadAllText(manifest), flushToDisk: false);
                break;
            case "stamp cache removed":
                File.Delete(Path.Combine(exp, ScaffoldStamps.FileName));
                break;
            case "journal left by a stopped scaffold":
                File.WriteAllText(journal, "");
                break;
            case "journal grown":
                File.AppendAllText(journal, new string('0', 64) + " x/finetune.yaml\n");
                break;
        }

        Assert.Equal(change == "nothing", readAhead.StillCurrent());
    }

    [SkippableFact]
    public void A_scaffold_waiting_for_the_lock_uses_the_manifest_as_the_lock_holder_left_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reading ahead needs file identities (Linux)");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string exp = dir.Combine("exp");

        // Another process holds the lock while this scaffold checks its plan and reads ahead; before it
        // lets go, the manifest and stamp cache are gone (as after a reset). Read ahead, they recorded
        // every file unchanged; read again under the lock, nothing is recorded, so no file may be taken
        // as unchanged unread.
        ScaffoldReport report;
        using (DirectoryLock held = DirectoryLock.Acquire(exp, TimeSpan.FromSeconds(5), "test"))
        {
            Task<ScaffoldReport> waiting = Task.Run(() => Scaffold(dir));
            Thread.Sleep(1000);
            Assert.False(waiting.IsCompleted);
            File.Delete(Path.Combine(exp, ScaffoldManifest.FileName));
            File.Delete(Path.Combine(exp, ScaffoldStamps.FileName));
            held.Dispose();
            report = waiting.GetAwaiter().GetResult();
        }

        Assert.Equal(0, report.NotRead);
        Assert.True(File.Exists(Path.Combine(exp, ScaffoldManifest.FileName)));
    }
}
