using System.Buffers.Binary;
using System.IO.Compression;
using ZstdSharp;

namespace ExperimentDsl.Runtime.Results.Logs;

/// <summary>
/// Reads named members of a zip archive such as inspect-ai's <c>.eval</c> logs. inspect writes them
/// with Zstandard compression (zip method 93, <c>inspect_ai/_util/zipfile.py</c>), which
/// <see cref="ZipArchive"/> cannot decompress, and older inspect versions with deflate; so the central
/// directory is read here and each member is inflated by <see cref="DeflateStream"/> or ZstdSharp.
/// Only what a log reader needs: no writing, no encryption, no multi-disk archives.
/// </summary>
internal sealed class ZipMembers
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint LocalHeaderSignature = 0x04034b50;
    private const ushort Stored = 0;
    private const ushort Deflated = 8;
    private const ushort Zstandard = 93;

    // A member we read is JSON metadata without samples; anything larger is refused before inflating.
    private const long MaxMemberBytes = Files.FileLimits.InspectEvalMember;

    private readonly Stream _stream;
    private readonly Dictionary<string, Member> _members;

    private ZipMembers(Stream stream, Dictionary<string, Member> members)
    {
        _stream = stream;
        _members = members;
    }

    private readonly record struct Member(ushort Method, uint Crc32, long CompressedSize, long Size, long LocalHeaderOffset);

    /// <summary>The member names (unordered).</summary>
    public IReadOnlyCollection<string> Names => _members.Keys;

    /// <summary>Whether the archive has a member named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _members.ContainsKey(name);

    /// <summary>Reads the central directory of <paramref name="stream"/> (seekable, left open).</summary>
    /// <exception cref="InvalidDataException">Not a zip archive, or a truncated one.</exception>
    public static ZipMembers Open(Stream stream)
    {
        long length = stream.Length;
        int tailLength = (int)Math.Min(length, 22 + ushort.MaxValue);
        byte[] tail = ReadAt(stream, length - tailLength, tailLength);
        int end = FindBackwards(tail, EndOfCentralDirectorySignature, minimumRemaining: 22);
        if (end < 0)
        {
            throw new InvalidDataException("it is not a complete zip archive (no end-of-central-directory record: the file is truncated or not a zip)");
        }

        long entryCount = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 10));
        long directorySize = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 12));
        long directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 16));
        if (entryCount == ushort.MaxValue || directorySize == uint.MaxValue || directoryOffset == uint.MaxValue)
        {
            (entryCount, directorySize, directoryOffset) = ReadZip64End(stream, length - tailLength + end);
        }

        if (entryCount < 0 || directorySize < 0 || directoryOffset < 0 || directorySize > int.MaxValue || directoryOffset + directorySize > length)
        {
            throw new InvalidDataException("its central directory lies outside the file (truncated zip)");
        }

        byte[] directory = ReadAt(stream, directoryOffset, checked((int)directorySize));
        var members = new Dictionary<string, Member>(StringComparer.Ordinal);
        int at = 0;
        for (long i = 0; i < entryCount; i++)
        {
            if (at + 46 > directory.Length || BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at)) != CentralHeaderSignature)
            {
                throw new InvalidDataException("its central directory is damaged");
            }

            ReadOnlySpan<byte> header = directory.AsSpan(at);
            ushort method = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(header[42..]);
            if (at + 46 + nameLength + extraLength + commentLength > directory.Length)
            {
                throw new InvalidDataException("its central directory is damaged");
            }

            string name = System.Text.Encoding.UTF8.GetString(header.Slice(46, nameLength));
            ReadOnlySpan<byte> extra = header.Slice(46 + nameLength, extraLength);
            ApplyZip64Extra(extra, ref size, ref compressed, ref offset);
            if (size < 0 || compressed < 0 || offset < 0)
            {
                throw new InvalidDataException($"its central directory gives member {name} a size or offset beyond 2^63 (damaged zip64 fields)");
            }

            members[name] = new Member(method, crc, compressed, size, offset);
            at += 46 + nameLength + extraLength + commentLength;
        }

        return new ZipMembers(stream, members);
    }

    /// <summary>
    /// The decompressed bytes of member <paramref name="name"/>, checked against its size and CRC-32.
    /// Inflation stops as soon as it passes the declared size, which is itself capped
    /// (<see cref="Files.FileLimits.InspectEvalMember"/>): a member that inflates to gigabytes is refused
    /// having taken no more memory than its declared size.
    /// </summary>
    /// <param name="name">The member.</param>
    /// <param name="budget">Memory shared with other readers: the compressed and inflated bytes are taken from it while the member is read.</param>
    /// <exception cref="InvalidDataException">The member is damaged, truncated, too large or uses an unknown compression.</exception>
    public byte[] Read(string name, Files.ByteBudget? budget = null)
    {
        if (!_members.TryGetValue(name, out Member member))
        {
            throw new InvalidDataException($"it has no member {name}");
        }

        if (member.Size > MaxMemberBytes || member.CompressedSize > MaxMemberBytes)
        {
            throw new InvalidDataException(
                $"its member {name} declares {member.Size} bytes ({member.CompressedSize} compressed), more than the {MaxMemberBytes / (1024 * 1024)} MiB a log header may have; it was not inflated");
        }

        using IDisposable? held = budget?.Take(member.CompressedSize + member.Size);

        byte[] local = ReadAt(_stream, member.LocalHeaderOffset, 30);
        if (BinaryPrimitives.ReadUInt32LittleEndian(local) != LocalHeaderSignature)
        {
            throw new InvalidDataException($"its member {name} is damaged (no local header)");
        }

        long dataOffset = member.LocalHeaderOffset + 30
            + BinaryPrimitives.ReadUInt16LittleEndian(local.AsSpan(26))
            + BinaryPrimitives.ReadUInt16LittleEndian(local.AsSpan(28));
        if (dataOffset + member.CompressedSize > _stream.Length)
        {
            throw new InvalidDataException($"its member {name} is cut short (truncated zip)");
        }

        byte[] compressed = ReadAt(_stream, dataOffset, (int)member.CompressedSize);
        byte[] content = member.Method switch
        {
            Stored => compressed,
            Deflated => Inflate(new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress), member.Size, name),
            Zstandard => Unzstd(compressed, member.Size),
            _ => throw new InvalidDataException($"its member {name} uses zip compression method {member.Method}, which is none of stored, deflate or zstd"),
        };

        if (content.Length != member.Size || ZipCrc32.Compute(content) != member.Crc32)
        {
            throw new InvalidDataException($"its member {name} is damaged (size or CRC-32 does not match)");
        }

        return content;
    }

    // Inflates into a buffer of the declared size, then asks for one byte more: enough to know the
    // member lies about its size, without ever holding more than it declared.
    private static byte[] Inflate(Stream decompressor, long expectedSize, string name)
    {
        using (decompressor)
        {
            var content = new byte[expectedSize];
            int count = 0;
            bool beyond;
            try
            {
                int read;
                while (count < content.Length && (read = decompressor.Read(content, count, content.Length - count)) > 0)
                {
                    count += read;
                }

                beyond = count == content.Length && decompressor.Read(new byte[1], 0, 1) > 0;
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new InvalidDataException("a member cannot be decompressed (" + e.Message + ")", e);
            }

            if (beyond)
            {
                throw new InvalidDataException($"its member {name} inflates beyond the {expectedSize} bytes it declares (a zip bomb or a damaged file); inflation was stopped there");
            }

            return count == content.Length ? content : content[..count];
        }
    }

    // One-shot decompression into a buffer of the recorded size: a DecompressionStream allocates its
    // window buffers per member, which dominated reading thousands of small logs.
    private static byte[] Unzstd(byte[] compressed, long expectedSize)
    {
        var content = new byte[expectedSize];
        try
        {
            using var decompressor = new Decompressor();
            int written = decompressor.Unwrap(compressed, content);
            return written == content.Length ? content : content[..written];
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException("a member cannot be decompressed (" + e.Message + ")", e);
        }
    }

    private static (long Count, long Size, long Offset) ReadZip64End(Stream stream, long endRecordOffset)
    {
        if (endRecordOffset < 20)
        {
            throw new InvalidDataException("its zip64 end record is missing (truncated zip)");
        }

        byte[] locator = ReadAt(stream, endRecordOffset - 20, 20);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
        {
            throw new InvalidDataException("its zip64 end record is missing (truncated zip)");
        }

        long recordOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
        byte[] record = ReadAt(stream, recordOffset, 56);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
        {
            throw new InvalidDataException("its zip64 end record is damaged");
        }

        return ((long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32)),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40)),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48)));
    }

    // Zip64 extra field (id 1): the 64-bit values, in this order, of the 32-bit fields that are 0xFFFFFFFF.
    private static void ApplyZip64Extra(ReadOnlySpan<byte> extra, ref long size, ref long compressed, ref long offset)
    {
        while (extra.Length >= 4)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (4 + length > extra.Length)
            {
                return;
            }

            if (id == 1)
            {
                ReadOnlySpan<byte> values = extra.Slice(4, length);
                if (size == uint.MaxValue && values.Length >= 8)
                {
                    size = (long)BinaryPrimitives.ReadUInt64LittleEndian(values);
                    values = values[8..];
                }

                if (compressed == uint.MaxValue && values.Length >= 8)
                {
                    compressed = (long)BinaryPrimitives.ReadUInt64LittleEndian(values);
                    values = values[8..];
                }

                if (offset == uint.MaxValue && values.Length >= 8)
                {
                    offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(values);
                }

                return;
            }

            extra = extra[(4 + length)..];
        }
    }

    private static int FindBackwards(byte[] buffer, uint signature, int minimumRemaining)
    {
        for (int i = buffer.Length - minimumRemaining; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) == signature)
            {
                return i;
            }
        }

        return -1;
    }

    private static byte[] ReadAt(Stream stream, long offset, int count)
    {
        if (offset < 0 || offset + count > stream.Length)
        {
            throw new InvalidDataException("it is cut short (truncated zip)");
        }

        var buffer = new byte[count];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }
}
