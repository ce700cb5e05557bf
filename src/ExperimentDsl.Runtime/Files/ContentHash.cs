using System.Security.Cryptography;
using System.Text;

namespace ExperimentDsl.Runtime.Files;

/// <summary>SHA-256 of file contents as lower-case hex, the identity the manifest records.</summary>
public static class ContentHash
{
    /// <summary>Hash of UTF-8 text.</summary>
    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    /// <summary>Hash of bytes.</summary>
    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }
}
