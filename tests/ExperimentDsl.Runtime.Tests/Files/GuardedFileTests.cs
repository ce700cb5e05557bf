using System.Text;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Files;

/// <summary>The one way experiment files are opened: links out, FIFOs, devices and oversized files are refused without blocking.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GuardedFileTests : IDisposable
{
    private readonly TempDirectory _root = new("exd-guarded");

    public GuardedFileTests()
    {
        Directory.CreateDirectory(Experiment);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret.json"), "outside\n");
    }

    private string Experiment => _root.Combine("exp");

    private string Outside => _root.Combine("outside");

    private string In(params string[] parts) => Path.Combine([Experiment, .. parts]);

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_regular_file_and_a_link_that_stays_inside_are_read()
    {
        File.WriteAllText(In("a.json"), "\ufeffinside\n");
        File.CreateSymbolicLink(In("b.json"), "a.json");

        Assert.Equal("inside\n", GuardedFile.ReadAllText(In("a.json"), Experiment, 100));
        Assert.Equal("inside\n", GuardedFile.ReadAllText(In("b.json"), Experiment, 100));
    }

    [Fact]
    public void A_link_out_of_the_experiment_is_refused_as_the_file_or_as_a_directory_on_the_way()
    {
        File.CreateSymbolicLink(In("state.json"), Path.Combine(Outside, "secret.json"));
        Directory.CreateSymbolicLink(In("run"), Outside);

        var asFile = Assert.Throws<FileRefusedException>(() => GuardedFile.ReadAllText(In("state.json"), Experiment, 100));
        var onTheWay = Assert.Throws<FileRefusedException>(() => GuardedFile.ReadAllText(In("run", "secret.json"), Experiment, 100));

        Assert.Contains(In("state.json"), asFile.Message, StringComparison.Ordinal);
        Assert.Contains("outside the experiment directory", onTheWay.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_out_to_a_device_is_refused_and_a_device_itself_is_not_a_regular_file()
    {
        File.CreateSymbolicLink(In("slurm-state.json"), "/dev/zero");

        Assert.Throws<FileRefusedException>(() => GuardedFile.ReadAllBytes(In("slurm-state.json"), Experiment, 100));
        var device = Assert.Throws<FileRefusedException>(() => GuardedFile.ReadAllBytes("/dev/zero", "/dev", 100));
        Assert.Contains("not a regular file", device.Message, StringComparison.Ordinal);
        Assert.Throws<FileRefusedException>(() => GuardedFile.ReadAllBytes("/dev/zero", within: null, 100));
    }

    [Fact]
    public void A_fifo_is_refused_at_once_for_reading_and_for_appending_with_or_without_a_reader()
    {
        SpecialFiles.Fifo(In("log.json"));

        var read = SpecialFiles.WithinSeconds(10, () => Record.Exception(() => GuardedFile.ReadAllBytes(In("log.json"), Experiment, 100)));
        var append = SpecialFiles.WithinSeconds(10, () => Record.Exception(() => GuardedFile.OpenAppend(In("log.json"), Experiment).Dispose()));
        using var reader = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", $"exec 3<>'{In("log.json")}'; echo ready; sleep 30"]) { RedirectStandardOutput = true })!;
        Assert.Equal("ready", reader.StandardOutput.ReadLine());
        var appendWithReader = SpecialFiles.WithinSeconds(10, () => Record.Exception(() => GuardedFile.OpenAppend(In("log.json"), Experiment).Dispose()));

        Assert.Contains("not a regular file", Assert.IsType<FileRefusedException>(read).Message, StringComparison.Ordinal);
        Assert.IsType<FileRefusedException>(append);
        Assert.IsType<FileRefusedException>(appendWithReader);
        reader.Kill();
        reader.WaitForExit();
    }

    [Fact]
    public void A_file_above_its_cap_is_refused_naming_the_cap()
    {
        File.WriteAllBytes(In("plan.yaml"), new byte[3 * 1024 * 1024]);

        var e = Assert.Throws<FileRefusedException>(() => GuardedFile.ReadAllBytes(In("plan.yaml"), Experiment, 2 * 1024 * 1024));

        Assert.Contains("larger than 2 MiB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_growing_past_the_cap_is_stopped_at_the_cap()
    {
        using var endless = new RepeatingStream();

        Assert.Throws<FileRefusedException>(() => GuardedFile.ReadBounded(endless, "endless", 1024 * 1024));
        Assert.True(endless.Served <= 2 * 1024 * 1024 + 1, endless.Served.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Appending_creates_the_file_and_its_directory_and_appends()
    {
        using (FileStream first = GuardedFile.OpenAppend(In("results", "results.log"), Experiment))
        {
            first.Write("a\n"u8);
        }

        using (FileStream second = GuardedFile.OpenAppend(In("results", "results.log"), Experiment))
        {
            second.Write("b\n"u8);
        }

        Assert.Equal("a\nb\n", File.ReadAllText(In("results", "results.log")));
        Assert.Equal(SpecialFiles.CreatedMode(executable: false), File.GetUnixFileMode(In("results", "results.log")));
    }

    [Fact]
    public void Appending_to_a_link_out_of_the_experiment_is_refused_and_the_target_is_unchanged()
    {
        File.CreateSymbolicLink(In("run-torchtune.log"), Path.Combine(Outside, "secret.json"));

        Assert.Throws<FileRefusedException>(() => GuardedFile.OpenAppend(In("run-torchtune.log"), Experiment));

        Assert.Equal("outside\n", File.ReadAllText(Path.Combine(Outside, "secret.json")));
    }

    [Fact]
    public void A_directory_that_is_a_link_is_refused_and_a_missing_one_is_created()
    {
        Directory.CreateSymbolicLink(In("results"), Outside);

        Assert.Throws<FileRefusedException>(() => GuardedFile.EnsureDirectory(In("results"), Experiment));
        GuardedFile.EnsureDirectory(In("fresh", "results"), Experiment);
        Assert.True(Directory.Exists(In("fresh", "results")));
    }

    [Fact]
    public void The_budget_never_holds_more_than_its_total_whatever_the_number_of_readers()
    {
        var budget = new ByteBudget(100);
        int inside = 0;
        int most = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 16 }, _ =>
        {
            using IDisposable held = budget.Take(40);
            int now = Interlocked.Add(ref inside, 40);
            InterlockedMax(ref most, now);
            Thread.Sleep(2);
            Interlocked.Add(ref inside, -40);
        });

        Assert.True(most <= 100, most.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(budget.PeakInUse <= 100);
        using IDisposable alone = budget.Take(1_000);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>A stream that never ends, like /dev/zero.</summary>
    private sealed class RepeatingStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
