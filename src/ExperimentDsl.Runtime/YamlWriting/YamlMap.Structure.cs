using YamlDotNet.Core;

namespace ExperimentDsl.Runtime.YamlWriting;

/// <summary>
/// A top-level entry's structural value: what <see cref="EmittedEntryCache"/> keys an entry's
/// emitted text by. Two entries are equal when they give the emitter the same events: the same key,
/// the same kind of value, the same scalars in the same styles, the same subtree.
/// </summary>
internal sealed partial class YamlMap
{
    // The value kinds of an entry; a flow list of strings and a flow list of typed scalars may emit
    // alike, but they are kept apart (a missed reuse costs one emission, a wrong one a wrong file).
    private enum EntryKind
    {
        Scalar,
        Map,
        Maps,
        Scalars,
        Items,
    }

    /// <summary>
    /// The structural hash of entry <paramref name="index"/> and the total length of its key and value
    /// texts (a lower bound of its emitted text's length, since the emitter writes every character at
    /// least once); false when the entry holds a scalar style whose reuse is not proven.
    /// </summary>
    public bool TryHashEntry(int index, out int hash, out int textLength)
    {
        var hasher = new HashCode();
        textLength = 0;
        bool provenStyles = HashEntry(_entries[index], ref hasher, ref textLength);
        hash = hasher.ToHashCode();
        return provenStyles;
    }

    /// <summary>Whether entry <paramref name="index"/> of <paramref name="left"/> and entry <paramref name="otherIndex"/> of <paramref name="right"/> emit the same events.</summary>
    public static bool EntriesEqual(YamlMap left, int index, YamlMap right, int otherIndex) =>
        EntryEquals(left._entries[index], right._entries[otherIndex]);

    /// <summary>
    /// A one-entry map holding a deep copy of entry <paramref name="index"/>'s structure: a later change
    /// to this map, its nested maps or a list array given to it cannot change the copy.
    /// </summary>
    public YamlMap CopyOfEntry(int index)
    {
        var copy = new YamlMap();
        copy._entries.Add(Copy(_entries[index]));
        return copy;
    }

    // Only the styles YamlScalars chooses (and the emitter's fallbacks from them, also quoted styles)
    // are proven to splice. Literal and folded block scalars end on their own line breaks, and
    // YamlDotNet's emitter has closed documents after them with "..." in earlier versions; no writer
    // uses them, so a document holding one is emitted whole.
    private static bool IsProvenStyle(ScalarStyle style) =>
        style is ScalarStyle.Plain or ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;

    private static EntryKind KindOf(Entry entry) =>
        entry.Map is not null ? EntryKind.Map
        : entry.Maps is not null ? EntryKind.Maps
        : entry.Scalars is not null ? EntryKind.Scalars
        : entry.Items is not null ? EntryKind.Items
        : EntryKind.Scalar;

    private static bool HashEntry(Entry entry, ref HashCode hasher, ref int textLength)
    {
        EntryKind kind = KindOf(entry);
        hasher.Add(entry.Key);
        hasher.Add(kind);
        hasher.Add(entry.ListStyle);
        textLength += entry.Key.Length;
        bool proven = true;
        switch (kind)
        {
            case EntryKind.Map:
                proven = entry.Map!.HashMap(ref hasher, ref textLength);
                break;
            case EntryKind.Maps:
                hasher.Add(entry.Maps!.Length);
                foreach (YamlMap item in entry.Maps)
                {
                    proven &= item.HashMap(ref hasher, ref textLength);
                }

                break;
            case EntryKind.Scalars:
                hasher.Add(entry.Scalars!.Length);
                foreach (YamlScalar item in entry.Scalars)
                {
                    proven &= HashScalar(item, ref hasher, ref textLength);
                }

                break;
            case EntryKind.Items:
                hasher.Add(entry.Items!.Length);
                foreach (string item in entry.Items)
                {
                    hasher.Add(item);
                    textLength += item.Length;
                }

                break;
            default:
                proven = HashScalar(entry.Scalar, ref hasher, ref textLength);
                break;
        }

        return proven;
    }

    private bool HashMap(ref HashCode hasher, ref int textLength)
    {
        hasher.Add(_entries.Count);
        bool proven = true;
        foreach (Entry entry in _entries)
        {
            proven &= HashEntry(entry, ref hasher, ref textLength);
        }

        return proven;
    }

    private static bool HashScalar(YamlScalar scalar, ref HashCode hasher, ref int textLength)
    {
        hasher.Add(scalar.Value);
        hasher.Add(scalar.Style);
        textLength += scalar.Value.Length;
        return IsProvenStyle(scalar.Style);
    }

    private static bool EntryEquals(Entry left, Entry right)
    {
        EntryKind kind = KindOf(left);
        if (kind != KindOf(right) || left.ListStyle != right.ListStyle || !string.Equals(left.Key, right.Key, StringComparison.Ordinal))
        {
            return false;
        }

        return kind switch
        {
            EntryKind.Map => MapEquals(left.Map!, right.Map!),
            EntryKind.Maps => left.Maps!.AsSpan().SequenceEqual(right.Maps!, StructuralMapComparer.Instance),
            EntryKind.Scalars => left.Scalars!.AsSpan().SequenceEqual(right.Scalars!),
            EntryKind.Items => left.Items!.AsSpan().SequenceEqual(right.Items!, StringComparer.Ordinal),
            _ => left.Scalar == right.Scalar,
        };
    }

    private static bool MapEquals(YamlMap left, YamlMap right)
    {
        if (left._entries.Count != right._entries.Count)
        {
            return false;
        }

        for (int index = 0; index < left._entries.Count; index++)
        {
            if (!EntryEquals(left._entries[index], right._entries[index]))
            {
                return false;
            }
        }

        return true;
    }

    private static Entry Copy(Entry entry) => entry with
    {
        Map = entry.Map?.DeepCopy(),
        Maps = entry.Maps?.Select(item => item.DeepCopy()).ToArray(),
        Scalars = entry.Scalars is null ? null : [.. entry.Scalars],
        Items = entry.Items is null ? null : [.. entry.Items],
    };

    private YamlMap DeepCopy()
    {
        var copy = new YamlMap();
        foreach (Entry entry in _entries)
        {
            copy._entries.Add(Copy(entry));
        }

        return copy;
    }

    // Structural equality of whole maps, for comparing lists of maps element by element.
    private sealed class StructuralMapComparer : IEqualityComparer<YamlMap>
    {
        public static readonly StructuralMapComparer Instance = new();

        public bool Equals(YamlMap? x, YamlMap? y) => x is not null && y is not null && MapEquals(x, y);

        public int GetHashCode(YamlMap obj) => obj._entries.Count;
    }
}
