using System.Collections.Concurrent;

namespace ExperimentDsl.Runtime.YamlWriting;

/// <summary>
/// The text YamlDotNet's emitter wrote for top-level entries of earlier documents, by the entry's
/// structural value (<see cref="YamlMap.EntriesEqual"/>): most of a sweep's 10,000 finetune.yaml
/// files repeat the same tokenizer, checkpointer, loss, dataset... entries, and emitting them costs
/// the emitter's per-character analysis every time. Safe for the scaffold's parallel writers.
/// </summary>
/// <remarks>
/// Bounded three ways, so that a plan document or a sweep's per-run entries cannot fill memory:
/// an entry is kept only on its second sighting (a run's name and output directory are never seen
/// twice), only when its text is short, and only while the cache holds fewer than a number of
/// entries and characters. When full it keeps what it has; nothing is evicted.
/// </remarks>
internal sealed class EmittedEntryCache
{
    /// <summary>The cache every <see cref="YamlText.Write(YamlMap)"/> uses: a few megabytes at most.</summary>
    public static readonly EmittedEntryCache Shared = new(maxEntries: 4096, maxEntryLength: 2048, maxTotalLength: 1 << 20);

    // The hashes of entries seen once and not kept, forgotten all at once when there are this many
    // (a sweep's per-run entries would otherwise grow it by thousands): an entry repeated in every
    // document is seen again long before that. Two entries sharing a hash only make one of them
    // kept one sighting early.
    private const int MaxSightings = 16_384;

    private readonly ConcurrentDictionary<EntryKey, string> _texts = new(EntryKeyComparer.Instance);
    private readonly ConcurrentDictionary<int, bool> _seenOnce = new();
    private readonly int _maxEntries;
    private readonly int _maxEntryLength;
    private readonly long _maxTotalLength;
    private int _count;
    private long _totalLength;
    private int _sightingCount;

    /// <summary>A cache keeping at most <paramref name="maxEntries"/> texts of at most <paramref name="maxEntryLength"/> characters, <paramref name="maxTotalLength"/> in all.</summary>
    public EmittedEntryCache(int maxEntries, int maxEntryLength, long maxTotalLength)
    {
        _maxEntries = maxEntries;
        _maxEntryLength = maxEntryLength;
        _maxTotalLength = maxTotalLength;
    }

    /// <summary>The number of texts kept.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The characters of all texts kept.</summary>
    public long TotalLength => Interlocked.Read(ref _totalLength);

    /// <summary>The most texts kept.</summary>
    public int MaxEntries => _maxEntries;

    /// <summary>The longest text kept.</summary>
    public int MaxEntryLength => _maxEntryLength;

    /// <summary>The most characters kept in all.</summary>
    public long MaxTotalLength => _maxTotalLength;

    /// <summary>The text kept for entry <paramref name="index"/> of <paramref name="map"/>, whose structural hash is <paramref name="hash"/>.</summary>
    public bool TryGet(YamlMap map, int index, int hash, out string text) =>
        _texts.TryGetValue(new EntryKey(map, index, hash), out text!);

    /// <summary>
    /// Whether an entry not kept yet should be emitted on its own to be kept: it was seen before, its
    /// texts (<paramref name="textLength"/>, a lower bound of its emitted length) fit, and there is room.
    /// Records this sighting.
    /// </summary>
    public bool ShouldKeep(int hash, int textLength)
    {
        if (textLength > _maxEntryLength || Volatile.Read(ref _count) >= _maxEntries || Interlocked.Read(ref _totalLength) >= _maxTotalLength)
        {
            return false;
        }

        if (_seenOnce.TryRemove(hash, out _))
        {
            return true;
        }

        if (Interlocked.Increment(ref _sightingCount) > MaxSightings)
        {
            _seenOnce.Clear();
            Interlocked.Exchange(ref _sightingCount, 1);
        }

        _seenOnce.TryAdd(hash, true);
        return false;
    }

    /// <summary>Keeps <paramref name="text"/> for entry <paramref name="index"/> of <paramref name="map"/> (a copy of the entry, not the map), when it fits.</summary>
    public void Keep(YamlMap map, int index, int hash, string text)
    {
        if (text.Length > _maxEntryLength)
        {
            return;
        }

        if (Interlocked.Increment(ref _count) > _maxEntries)
        {
            Interlocked.Decrement(ref _count);
            return;
        }

        if (Interlocked.Add(ref _totalLength, text.Length) > _maxTotalLength
            || !_texts.TryAdd(new EntryKey(map.CopyOfEntry(index), 0, hash), text))
        {
            Interlocked.Add(ref _totalLength, -text.Length);
            Interlocked.Decrement(ref _count);
        }
    }

    // An entry of a map by position, with its structural hash computed once. Lookups name the
    // document's own map (no copy); kept keys name a private one-entry copy.
    private readonly record struct EntryKey(YamlMap Map, int Index, int Hash);

    private sealed class EntryKeyComparer : IEqualityComparer<EntryKey>
    {
        public static readonly EntryKeyComparer Instance = new();

        public bool Equals(EntryKey x, EntryKey y) => x.Hash == y.Hash && YamlMap.EntriesEqual(x.Map, x.Index, y.Map, y.Index);

        public int GetHashCode(EntryKey obj) => obj.Hash;
    }
}
