using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>Turns a YamlDotNet representation-model tree into the text of a one-document YAML file.</summary>
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
    public static string Write(YamlNode root)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, Settings);

        // YamlStream.Save would end the document with an explicit "..." marker; an implicit
        // document keeps the file a plain config, as hand-written ones are.
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        ((IYamlConvertible)root).Write(emitter, nestedObjectSerializer: null!);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }
}
