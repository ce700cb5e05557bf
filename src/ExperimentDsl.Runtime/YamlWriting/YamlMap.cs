using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentDsl.Runtime.YamlWriting;

/// <summary>
/// A block mapping built key by key in file order, with each value typed through
/// <see cref="YamlScalars"/> so that no emitter chooses a scalar's style by itself. It is written
/// straight to YamlDotNet's emitter as events: a config is built once and written once, so a
/// representation-model tree in between only cost allocations (half of an emitted config's).
/// </summary>
internal sealed class YamlMap
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
    public void WriteTo(IEmitter emitter)
    {
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
        foreach (Entry entry in _entries)
        {
            Emit(emitter, new YamlScalar(entry.Key, ScalarStyle.Plain));
            if (entry.Map is { } map)
            {
                map.WriteTo(emitter);
            }
            else if (entry.Maps is { } maps)
            {
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, entry.ListStyle));
                foreach (YamlMap item in maps)
                {
                    item.WriteTo(emitter);
                }

                emitter.Emit(new SequenceEnd());
            }
            else if (entry.Scalars is { } scalars)
            {
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, entry.ListStyle));
                foreach (YamlScalar item in scalars)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
            }
            else if (entry.Items is { } items)
            {
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, entry.ListStyle));
                foreach (string item in items)
                {
                    Emit(emitter, YamlScalars.Text(item));
                }

                emitter.Emit(new SequenceEnd());
            }
            else
            {
                Emit(emitter, entry.Scalar);
            }
        }

        emitter.Emit(new MappingEnd());
    }

    // Implicit in both styles, as the representation model wrote untagged scalars: no '!!str' tags.
    private static void Emit(IEmitter emitter, YamlScalar scalar) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, scalar.Value, scalar.Style, isPlainImplicit: true, isQuotedImplicit: true));

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
