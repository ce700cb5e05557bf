using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace ExperimentDsl.Tests.Results;

/// <summary>
/// Writes <see cref="InspectLogFixture"/>s the way inspect-ai's recorders do
/// (<c>inspect_ai/log/_recorders/eval.py</c>, <c>json.py</c>): a <c>.eval</c> zip with
/// <c>_journal/start.json</c>, <c>samples/1_epoch_1.json</c>, <c>summaries.json</c>,
/// <c>reductions.json</c> and, once finished, <c>header.json</c>; or one <c>.json</c> document.
/// </summary>
public static class InspectLogWriter
{
    /// <summary>Writes <paramref name="log"/> into <c>{experimentDir}/{runDirectory}/eval/logs/</c>; returns the file's path.</summary>
    public static string WriteInto(string experimentDir, InspectLogFixture log, string? runDirectory = null)
    {
        string dir = Path.Combine(experimentDir, runDirectory ?? log.Run, "eval", "logs");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, log.FileName);
        File.WriteAllBytes(path, Bytes(log));
        return path;
    }

    /// <summary>The file's bytes.</summary>
    public static byte[] Bytes(InspectLogFixture log)
    {
        if (log.Format == LogFormat.Json)
        {
            JsonObject document = log.Header();
            document["samples"] = new JsonArray(log.Sample());
            return Encoding.UTF8.GetBytes(document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }

        var members = new List<(string Name, byte[] Content)> { ("_journal/start.json", Json(log.Start())) };
        if (!log.StartedOnly)
        {
            members.Add(("samples/1_epoch_1.json", Json(log.Sample())));
            members.Add(("summaries.json", Encoding.UTF8.GetBytes("[]")));
            members.Add(("reductions.json", Encoding.UTF8.GetBytes("[]")));
            members.Add(("header.json", Json(log.Header())));
        }

        return log.Format == LogFormat.EvalDeflate ? DeflateZip(members) : ZstdZip(members);
    }

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private static byte[] DeflateZip(IEnumerable<(string Name, byte[] Content)> members)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] content) in members)
            {
                using Stream entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    // ZipArchive cannot write zstd members (method 93), so the zip records are laid out here, per APPNOTE 4.3.
    private static byte[] ZstdZip(IEnumerable<(string Name, byte[] Content)> members)
    {
        var file = new MemoryStream();
        var central = new MemoryStream();
        int count = 0;
        foreach ((string name, byte[] content) in members)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            byte[] compressed = new ZstdSharp.Compressor(3).Wrap(content).ToArray();
            uint crc = Crc32(content);
            long offset = file.Position;
            byte[] local = new byte[30];
            BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(4), 63);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(8), 93);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(14), crc);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(18), (uint)compressed.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(22), (uint)content.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(26), (ushort)nameBytes.Length);
            file.Write(local);
            file.Write(nameBytes);
            file.Write(compressed);

            byte[] header = new byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 0x0300 | 63);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 63);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), 93);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)compressed.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)content.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(42), (uint)offset);
            central.Write(header);
            central.Write(nameBytes);
            count++;
        }

        long centralOffset = file.Position;
        central.Position = 0;
        central.CopyTo(file);
        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)central.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)centralOffset);
        file.Write(end);
        return file.ToArray();
    }

    // Written out here rather than taken from the reader, so a CRC mistake in one cannot hide in the other.
    private static uint Crc32(byte[] data)
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
}
