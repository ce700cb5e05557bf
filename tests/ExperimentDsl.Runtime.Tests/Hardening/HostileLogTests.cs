using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Runtime.Results.Logs;
using ExperimentDsl.Tests.Results;
using Xunit.Abstractions;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>
/// Inspect logs built to hurt the reader: members that inflate far beyond what they declare (zip
/// bombs), zip64 fields beyond 2^63, text that is not UTF-8. Each is refused as an unreadable log.
/// Memory is measured as the bytes the reading thread allocates (GC.GetAllocatedBytesForCurrentThread):
/// the reader inflates on the calling thread, and other tests running in parallel do not count.
/// </summary>
public sealed class HostileLogTests(ITestOutputHelper output) : IDisposable
{
    private const long HundredMegabytes = 100L * 1024 * 1024;
    private readonly TempDirectory _dir = new("exd-hostile-logs");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_deflate_member_inflating_to_200_MB_while_declaring_1_KB_is_refused_allocating_under_100_MB()
    {
        byte[] compressed = Deflate(200 * 1024 * 1024);
        string path = _dir.Combine("bomb.eval");
        File.WriteAllBytes(path, Zip(InspectLogReader.HeaderMember, method: 8, compressed, declaredSize: 1024));

        (Exception? error, long allocated) = Measure(() => InspectLogReader.Read(path, "bomb.eval"));

        output.WriteLine($"{new FileInfo(path).Length} bytes on disk; the reader allocated {allocated} bytes");
        Assert.Contains("inflates beyond the 1024 bytes it declares", Assert.IsType<LogReadException>(error).Message, StringComparison.Ordinal);
        Assert.True(allocated < HundredMegabytes, $"{allocated} bytes allocated");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(93)]
    public void A_member_declaring_3_GB_is_refused_before_inflating(int method)
    {
        byte[] compressed = method == 8 ? Deflate(1024 * 1024) : new ZstdSharp.Compressor(3).Wrap(new byte[1024 * 1024]).ToArray();
        string path = _dir.Combine("big.eval");
        File.WriteAllBytes(path, Zip(InspectLogReader.HeaderMember, (ushort)method, compressed, declaredSize: 3_000_000_000));

        (Exception? error, long allocated) = Measure(() => InspectLogReader.Read(path, "big.eval"));

        output.WriteLine($"the reader allocated {allocated} bytes");
        Assert.Contains("more than the 64 MiB a log header may have", Assert.IsType<LogReadException>(error).Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 * 1024 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void A_zstd_member_inflating_beyond_its_declared_size_is_refused()
    {
        string path = _dir.Combine("zbomb.eval");
        File.WriteAllBytes(path, Zip(InspectLogReader.HeaderMember, 93, new ZstdSharp.Compressor(3).Wrap(new byte[50 * 1024 * 1024]).ToArray(), declaredSize: 1024));

        (Exception? error, long allocated) = Measure(() => InspectLogReader.Read(path, "zbomb.eval"));

        Assert.IsType<LogReadException>(error);
        Assert.True(allocated < HundredMegabytes, $"{allocated} bytes allocated");
    }

    [Theory]
    [InlineData(0xFFFF_FFFF_FFFF_FFF0UL, 0UL)]
    [InlineData(16UL, 0x8000_0000_0000_0000UL)]
    public void Zip64_sizes_beyond_2_to_the_63_are_a_damaged_log_not_an_overflow(ulong size, ulong compressed)
    {
        string path = _dir.Combine("zip64.eval");
        var extra = new byte[4 + 16];
        BinaryPrimitives.WriteUInt16LittleEndian(extra, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(extra.AsSpan(2), 16);
        BinaryPrimitives.WriteUInt64LittleEndian(extra.AsSpan(4), size);
        BinaryPrimitives.WriteUInt64LittleEndian(extra.AsSpan(12), compressed);
        File.WriteAllBytes(path, Zip(InspectLogReader.HeaderMember, 8, Deflate(16), declaredSize: uint.MaxValue, compressedSize: uint.MaxValue, extra));

        LogReadException error = Assert.Throws<LogReadException>(() => InspectLogReader.Read(path, "zip64.eval"));

        Assert.Contains("beyond 2^63", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LogFormat.Json)]
    [InlineData(LogFormat.EvalZstd)]
    public void Invalid_utf8_in_a_log_makes_that_log_unreadable(LogFormat format)
    {
        var fixture = new InspectLogFixture { Experiment = "e", Run = "r", Task = "tXYZ", Epoch = 1, Format = format };
        byte[] json = Encoding.UTF8.GetBytes(fixture.Header().ToJsonString());
        json[json.AsSpan().IndexOf("tXYZ"u8) + 1] = 0xFF;
        string path = _dir.Combine(format == LogFormat.Json ? "bad.json" : "bad.eval");
        File.WriteAllBytes(path, format == LogFormat.Json ? json : Zip(InspectLogReader.HeaderMember, 93, new ZstdSharp.Compressor(3).Wrap(json).ToArray(), (uint)json.Length, crc: Crc(json)));

        LogReadException error = Assert.Throws<LogReadException>(() => InspectLogReader.Read(path, Path.GetFileName(path)));

        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parallel_readers_of_many_large_logs_hold_no_more_than_the_budget()
    {
        var fixture = new InspectLogFixture { Experiment = "e", Run = "r", Task = "t", Epoch = 1, Format = LogFormat.Json };
        var files = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            string name = $"r/eval/logs/{i:D2}.json";
            Directory.CreateDirectory(_dir.Combine("r", "eval", "logs"));
            File.WriteAllText(_dir.Combine(name), fixture.Header().ToJsonString() + new string(' ', 1024 * 1024));
            files.Add(name);
        }

        var budget = new ByteBudget(3 * 1024 * 1024);
        IReadOnlyList<LogReading> readings = LogReading.ReadAll(_dir.Path, files, budget);

        Assert.All(readings, r => Assert.NotNull(r.Log));
        Assert.InRange(budget.PeakInUse, 1024 * 1024, budget.Total);
    }

    private static (Exception? Error, long Allocated) Measure(Action read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = Record.Exception(read);
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static byte[] Deflate(int zeros)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = new byte[1024 * 1024];
            for (int written = 0; written < zeros; written += chunk.Length)
            {
                deflate.Write(chunk, 0, Math.Min(chunk.Length, zeros - written));
            }
        }

        return buffer.ToArray();
    }

    private static uint Crc(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    // One member laid out per APPNOTE 4.3, with whatever sizes the test wants the headers to claim.
    private static byte[] Zip(string name, ushort method, byte[] compressed, uint declaredSize, uint? compressedSize = null, byte[]? extra = null, uint crc = 0)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        extra ??= [];
        var file = new MemoryStream();
        var local = new byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(4), 45);
        BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(8), method);
        BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(14), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(18), compressedSize ?? (uint)compressed.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(22), declaredSize);
        BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(26), (ushort)nameBytes.Length);
        file.Write(local);
        file.Write(nameBytes);
        file.Write(compressed);
        long centralOffset = file.Position;
        var header = new byte[46];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 45);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), method);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), compressedSize ?? (uint)compressed.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), declaredSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(30), (ushort)extra.Length);
        file.Write(header);
        file.Write(nameBytes);
        file.Write(extra);
        long centralSize = file.Position - centralOffset;
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)centralSize);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)centralOffset);
        file.Write(end);
        return file.ToArray();
    }
}
