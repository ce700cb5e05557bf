using System.Text;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The UTF-8 bytes of a file's wanted content, for comparing with the disk byte by byte. They are
/// given only when equal bytes on disk are sure to read back (through <see cref="File.ReadAllText(string)"/>)
/// as exactly the wanted text, so a byte comparison decides "unchanged" as the text comparison did.
/// </summary>
internal static class DesiredBytes
{
    // Throws on a lone surrogate instead of writing U+FFFD, which would read back as different text.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The bytes of <paramref name="text"/>, the same bytes <see cref="AtomicFile.WriteAllText"/> and
    /// <see cref="ContentHash.Of(string)"/> use; null when <paramref name="text"/> is not valid UTF-16 or
    /// starts with U+FEFF (reading drops it as a byte-order mark), where only a text comparison is right.
    /// </summary>
    public static byte[]? Of(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            return null;
        }

        try
        {
            return Strict.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The text <see cref="File.ReadAllText(string)"/> gives for a file holding <paramref name="raw"/>.</summary>
    public static string DecodeAsReadAllText(byte[] raw)
    {
        using var reader = new StreamReader(new MemoryStream(raw, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
