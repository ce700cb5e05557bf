using System.Globalization;
using System.Text;
using ExperimentDsl.Runtime.Text;
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

    /// <summary>The YAML text of <paramref name="root"/>: block style, '\n' line endings, ending with a newline.</summary>
    /// <remarks>
    /// The text buffer is this thread's reused one (<see cref="ReusedBuilder"/>). The emitter is made
    /// per document: YamlDotNet's emitter ends in its stream-end state and cannot start a second
    /// stream, and making one costs a few small objects next to the events of a whole config.
    /// </remarks>
    public static string Write(YamlMap root)
    {
        // Sized for a whole torchtune config (about 2.3 KB) when the thread has no buffer yet.
        StringBuilder text = ReusedBuilder.Take(capacity: 64 * (root.Count + 8));
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

        return ReusedBuilder.ToStringAndKeep(text);
    }
}
