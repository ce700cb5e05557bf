using System.Buffers;
using System.Security.Cryptography;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// A buffer writer that hashes what is written into it (SHA-256) and keeps none of it: a JSON writer
/// over it hashes a document of any size through one reused buffer, without its text.
/// </summary>
internal sealed class HashingBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = new byte[64 * 1024];

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length);
        _sha256.AppendData(_buffer, 0, count);
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        // What was handed out before has been advanced (hashed) or given up: the buffer is free again.
        if (sizeHint > _buffer.Length)
        {
            _buffer = new byte[sizeHint];
        }

        return _buffer;
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>The SHA-256 of everything advanced so far, in lower-case hexadecimal.</summary>
    public string HexDigest() => Convert.ToHexStringLower(_sha256.GetCurrentHash());

    /// <inheritdoc/>
    public void Dispose() => _sha256.Dispose();
}
