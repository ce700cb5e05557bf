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

    // Shared by every document, as YamlMap shares its structure events: the emitter only reads them.
    private static readonly StreamStart StreamStartEvent = new();
    private static readonly DocumentStart DocumentStartEvent = new();
    private static readonly DocumentEnd ImplicitDocumentEnd = new(isImplicit: true);
    private static readonly StreamEnd StreamEndEvent = new();

    [ThreadStatic]
    private static bool _hasScopedCache;

    [ThreadStatic]
    private static EmittedEntryCache? _scopedCache;

    /// <summary>The YAML text of <paramref name="root"/>: block style, '\n' line endings, ending with a newline.</summary>
    /// <remarks>
    /// Top-level entries emitted before are reused from <see cref="EmittedEntryCache.Shared"/>; the
    /// text is the same byte for byte as emitting the whole document (see <see cref="TrySplice"/>).
    /// The text buffer is this thread's reused one (<see cref="ReusedBuilder"/>).
    /// </remarks>
    public static string Write(YamlMap root) => Write(root, _hasScopedCache ? _scopedCache : EmittedEntryCache.Shared);

    /// <summary>
    /// Runs <paramref name="write"/> (a file's writer) with its <see cref="Write(YamlMap)"/> calls on
    /// this thread reusing <paramref name="cache"/> instead of the shared one, or nothing when it is
    /// null: how the writers' reused output is compared with their whole emission.
    /// </summary>
    internal static T WithEntryCache<T>(EmittedEntryCache? cache, Func<T> write)
    {
        (bool hadScope, EmittedEntryCache? outer) = (_hasScopedCache, _scopedCache);
        (_hasScopedCache, _scopedCache) = (true, cache);
        try
        {
            return write();
        }
        finally
        {
            (_hasScopedCache, _scopedCache) = (hadScope, outer);
        }
    }

    /// <summary>The YAML text of <paramref name="root"/> reusing entries from <paramref name="cache"/>, or none when it is null.</summary>
    internal static string Write(YamlMap root, EmittedEntryCache? cache)
    {
        // Sized for a whole torchtune config (about 2.3 KB) when the thread has no buffer yet.
        StringBuilder text = ReusedBuilder.Take(capacity: 64 * (root.Count + 8));
        if (cache is null || !TrySplice(text, root, cache))
        {
            AppendDocument(text, root, 0, root.Count);
        }

        return ReusedBuilder.ToStringAndKeep(text);
    }

    /// <summary>The YAML text of <paramref name="root"/> emitted whole, reusing nothing: what <see cref="Write(YamlMap)"/> must equal.</summary>
    internal static string WriteUncached(YamlMap root) => Write(root, cache: null);

    /// <summary>
    /// Appends the document as the concatenation of its top-level entries' texts, each either kept
    /// in <paramref name="cache"/> or emitted (a run of entries not worth keeping is emitted as one
    /// document); false, with nothing appended, when an entry holds a style whose reuse is unproven.
    /// </summary>
    /// <remarks>
    /// Why the concatenation is the document: in a root block mapping, YamlDotNet's emitter starts
    /// every key with the same indent step (a line break unless it is at the start of an empty line,
    /// then column 0), after which its state is the same as at the first key of a new document; the
    /// implicit document start writes nothing, and the implicit document end takes the same indent
    /// step the next key would. So each entry's text, from its key to the break that ends it, does
    /// not depend on the entries around it. Tests <c>YamlTextSplicingTests</c> hold this to hostile
    /// keys and values.
    /// </remarks>
    private static bool TrySplice(StringBuilder text, YamlMap root, EmittedEntryCache cache)
    {
        int count = root.Count;
        if (count == 0)
        {
            return false;
        }

        Span<int> hashes = count <= 64 ? stackalloc int[count] : new int[count];
        Span<int> lengths = count <= 64 ? stackalloc int[count] : new int[count];
        for (int index = 0; index < count; index++)
        {
            if (!root.TryHashEntry(index, out hashes[index], out lengths[index]))
            {
                return false;
            }
        }

        int firstPending = -1;
        for (int index = 0; index < count; index++)
        {
            bool kept = cache.TryGet(root, index, hashes[index], out string keptText);
            if (!kept && !cache.ShouldKeep(hashes[index], lengths[index]))
            {
                firstPending = firstPending < 0 ? index : firstPending;
                continue;
            }

            if (firstPending >= 0)
            {
                AppendDocument(text, root, firstPending, index - firstPending);
                firstPending = -1;
            }

            if (kept)
            {
                text.Append(keptText);
            }
            else
            {
                int start = text.Length;
                AppendDocument(text, root, index, 1);
                cache.Keep(root, index, hashes[index], text.ToString(start, text.Length - start));
            }
        }

        if (firstPending >= 0)
        {
            AppendDocument(text, root, firstPending, count - firstPending);
        }

        return true;
    }

    /// <summary>
    /// Appends the one-document text of a block mapping of <paramref name="count"/> of
    /// <paramref name="map"/>'s entries from <paramref name="start"/>: the one place a document is emitted.
    /// </summary>
    /// <remarks>
    /// The emitter is made per document: YamlDotNet's emitter ends in its stream-end state and cannot
    /// start a second stream, and making one costs a few small objects.
    /// </remarks>
    private static void AppendDocument(StringBuilder text, YamlMap map, int start, int count)
    {
        using var writer = new StringWriter(text, CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, Settings);

        // An implicit document end: an explicit "..." marker would not make the file a plain
        // config like hand-written ones.
        emitter.Emit(StreamStartEvent);
        emitter.Emit(DocumentStartEvent);
        map.WriteEntriesTo(emitter, start, count);
        emitter.Emit(ImplicitDocumentEnd);
        emitter.Emit(StreamEndEvent);
    }
}
