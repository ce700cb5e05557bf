using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentDsl.Runtime.YamlWriting;

/// <summary>Turns a <see cref="YamlMap"/> into the text of a one-document YAML file through YamlDotNet's emitter.</summary>
internal static class YamlText
{
    // Two-space indent like torchtune's recipes; no width limit, because a folded long line would
    // still read back the same but would make the files harder to diff and grep.
    private static readonly EmitterSettings Settings = new(
        bestIndent: 2,
        bestWidth: int.MaxValue,
        isCanonical: false,
        maxSimpleKeyLength: 1024,
        newLine: "\n");

    // One text buffer per thread, reused from file to file: at 10,000 runs the scaffold emits 20,000
    // configs on two threads, and a new buffer for each (with the blocks it grew by) was garbage of
    // about 10 KB a config. The emitter itself is made per document: YamlDotNet's emitter ends in its
    // stream-end state and cannot start a second stream, and making one costs a few small objects.
    [ThreadStatic]
    private static StringBuilder? _buffer;

    // Documents larger than this (the plan documents, megabytes at 10,000 runs) get a buffer of their
    // own, so that no thread keeps megabytes alive after them.
    private const int MaxKeptCapacity = 64 * 1024;

    /// <summary>The YAML text of <paramref name="root"/>: block style, '\n' line endings, ending with a newline.</summary>
    public static string Write(YamlMap root)
    {
        StringBuilder text = _buffer ?? new StringBuilder(capacity: 8 * 1024);
        _buffer = null;
        try
        {
            text.Clear();
            using (var writer = new StringWriter(text, CultureInfo.InvariantCulture) { NewLine = "\n" })
            {
                var emitter = new Emitter(writer, Settings);

                // An implicit document end: an explicit "..." marker would not make the file a plain
                // config like hand-written ones.
                emitter.Emit(new StreamStart());
                emitter.Emit(new DocumentStart());
                root.WriteTo(emitter);
                emitter.Emit(new DocumentEnd(isImplicit: true));
                emitter.Emit(new StreamEnd());
            }

            return text.ToString();
        }
        finally
        {
            // Taken out while in use: a document emitted while another is (none is today) gets its own.
            if (text.Capacity <= MaxKeptCapacity)
            {
                _buffer = text;
            }
        }
    }
}
