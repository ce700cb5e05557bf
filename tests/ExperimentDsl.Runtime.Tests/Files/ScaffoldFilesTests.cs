using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Files;

public sealed class ScaffoldFilesTests
{
    [Fact]
    public void New_file_is_created_and_recorded_in_the_manifest()
    {
        using var dir = new TempDirectory();
        var files = new ScaffoldFiles(dir.Path, new ScaffoldManifest(), force: false, dryRun: false);

        FileOutcome outcome = files.Put("run/a.yaml", "a: 1\n");

        Assert.Equal(FileStatus.Create, outcome.Change.Status);
        Assert.True(outcome.Written);
        Assert.Equal("a: 1\n", File.ReadAllText(dir.Combine("run", "a.yaml")));
        ScaffoldManifest manifest = files.NextManifest("1.0", "plan");
        Assert.Equal(ContentHash.Of("a: 1\n"), manifest.Files["run/a.yaml"]);
    }

    [Fact]
    public void Prepared_puts_are_written_when_flushed_and_decide_exactly_as_sequential_puts()
    {
        using var sequentialDir = new TempDirectory();
        var sequential = new ScaffoldFiles(sequentialDir.Path, new ScaffoldManifest(), force: false, dryRun: false);
        FileStatus[] sequentialStatuses =
        [
            sequential.Put("r1/a.yaml", "a: 1\n").Change.Status,
            sequential.Put("r2/a.yaml", "a: 2\n").Change.Status,
            sequential.Put("r1/a.yaml", "a: 3\n").Change.Status,
        ];

        using var preparedDir = new TempDirectory();
        var prepared = new ScaffoldFiles(preparedDir.Path, new ScaffoldManifest(), force: false, dryRun: false);
        PreparedFile[] files =
        [
            prepared.Prepare("r1/a.yaml", "a: 1\n", executable: false),
            prepared.Prepare("r2/a.yaml", "a: 2\n", executable: true),
            prepared.Prepare("r1/a.yaml", "a: 3\n", executable: false),
        ];
        FileOutcome first = prepared.PutPrepared(files[0]);
        Assert.True(first.Written);
        Assert.False(File.Exists(preparedDir.Combine("r1", "a.yaml")));

        // The same path again: the first put is written before the second is classified against the disk.
        FileStatus[] preparedStatuses = [first.Change.Status, prepared.PutPrepared(files[1]).Change.Status, prepared.PutPrepared(files[2]).Change.Status];
        prepared.FlushWrites();

        Assert.Equal(sequentialStatuses, preparedStatuses);
        Assert.Equal(File.ReadAllText(sequentialDir.Combine("r1", "a.yaml")), File.ReadAllText(preparedDir.Combine("r1", "a.yaml")));
        Assert.Equal("a: 2\n", File.ReadAllText(preparedDir.Combine("r2", "a.yaml")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(SpecialFiles.CreatedMode(executable: true), File.GetUnixFileMode(preparedDir.Combine("r2", "a.yaml")));
        }

        Assert.Empty(Directory.EnumerateFiles(preparedDir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Identical_content_is_not_rewritten_and_keeps_its_mtime()
    {
        using var dir = new TempDirectory();
        ScaffoldManifest first = Scaffold(dir.Path, new ScaffoldManifest(), "run/a.yaml", "a: 1\n");
        DateTime before = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(dir.Combine("run", "a.yaml"), before);

        var files = new ScaffoldFiles(dir.Path, first, force: false, dryRun: false);
        FileOutcome outcome = files.Put("run/a.yaml", "a: 1\n");

        Assert.Equal(FileStatus.Unchanged, outcome.Change.Status);
        Assert.False(outcome.Written);
        Assert.Equal(before, File.GetLastWriteTimeUtc(dir.Combine("run", "a.yaml")));
        Assert.False(files.SaveManifest(files.NextManifest("1.0", "plan")));
    }

    [Fact]
    public void File_we_wrote_is_updated_when_the_experiment_changes()
    {
        using var dir = new TempDirectory();
        ScaffoldManifest first = Scaffold(dir.Path, new ScaffoldManifest(), "run/a.yaml", "a: 1\n");

        var files = new ScaffoldFiles(dir.Path, first, force: false, dryRun: false);
        FileOutcome outcome = files.Put("run/a.yaml", "a: 2\n");

        Assert.Equal(FileStatus.Changed, outcome.Change.Status);
        Assert.Equal("a: 2\n", File.ReadAllText(dir.Combine("run", "a.yaml")));
    }

    [Fact]
    public void Hand_edited_file_is_kept_unless_forced()
    {
        using var dir = new TempDirectory();
        ScaffoldManifest first = Scaffold(dir.Path, new ScaffoldManifest(), "run/a.yaml", "a: 1\n");
        File.WriteAllText(dir.Combine("run", "a.yaml"), "a: 1 # tuned by hand\n");

        var files = new ScaffoldFiles(dir.Path, first, force: false, dryRun: false);
        FileOutcome kept = files.Put("run/a.yaml", "a: 2\n");
        Assert.Equal(FileStatus.EditedByHand, kept.Change.Status);
        Assert.True(kept.Refused);
        Assert.Equal("a: 1 # tuned by hand\n", File.ReadAllText(dir.Combine("run", "a.yaml")));
        Assert.Equal(first.Files["run/a.yaml"], files.NextManifest("1.0", "plan").Files["run/a.yaml"]);

        var forced = new ScaffoldFiles(dir.Path, first, force: true, dryRun: false);
        FileOutcome overwritten = forced.Put("run/a.yaml", "a: 2\n");
        Assert.True(overwritten.Written);
        Assert.Equal("a: 2\n", File.ReadAllText(dir.Combine("run", "a.yaml")));
    }

    [Fact]
    public void Existing_file_without_a_manifest_record_counts_as_edited_by_hand()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("run"));
        File.WriteAllText(dir.Combine("run", "a.yaml"), "mine\n");

        var files = new ScaffoldFiles(dir.Path, new ScaffoldManifest(), force: false, dryRun: false);

        Assert.Equal(FileStatus.EditedByHand, files.Put("run/a.yaml", "a: 1\n").Change.Status);
        Assert.Equal("mine\n", File.ReadAllText(dir.Combine("run", "a.yaml")));
    }

    [Fact]
    public void Dry_run_classifies_but_writes_nothing()
    {
        using var dir = new TempDirectory();
        var files = new ScaffoldFiles(dir.Path, new ScaffoldManifest(), force: false, dryRun: true);

        Assert.Equal(FileStatus.Create, files.Put("run/a.yaml", "a: 1\n").Change.Status);
        Assert.False(files.SaveManifest(files.NextManifest("1.0", "plan")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Atomic_write_leaves_no_temporary_file_and_sets_the_mode()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("x", "script.slurm");

        AtomicFile.WriteAllText(path, "#!/bin/bash\n", executable: true);

        Assert.Equal("#!/bin/bash\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(SpecialFiles.CreatedMode(executable: true), File.GetUnixFileMode(path));
        }

        Assert.Single(Directory.EnumerateFiles(dir.Combine("x")));
    }

    private static ScaffoldManifest Scaffold(string dir, ScaffoldManifest previous, string path, string content)
    {
        var files = new ScaffoldFiles(dir, previous, force: false, dryRun: false);
        files.Put(path, content);
        ScaffoldManifest next = files.NextManifest("1.0", "plan");
        files.SaveManifest(next);
        return ScaffoldManifest.Load(dir);
    }
}
