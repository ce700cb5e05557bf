using System.Collections.Concurrent;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Files;

/// <summary>
/// Atomic writes through the four system calls (on Linux) and through a FileStream (elsewhere): the
/// file appears whole or not at all, with the mode a program's new file gets, and nothing is left
/// behind when a step fails.
/// </summary>
public sealed class AtomicFileTests
{
    private static string[] Leftovers(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Where(n => n!.EndsWith(".tmp", StringComparison.Ordinal))!];

    [Fact]
    public void A_write_replaces_the_file_as_a_new_file_so_a_reader_of_the_old_one_still_reads_it_whole()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("finetune.yaml");
        AtomicFile.WriteAllText(path, "old: 1\n", flushToDisk: false);
        using FileStream reader = File.OpenRead(path);

        string hostile = "new: 'é 😀 \"q\" $(x)'\n" + new string('x', 100_000);
        AtomicFile.WriteAllText(path, hostile, flushToDisk: false);

        Assert.Equal("old: 1\n", new StreamReader(reader).ReadToEnd());
        Assert.Equal(hostile, File.ReadAllText(path));
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(hostile), File.ReadAllBytes(path));
        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void Flushed_and_unflushed_writes_hold_the_same_bytes_and_an_empty_file_is_written()
    {
        using var dir = new TempDirectory();
        byte[] bytes = [0, 1, 2, 255, (byte)'\n'];
        AtomicFile.WriteAllBytes(dir.Combine("a"), bytes, flushToDisk: true);
        AtomicFile.WriteAllBytes(dir.Combine("b"), bytes, flushToDisk: false);
        AtomicFile.WriteAllBytes(dir.Combine("empty"), [], flushToDisk: false);

        Assert.Equal(bytes, File.ReadAllBytes(dir.Combine("a")));
        Assert.Equal(bytes, File.ReadAllBytes(dir.Combine("b")));
        Assert.Empty(File.ReadAllBytes(dir.Combine("empty")));
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_file_gets_the_mode_any_new_file_gets_executable_or_not()
    {
        Skip.If(OperatingSystem.IsWindows(), "no Unix modes");
        using var dir = new TempDirectory();

        // What the umask leaves of 666 and 777, as a FileStream creates them.
        UnixFileMode Reference(string name, UnixFileMode mode)
        {
            using (new FileStream(dir.Combine(name), new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
            {
            }

            return File.GetUnixFileMode(dir.Combine(name));
        }

        const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        const UnixFileMode Execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        AtomicFile.WriteAllText(dir.Combine("script.slurm"), "#!/bin/bash\n", executable: true, flushToDisk: false);
        AtomicFile.WriteAllText(dir.Combine("config.yaml"), "a: 1\n", executable: false, flushToDisk: false);

        Assert.Equal(Reference("ref-exec", ReadWrite | Execute), File.GetUnixFileMode(dir.Combine("script.slurm")));
        Assert.Equal(Reference("ref-plain", ReadWrite), File.GetUnixFileMode(dir.Combine("config.yaml")));
    }

    [Fact]
    public void A_missing_directory_is_created()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("run", "eval", "task_epoch0.slurm");

        AtomicFile.WriteAllText(path, "#!/bin/bash\n", executable: true, flushToDisk: false);

        Assert.Equal("#!/bin/bash\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_rename_that_fails_leaves_the_target_and_no_temporary_file_and_names_the_path()
    {
        using var dir = new TempDirectory();
        string target = dir.Combine("finetune.yaml");
        Directory.CreateDirectory(Path.Combine(target, "inside"));

        IOException e = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(target, "a: 1\n", flushToDisk: false));

        Assert.Contains(target, e.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(target, "inside")));
        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void A_file_where_the_directory_must_be_is_an_input_output_error_naming_the_path_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("run"), "a file, not a directory");

        IOException e = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(dir.Combine("run", "finetune.yaml"), "a: 1\n", flushToDisk: false));

        Assert.Contains(dir.Combine("run"), e.Message, StringComparison.Ordinal);
        Assert.Equal("a file, not a directory", File.ReadAllText(dir.Combine("run")));
        Assert.Empty(Leftovers(dir.Path));
    }

    // The tests run as root in CI, where no directory refuses a write: the mapping of the error
    // numbers a refused write gives is tested directly, the same call the writes make.
    [Theory]
    [InlineData(LinuxAbi.Eacces, typeof(UnauthorizedAccessException))]
    [InlineData(LinuxAbi.Eperm, typeof(UnauthorizedAccessException))]
    [InlineData(LinuxAbi.Enoent, typeof(DirectoryNotFoundException))]
    [InlineData(LinuxAbi.Enametoolong, typeof(PathTooLongException))]
    [InlineData(28, typeof(IOException))] // ENOSPC: a full disk
    [InlineData(122, typeof(IOException))] // EDQUOT: a quota
    public void A_refused_write_is_the_exception_dotnet_gives_for_it_naming_the_path(int errno, Type expected)
    {
        Exception e = UnixFileWrites.Failure(errno, "/scratch/exp/run/finetune.yaml");
        Assert.IsType(expected, e);
        Assert.Contains("/scratch/exp/run/finetune.yaml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Temporary_names_have_the_form_the_interrupted_write_sweep_removes_and_never_repeat()
    {
        var names = new ConcurrentBag<string>();
        Parallel.For(0, 20_000, i => names.Add(AtomicFile.TemporaryName(i % 2 == 0 ? "finetune.yaml" : "capitalization_epoch0.slurm")));

        Assert.All(names, name => Assert.True(InterruptedWrites.IsOurs(name), name));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());

        // A name near the system's 255-byte limit is cut, so the temporary name stays within it.
        string longName = new('n', 250);
        string temporary = AtomicFile.TemporaryName(longName);
        Assert.True(InterruptedWrites.IsOurs(temporary));
        Assert.True(temporary.Length < 100, temporary);
    }

    [Fact]
    public void Thousands_of_files_written_at_once_from_several_threads_are_each_whole()
    {
        using var dir = new TempDirectory();
        Parallel.For(0, 2_000, i =>
            AtomicFile.WriteAllText(dir.Combine("run" + (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture), "f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".yaml"), new string('x', i) + "\n", flushToDisk: false));

        for (int i = 0; i < 2_000; i++)
        {
            string path = dir.Combine("run" + (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture), "f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".yaml");
            Assert.Equal(new string('x', i) + "\n", File.ReadAllText(path));
        }

        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void A_relative_path_or_one_with_dot_segments_is_written_where_the_full_path_points()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("run"));
        AtomicFile.WriteAllText(dir.Path + "/run/./../run//a.yaml", "a: 1\n", flushToDisk: false);

        Assert.Equal("a: 1\n", File.ReadAllText(dir.Combine("run", "a.yaml")));
        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void A_path_with_a_nul_is_refused_and_nothing_is_written_at_the_part_before_it()
    {
        using var dir = new TempDirectory();
        string cut = dir.Combine("run");

        Assert.ThrowsAny<ArgumentException>(() => AtomicFile.WriteAllText(cut + "\0/../finetune.yaml", "a: 1\n", flushToDisk: false));

        Assert.False(File.Exists(cut));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }
}
