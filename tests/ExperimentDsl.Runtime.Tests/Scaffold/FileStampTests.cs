using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

/// <summary>
/// The manifest's inputs hash and file stamps: an unchanged experiment is recognised without emitting
/// or reading its files, and every way a file can change under a matching-looking stat is still found.
/// </summary>
public sealed class FileStampTests
{
    private const string Run = "Llama-3.2-1B_r8_lr1e-5";

    private static readonly string FinetuneYaml = Run + "/finetune.yaml";

    private static ExperimentPlan Plan => TestPlans.Capitalization(RepoPaths.CapitalizationExample);

    private static EnvironmentSettings Environment(TempDirectory dir) => TestPlans.Environment with { OutputRoot = dir.Combine("outputs") };

    /// <summary>
    /// Waits past the file system's timestamp granularity, so the files just written are older than
    /// the next scaffold's clock reading and get stamps when it reads them.
    /// </summary>
    internal static void LetTheFileSystemClockTick() => Thread.Sleep(50);

    internal static ScaffoldReport Scaffold(TempDirectory dir, ScaffoldOptions? options = null, EnvironmentSettings? environment = null) =>
        Scaffolder.Run(Plan, dir.Combine("exp"), environment ?? Environment(dir), options ?? new ScaffoldOptions());

    // A first scaffold writes, a second reads every file and records its stamp.
    internal static void ScaffoldAndStamp(TempDirectory dir)
    {
        Scaffold(dir);
        LetTheFileSystemClockTick();
        Scaffold(dir);
        LetTheFileSystemClockTick();
    }

