using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentDsl.Runtime.YamlWriting;

/// <summary>
/// A block mapping built key by key in file order, with each value typed through
/// <see cref="YamlScalars"/> so that no emitter chooses a scalar's style by itself. It is written
/// straight to YamlDotNet's emitter as events: a config is built once and written once, so a
/// representation-model tree in between only cost allocations (half of an emitted config's).
/// </summary>
internal sealed partial class YamlMap
{
    // One entry per key: exactly one of scalar, map or items is the value (a struct, so a scalar is not boxed).
    private readonly List<Entry> _entries = new(capacity: 16);

    /// <summary>The number of keys.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a string value.</summary>
    public YamlMap Text(string key, string value) => Add(key, YamlScalars.Text(value));

    /// <summary>Adds an integer value.</summary>
    public YamlMap Integer(string key, int value) => Add(key, YamlScalars.Integer(value));

    /// <summary>Adds a float value.</summary>
    public YamlMap Float(string key, double value) => Add(key, YamlScalars.Float(value));

    /// <summary>Adds a boolean value.</summary>
    public YamlMap Boolean(string key, bool value) => Add(key, YamlScalars.Boolean(value));

    /// <summary>Adds a null value.</summary>
    public YamlMap Null(string key) => Add(key, YamlScalars.Null());

    /// <summary>Adds a nested block mapping.</summary>
    public YamlMap Map(string key, YamlMap value) => AddEntry(new Entry(key, default, value, null, default));

    /// <summary>Adds a block sequence of block mappings, one <c>- key: value</c> item each.</summary>
    public YamlMap MapList(string key, IEnumerable<YamlMap> items) => AddEntry(new Entry(key, default, null, null, SequenceStyle.Block) { Maps = [.. items] });

    /// <summary>Adds a one-line flow sequence of typed scalars, e.g. <c>[0, 2]</c>.</summary>
    public YamlMap ScalarList(string key, IEnumerable<YamlScalar> items) => AddEntry(new Entry(key, default, null, null, SequenceStyle.Flow) { Scalars = [.. items] });

    /// <summary>Adds a one-line flow sequence of strings, e.g. <c>[q_proj, v_proj]</c>.</summary>
    public YamlMap FlowList(string key, params string[] items) => AddEntry(new Entry(key, default, null, items, SequenceStyle.Flow));

    /// <summary>
    /// Adds a block sequence of strings, one <c>- item</c> per line: for any text, since inside a flow
    /// sequence a plain ',', '[' or '{' would end the item.
    /// </summary>
    public YamlMap TextList(string key, params string[] items) => AddEntry(new Entry(key, default, null, items, SequenceStyle.Block));

    /// <summary>Adds a scalar typed by <see cref="YamlScalars"/>.</summary>
    public YamlMap Add(string key, YamlScalar value) => AddEntry(new Entry(key, value, null, null, default));

    /// <summary>Emits the mapping (keys plain, values as typed) as one block-mapping node.</summary>
    public void WriteTo(IEmitter emitter) => WriteEntriesTo(emitter, 0, _entries.Count);

    /// <summary>
    /// Emits the <paramref name="count"/> entries from <paramref name="start"/> on as one block-mapping
    /// node of their own: how <see cref="YamlText"/> emits part of a document's top level.
    /// </summary>
    public void WriteEntriesTo(IEmitter emitter, int start, int count)
    {
        emitter.Emit(BlockMappingStart);
        for (int index = start; index < start + count; index++)
        {
            WriteEntry(emitter, _entries[index]);
        }

        emitter.Emit(MappingEndEvent);
    }

    private static void WriteEntry(IEmitter emitter, Entry entry)
    {
        emitter.Emit(KeyEvent(entry.Key));
        if (entry.Map is { } map)
        {
            map.WriteTo(emitter);
        }
        else if (entry.Maps is { } maps)
        {
            emitter.Emit(SequenceStartOf(entry.ListStyle));
            foreach (YamlMap item in maps)
            {
                item.WriteTo(emitter);
            }

            emitter.Emit(SequenceEndEvent);
        }
        else if (entry.Scalars is { } scalars)
        {
            emitter.Emit(SequenceStartOf(entry.ListStyle));
            foreach (YamlScalar item in scalars)
            {
                Emit(emitter, item);
            }

            emitter.Emit(SequenceEndEvent);
        }
        else if (entry.Items is { } items)
        {
            emitter.Emit(SequenceStartOf(entry.ListStyle));
            foreach (string item in items)
            {
                Emit(emitter, YamlScalars.Text(item));
            }

            emitter.Emit(SequenceEndEvent);
        }
        else
        {
            Emit(emitter, entry.Scalar);
        }
    }

    // Implicit in both styles, as the representation model wrote untagged scalars: no '!!str' tags.
    private static void Emit(IEmitter emitter, YamlScalar scalar) => emitter.Emit(ScalarEvent(scalar));

    private static Scalar ScalarEvent(YamlScalar scalar) =>
        new(AnchorName.Empty, TagName.Empty, scalar.Value, scalar.Style, isPlainImplicit: true, isQuotedImplicit: true);

    // YamlDotNet's events are immutable and its emitter only reads them, so the ones every config
    // repeats (the structure, and the keys: the same names in each of 20,000 configs) are made
    // once and shared by all emitters on all threads. Keys are cached up to a bound: a plan document
    // has a key per run, and those are not worth keeping.
    private static readonly MappingStart BlockMappingStart = new(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block);
    private static readonly MappingEnd MappingEndEvent = new();
    private static readonly SequenceStart BlockSequenceStart = new(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block);
    private static readonly SequenceStart FlowSequenceStart = new(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Flow);
    private static readonly SequenceEnd SequenceEndEvent = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Scalar> KeyEvents = new(StringComparer.Ordinal);

    internal const int MostCachedKeys = 1024;

    private static SequenceStart SequenceStartOf(SequenceStyle style) =>
        style == SequenceStyle.Flow ? FlowSequenceStart : style == SequenceStyle.Block ? BlockSequenceStart
        : new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, style);

    private static Scalar KeyEvent(string key)
    {
        if (KeyEvents.TryGetValue(key, out Scalar? cached))
        {
            return cached;
        }

        Scalar made = ScalarEvent(new YamlScalar(key, ScalarStyle.Plain));
        if (KeyEvents.Count < MostCachedKeys)
        {
            KeyEvents.TryAdd(key, made);
        }

        return made;
    }

    private YamlMap AddEntry(Entry entry)
    {
        _entries.Add(entry);
        return this;
    }

    private readonly record struct Entry(string Key, YamlScalar Scalar, YamlMap? Map, string[]? Items, SequenceStyle ListStyle)
    {
        public YamlMap[]? Maps { get; init; }

        public YamlScalar[]? Scalars { get; init; }
    }
}
