using System.Buffers.Binary;

namespace ExperimentDsl.Runtime.Preflight;

/// <summary>
/// Reads the row count of a parquet file from its footer, without a parquet library: the file ends
/// with the <c>FileMetaData</c> struct (Thrift compact protocol), its length as a 4-byte
/// little-endian integer and the magic <c>PAR1</c>; <c>num_rows</c> is the struct's field 3 (an i64).
/// Field 2, the schema list, comes before it and is skipped field by field.
/// </summary>
internal static class ParquetFooter
{
    private const int MaxFooterBytes = 64 * 1024 * 1024;

    /// <summary>The file's row count, or why it could not be read (naming the file).</summary>
    public static (int? Rows, string? Problem) RowCount(string file)
    {
        using FileStream stream = File.OpenRead(file);
        if (stream.Length < 12)
        {
            return (null, $"{file} is too short to be a parquet file");
        }

        Span<byte> tail = stackalloc byte[8];
        stream.Seek(-8, SeekOrigin.End);
        stream.ReadExactly(tail);
        int length = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (!tail[4..].SequenceEqual("PAR1"u8) || length <= 0 || length > MaxFooterBytes || length > stream.Length - 12)
        {
            return (null, $"{file} does not end with a parquet footer (PAR1)");
        }

        byte[] footer = new byte[length];
        stream.Seek(-8 - length, SeekOrigin.End);
        stream.ReadExactly(footer);
        try
        {
            long? rows = new CompactReader(footer).NumRows();
            return rows is long n and >= 0 and <= int.MaxValue
                ? ((int)n, null)
                : (null, $"{file}'s parquet footer gives no row count");
        }
        catch (FormatException e)
        {
            return (null, $"{file}'s parquet footer cannot be read ({e.Message})");
        }
        catch (OverflowException)
        {
            return (null, $"{file}'s parquet footer cannot be read (a length is out of range)");
        }
    }

    private sealed class CompactReader(byte[] bytes)
    {
        private const int Stop = 0, BoolTrue = 1, BoolFalse = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12;
        private int _at;

        // FileMetaData: the value of field 3 (num_rows), every other field skipped.
        public long? NumRows()
        {
            short field = 0;
            while (true)
            {
                (int type, field) = FieldHeader(field);
                if (type == Stop)
                {
                    return null;
                }

                if (field == 3 && type == I64)
                {
                    return ZigZag(Varint());
                }

                Skip(type, depth: 0);
            }
        }

        private (int Type, short Field) FieldHeader(short previous)
        {
            byte header = Next();
            int type = header & 0x0F;
            if (type == Stop)
            {
                return (Stop, previous);
            }

            int delta = header >> 4;
            short field = delta != 0 ? (short)(previous + delta) : (short)ZigZag(Varint());
            return (type, field);
        }

        private void Skip(int type, int depth)
        {
            if (depth > 64)
            {
                throw new FormatException("nested too deeply");
            }

            switch (type)
            {
                case BoolTrue or BoolFalse:
                    break;
                case Byte:
                    Next();
                    break;
                case I16 or I32 or I64:
                    Varint();
                    break;
                case Double:
                    Advance(8);
                    break;
                case Binary:
                    Advance(checked((int)Varint()));
                    break;
                case List or Set:
                    {
                        byte header = Next();
                        long size = header >> 4 == 15 ? checked((long)Varint()) : header >> 4;
                        int element = header & 0x0F;
                        for (long i = 0; i < size; i++)
                        {
                            // A bool element is one byte in a list (not folded into a header).
                            if (element is BoolTrue or BoolFalse)
                            {
                                Next();
                            }
                            else
                            {
                                Skip(element, depth + 1);
                            }
                        }

                        break;
                    }

                case Map:
                    {
                        long size = checked((long)Varint());
                        if (size == 0)
                        {
                            break;
                        }

                        byte types = Next();
                        for (long i = 0; i < size; i++)
                        {
                            Skip(types >> 4, depth + 1);
                            Skip(types & 0x0F, depth + 1);
                        }

                        break;
                    }

                case Struct:
                    {
                        short field = 0;
                        while (true)
                        {
                            (int inner, field) = FieldHeader(field);
                            if (inner == Stop)
                            {
                                break;
                            }

                            Skip(inner, depth + 1);
                        }

                        break;
                    }

                default:
                    throw new FormatException("unknown Thrift type " + type.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        private ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Next();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new FormatException("a varint is longer than 10 bytes");
        }

        private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

        private byte Next() => _at < bytes.Length ? bytes[_at++] : throw new FormatException("the footer ends early");

        private void Advance(int count)
        {
            if (count < 0 || count > bytes.Length - _at)
            {
                throw new FormatException("the footer ends early");
            }

            _at += count;
        }
    }
}
