using System.Text;
using Spectre.Console;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>
/// Many lines of plain text (no markup, no style) for a console, written in large blocks. Through
/// <see cref="AnsiConsoleExtensions.WriteLine(IAnsiConsole, string)"/> each line is laid out cell by cell and written with its
/// own system call: the 80,000 lines of <c>plan</c> at 10,000 runs took more CPU than the plan itself.
/// Piped or logged output is never wrapped (see <see cref="ExperimentHost"/>), so writing the lines
/// straight to the console's writer gives the same bytes; on a terminal, and for a line too long for
/// the console's width, the console lays the line out as before.
/// </summary>
internal sealed class PlainLines(IAnsiConsole console) : IDisposable
{
    private const int BlockSize = 64 * 1024;

    // A line holding one of these (a line break, an escape) is left to the console to lay out.
    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '\u007f', .. Enumerable.Range(0x80, 0x20).Select(c => (char)c)]);

    private readonly StringBuilder _block = new();
    private readonly bool _direct = !console.Profile.Capabilities.Interactive;

    /// <summary>Writes <paramref name="line"/> and a line break, as <see cref="AnsiConsoleExtensions.WriteLine(IAnsiConsole, string)"/> would.</summary>
    public void WriteLine(string line)
    {
        if (!_direct || line.Length >= console.Profile.Width || line.AsSpan().ContainsAny(ControlCharacters))
        {
            Flush();
            console.WriteLine(line);
            return;
        }

        _block.Append(line).Append('\n');
        if (_block.Length >= BlockSize)
        {
            Flush();
        }
    }

    /// <summary>Writes what is held.</summary>
    public void Flush()
    {
        if (_block.Length == 0)
        {
            return;
        }

        TextWriter writer = console.Profile.Out.Writer;
        writer.Write(_block);
        writer.Flush();
        _block.Clear();
    }

    /// <summary>Writes what is held.</summary>
    public void Dispose() => Flush();
}