    private static IEnumerable<string> FileLines(TempDirectory dir) =>
        ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.TorchtuneLogName)).TakeLast(7)
            .Concat(ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.InspectLogName)).TakeLast(7))
            .SelectMany(e => e.Extra).Where(l => l.StartsWith("File: ", StringComparison.Ordinal));

    // Same size, same modification time, other content: the classic hole of a size-and-mtime check.
    private static void EditKeepingSizeAndModificationTime(string path, bool replaceTheFile)
    {
        DateTime modified = File.GetLastWriteTimeUtc(path);
        string text = File.ReadAllText(path);
        string edited = text.Replace("log_every_n_steps: 5", "log_every_n_steps: 6", StringComparison.Ordinal);
        Assert.NotEqual(text, edited);
        if (replaceTheFile)
        {
            File.WriteAllText(path + ".new", edited);
            File.SetLastWriteTimeUtc(path + ".new", modified);
            File.Move(path + ".new", path, overwrite: true);
        }
        else
        {
            File.WriteAllText(path, edited);
            File.SetLastWriteTimeUtc(path, modified);
        }

        Assert.Equal(modified, File.GetLastWriteTimeUtc(path));
        Assert.Equal(text.Length, File.ReadAllText(path).Length);
    }

    private const string NeitherEmittedNorRead = "(unchanged; same inputs as the last scaffold and its stat matches its recorded stamp: neither emitted nor read)";

    private static string[] ReadStamps(TempDirectory dir) => File.ReadAllLines(dir.Combine("exp", ScaffoldStamps.FileName));

    private static void WriteStamps(TempDirectory dir, IEnumerable<string> lines) =>
        File.WriteAllText(dir.Combine("exp", ScaffoldStamps.FileName), string.Join("\n", lines) + "\n");

    // A cache line: "{hash} {size} {mode} {inode} {ctime} {mtime} {path}".
    private static string StampLine(string[] lines, string path) => lines.Single(l => l.EndsWith(" " + path, StringComparison.Ordinal));

    [SkippableFact]
    public void A_file_changed_at_or_after_the_clock_reading_gets_no_stamp()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        string path = dir.Combine("file");
        File.WriteAllText(path, "content");

        Stamp stamp = FileStamp.Of(path)!;
        long changed = stamp.ChangedNs;

        Assert.True(Stamp.TryParse(stamp.ToString(), out Stamp? parsed));
        Assert.Equal(stamp, parsed);
        Assert.Equal("content".Length, stamp.Size);
        Assert.Null(FileStamp.Of(path, clock: changed));
        Assert.Equal(stamp, FileStamp.Of(path, clock: changed + 1));
        Assert.True(FileStamp.ReadClock(dir.Path) >= changed);
        Assert.Empty(Directory.GetFiles(dir.Path, ".scaffold-clock*"));
    }

    [SkippableFact]
    public void An_unchanged_experiment_is_recognised_without_emitting_or_reading_its_files()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string manifest = File.ReadAllText(dir.Combine("exp", ScaffoldManifest.FileName));
        string stamps = File.ReadAllText(dir.Combine("exp", ScaffoldStamps.FileName));

        ScaffoldReport third = Scaffold(dir);

        Assert.Equal(0, third.ExitCode);
        Assert.All(third.Files, f => Assert.Equal(FileStatus.Unchanged, f.Status));
        Assert.Equal(third.Files.Count, third.NotRead);
        string[] lines = [.. FileLines(dir)];
        // Every run and evaluation file, the two plan documents and the recorded environment.
        Assert.Equal(4 * 3 + 16 + 3, lines.Count(l => l.EndsWith(NeitherEmittedNorRead, StringComparison.Ordinal)));
        Assert.Contains($"File: {ExperimentLayout.SummaryName} {NeitherEmittedNorRead}", lines);
        Assert.Contains($"File: {ExperimentLayout.SummaryYamlName} {NeitherEmittedNorRead}", lines);
        Assert.Equal(manifest, File.ReadAllText(dir.Combine("exp", ScaffoldManifest.FileName)));
        Assert.Equal(stamps, File.ReadAllText(dir.Combine("exp", ScaffoldStamps.FileName)));
        Assert.DoesNotContain("stamp", manifest, StringComparison.Ordinal);

        // plan too
        ScaffoldPreview.Result preview = ScaffoldPreview.Compute(new ExperimentLayout(Plan, dir.Combine("exp"), Environment(dir)));
        Assert.All(preview.Files, f => Assert.Equal(FileStatus.Unchanged, f.Status));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_edit_that_keeps_the_size_and_the_modification_time_is_still_found_by_scaffold_and_plan(bool replaceTheFile)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string path = dir.Combine("exp", FinetuneYaml);
        EditKeepingSizeAndModificationTime(path, replaceTheFile);
        string edited = File.ReadAllText(path);

        ScaffoldPreview.Result preview = ScaffoldPreview.Compute(new ExperimentLayout(Plan, dir.Combine("exp"), Environment(dir)));
        ScaffoldReport report = Scaffold(dir);

        Assert.Equal(FileStatus.EditedByHand, preview.Files.Single(f => f.RelativePath == FinetuneYaml).Status);
        Assert.Equal(FileStatus.EditedByHand, report.Files.Single(f => f.RelativePath == FinetuneYaml).Status);
        Assert.Equal(edited, File.ReadAllText(path));
        Assert.Contains($"File: {FinetuneYaml} (edited by hand, kept)", FileLines(dir));

        // And it stays found: the kept file has no stamp, so the next scaffold reads it again.
        LetTheFileSystemClockTick();
        Assert.Equal(FileStatus.EditedByHand, Scaffold(dir).Files.Single(f => f.RelativePath == FinetuneYaml).Status);
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_file_a_killed_scaffold_rewrote_before_its_manifest_is_read_not_taken_by_its_old_stamp(bool journalled)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string path = dir.Combine("exp", FinetuneYaml);
        string original = File.ReadAllText(path);
        DateTime modified = File.GetLastWriteTimeUtc(path);

        // What a scaffold of another plan, killed between its writes and its manifest, leaves: the new
        // content, announced in the journal, and the manifest (with its stamps) of the scaffold before.
        string other = original.Replace("log_every_n_steps: 5", "log_every_n_steps: 6", StringComparison.Ordinal);
        AtomicFile.WriteAllText(path, other, flushToDisk: false);
        File.SetLastWriteTimeUtc(path, modified);
        if (journalled)
        {
            File.AppendAllText(dir.Combine("exp", ScaffoldJournal.FileName), ContentHash.Of(other) + " " + FinetuneYaml + "\n");
        }

        ScaffoldReport report = Scaffold(dir);

        // Journalled, it is the scaffold's own and is brought back; without the journal it is a stranger's.
        FileStatus expected = journalled ? FileStatus.Changed : FileStatus.EditedByHand;
        Assert.Equal(expected, report.Files.Single(f => f.RelativePath == FinetuneYaml).Status);
        Assert.Equal(journalled ? original : other, File.ReadAllText(path));
    }

    [Fact]
    public void A_half_written_manifest_is_refused_before_any_file_is_touched()
    {
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string manifestPath = dir.Combine("exp", ScaffoldManifest.FileName);
        string manifest = File.ReadAllText(manifestPath);
        File.WriteAllText(manifestPath, manifest[..(manifest.Length / 2)]);
        string path = dir.Combine("exp", FinetuneYaml);
        DateTime modified = File.GetLastWriteTimeUtc(path);

        Assert.Throws<InvalidDataException>(() => Scaffold(dir));

        Assert.Equal(modified, File.GetLastWriteTimeUtc(path));
    }

    [SkippableTheory]
    [InlineData("not a stamp")]
    [InlineData("another file's")]
    public void A_damaged_or_foreign_stamp_only_makes_the_file_read(string stamp)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string[] lines = ReadStamps(dir);
        string ours = StampLine(lines, FinetuneYaml);
        string[] theirs = StampLine(lines, Run + "/finetune.slurm").Split(' ');
        string[] parts = ours.Split(' ');
        string replaced = stamp == "not a stamp"
            ? parts[0] + " not a stamp at all " + FinetuneYaml
            : string.Join(' ', [parts[0], .. theirs[1..6], FinetuneYaml]);
        WriteStamps(dir, lines.Select(l => l == ours ? replaced : l));
        EditKeepingSizeAndModificationTime(dir.Combine("exp", FinetuneYaml), replaceTheFile: false);

        ScaffoldReport report = Scaffold(dir);

        Assert.Equal(FileStatus.EditedByHand, report.Files.Single(f => f.RelativePath == FinetuneYaml).Status);
    }

    [SkippableFact]
    public void Stamps_recorded_by_another_tool_build_make_every_file_emitted_again()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string[] lines = ReadStamps(dir);
        Assert.Matches("^inputs [0-9a-f]{64}$", lines[0]);
        // What an earlier (or later) build of the tool recorded: its own inputs hash.
        WriteStamps(dir, [.. lines.Skip(1).Prepend("inputs " + new string('0', 64))]);

        ScaffoldReport upgraded = Scaffold(dir);

        Assert.DoesNotContain(FileLines(dir), l => l.Contains("neither emitted nor read", StringComparison.Ordinal));
        Assert.All(upgraded.Files, f => Assert.Equal(FileStatus.Unchanged, f.Status));
        Assert.Equal(lines[0], ReadStamps(dir)[0]);

        // Recorded again, the next scaffold takes the shortcut.
        Assert.Equal(Scaffold(dir).Files.Count, Scaffold(dir).NotRead);
    }

    [SkippableFact]
    public void A_changed_environment_makes_every_file_emitted_again_and_rewrites_those_it_changes()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);

        ScaffoldReport moved = Scaffold(dir, environment: Environment(dir) with { OutputRoot = dir.Combine("elsewhere") });

        Assert.Equal(0, moved.ExitCode);
        Assert.DoesNotContain(FileLines(dir), l => l.Contains("neither emitted nor read", StringComparison.Ordinal));
        Assert.Equal(FileStatus.Changed, moved.Files.Single(f => f.RelativePath == FinetuneYaml).Status);
        Assert.Contains(dir.Combine("elsewhere"), File.ReadAllText(dir.Combine("exp", FinetuneYaml)), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Verify_reads_every_file_whatever_the_stamps_say()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);

        ScaffoldReport verified = Scaffold(dir, new ScaffoldOptions { Verify = true });

        Assert.Equal(0, verified.NotRead);
        Assert.All(verified.Files, f => Assert.Equal(FileStatus.Unchanged, f.Status));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_stamped_file_or_run_directory_replaced_by_a_link_is_refused_as_before(bool linkTheDirectory)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        // The same bytes, somewhere else: only the link itself gives it away.
        string outside = dir.Combine("outside");
        string run = dir.Combine("exp", Run);
        if (linkTheDirectory)
        {
            Directory.Move(run, outside);
            Directory.CreateSymbolicLink(run, outside);
        }
        else
        {
            Directory.CreateDirectory(outside);
            File.Move(dir.Combine("exp", FinetuneYaml), Path.Combine(outside, "finetune.yaml"));
            File.CreateSymbolicLink(dir.Combine("exp", FinetuneYaml), Path.Combine(outside, "finetune.yaml"));
        }

        string before = File.ReadAllText(Path.Combine(outside, "finetune.yaml"));

        IOException refused = Assert.ThrowsAny<IOException>(() => Scaffold(dir));

        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(outside, "finetune.yaml")));
    }

    [SkippableFact]
    public void Without_its_stamp_cache_a_scaffold_reads_every_file_and_records_the_stamps_again()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        File.Delete(dir.Combine("exp", ScaffoldStamps.FileName));

        ScaffoldReport reread = Scaffold(dir);

        Assert.Equal(0, reread.NotRead);
        Assert.All(reread.Files, f => Assert.Equal(FileStatus.Unchanged, f.Status));
        Assert.Equal(reread.Files.Count, ReadStamps(dir).Length - 1);
        LetTheFileSystemClockTick();
        ScaffoldReport fast = Scaffold(dir);
        Assert.Equal(fast.Files.Count, fast.NotRead);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_plan_document_edited_keeping_its_size_and_modification_time_is_found_by_scaffold_and_plan(bool yaml)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string name = yaml ? ExperimentLayout.SummaryYamlName : ExperimentLayout.SummaryName;
        string path = dir.Combine("exp", name);
        DateTime modified = File.GetLastWriteTimeUtc(path);
        string text = File.ReadAllText(path);
        // One character swapped for another: same size, and the modification time put back.
        int at = text.IndexOf(Plan.Runs[0].Name, StringComparison.Ordinal);
        string edited = text[..at] + "X" + text[(at + 1)..];
        File.WriteAllText(path, edited);
        File.SetLastWriteTimeUtc(path, modified);

        ScaffoldPreview.Result preview = ScaffoldPreview.Compute(new ExperimentLayout(Plan, dir.Combine("exp"), Environment(dir)));
        ScaffoldReport report = Scaffold(dir);

        Assert.Equal(FileStatus.EditedByHand, preview.Files.Single(f => f.RelativePath == name).Status);
        Assert.Equal(FileStatus.EditedByHand, report.Files.Single(f => f.RelativePath == name).Status);
        Assert.Equal(edited, File.ReadAllText(path));
        Assert.Contains($"File: {name} (edited by hand, kept)", FileLines(dir));
    }

    [SkippableFact]
    public void A_retry_recorded_after_the_last_scaffold_is_written_into_the_plan_documents_whatever_their_stamps_say()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        // What a submit that re-ran a fine-tune with a smaller batch records, without the plan
        // documents having been rewritten since (their stamps still match).
        string run = Plan.Runs[0].Name;
        var state = new ExperimentDsl.Runtime.Slurm.SlurmStateFile { Experiment = Plan.Name };
        state.Jobs[ExperimentLayout.FinetuneSlurm(run)] = new ExperimentDsl.Runtime.Slurm.SlurmJobRecord
        {
            Kind = ExperimentDsl.Runtime.Slurm.SlurmJobKind.Finetune,
            Run = run,
            JobId = "4242",
            State = "RUNNING",
            BatchSize = 2,
            GradientAccumulationSteps = 2,
        };
        state.Save(ExperimentDsl.Runtime.Slurm.SlurmStateFile.PathIn(dir.Combine("exp")));

        ScaffoldReport report = Scaffold(dir);

        Assert.Equal(FileStatus.Changed, report.Files.Single(f => f.RelativePath == ExperimentLayout.SummaryName).Status);
        Assert.Equal(FileStatus.Changed, report.Files.Single(f => f.RelativePath == ExperimentLayout.SummaryYamlName).Status);
        Assert.Contains("\n## What ran\n", File.ReadAllText(dir.Combine("exp", ExperimentLayout.SummaryName)), StringComparison.Ordinal);
        Assert.Contains("what_ran:", File.ReadAllText(dir.Combine("exp", ExperimentLayout.SummaryYamlName)), StringComparison.Ordinal);
        Assert.DoesNotContain(FileLines(dir), l => l.Contains("neither emitted nor read", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_deleted_plan_document_is_written_again_even_when_the_inputs_are_the_same()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string path = dir.Combine("exp", ExperimentLayout.SummaryName);
        string text = File.ReadAllText(path);
        File.Delete(path);

        ScaffoldReport report = Scaffold(dir);

        Assert.Equal(FileStatus.Create, report.Files.Single(f => f.RelativePath == ExperimentLayout.SummaryName).Status);
        Assert.Equal(text, File.ReadAllText(path));
    }

    [SkippableFact]
    public void A_stamped_script_whose_execute_bit_was_removed_fails_validation()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "stamps are Linux only");
        using var dir = new TempDirectory();
        ScaffoldAndStamp(dir);
        string script = Run + "/eval/" + Path.GetFileName(Directory.GetFiles(dir.Combine("exp", Run, "eval"), "*.slurm")[0]);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(dir.Combine("exp", script), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        LetTheFileSystemClockTick();
        ScaffoldReport report = Scaffold(dir);

        Assert.Contains(report.Failures, f => f.StartsWith(script + ":", StringComparison.Ordinal) && f.Contains("executable", StringComparison.Ordinal));
        Assert.Contains(ActionLogReader.Read(dir.Combine("exp", ExperimentLayout.InspectLogName)).Last(e => e.Action == "VALIDATE_SCRIPTS").Extra,
            l => l == $"FAIL {script}: executable: expected user-executable (mode 755), found mode 600");

        // Stamped with that mode now, the next scaffold finds it from the stamp alone, and still fails it.
        LetTheFileSystemClockTick();
        ScaffoldReport again = Scaffold(dir);
        Assert.Equal(again.Files.Count, again.NotRead);
        Assert.Contains(again.Failures, f => f.StartsWith(script + ":", StringComparison.Ordinal) && f.Contains("executable", StringComparison.Ordinal));
    }
}
