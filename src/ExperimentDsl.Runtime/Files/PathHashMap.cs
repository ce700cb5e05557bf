using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// Relative path -> SHA-256, enumerated in ordinal path order (the manifest's and the stamp cache's
/// order). A hash table with the order kept beside it: a sorted tree costs a search per insert and
/// lookup, and at 70,000 files its generic code, which no ahead-of-time image of the framework holds,
/// ran unoptimised for a fifth of a second in every process that read the manifest. Paths added in
/// order (a manifest being read) keep the order as they come; otherwise it is sorted once, when the
/// map is next enumerated.
/// </summary>
public sealed class PathHashMap : IDictionary<string, string>, IReadOnlyDictionary<string, string>
{
    private readonly Dictionary<string, string> _hashes;
    private readonly List<string> _order;
    private bool _sorted = true;

    /// <summary>An empty map.</summary>
    public PathHashMap()
    {
        _hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        _order = [];
    }

    /// <summary>A copy of <paramref name="entries"/>.</summary>
    public PathHashMap(IEnumerable<KeyValuePair<string, string>> entries)
        : this()
    {
        foreach ((string path, string hash) in entries)
        {
            this[path] = hash;
        }
    }

    /// <summary>
    /// A copy of <paramref name="other"/>, made without enumerating it: its order is sorted only if
    /// the copy is enumerated (an unchanged re-scaffold compares its next manifest with the previous
    /// one and never writes it, so 70,000 paths need not be sorted for that).
    /// </summary>
    public PathHashMap(PathHashMap other)
    {
        ArgumentNullException.ThrowIfNull(other);
        lock (other._order)
        {
            _hashes = new Dictionary<string, string>(other._hashes, StringComparer.Ordinal);
            _order = [.. other._order];
            _sorted = other._sorted;
        }
    }

    /// <summary>The comparer of paths: ordinal, for lookups and for the order.</summary>
    public static StringComparer Comparer => StringComparer.Ordinal;

    /// <inheritdoc/>
    public int Count => _hashes.Count;

    /// <inheritdoc/>
    public bool IsReadOnly => false;

    /// <summary>The paths, in ordinal order.</summary>
    public IReadOnlyList<string> Keys => Ordered();

    /// <summary>The hashes, in the order of their paths.</summary>
    public IReadOnlyList<string> Values => Ordered().Select(path => _hashes[path]).ToList();

    ICollection<string> IDictionary<string, string>.Keys => [.. Ordered()];

    ICollection<string> IDictionary<string, string>.Values => [.. Values];

    IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => Ordered();

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => Values;

    /// <inheritdoc/>
    public string this[string key]
    {
        get => _hashes[key];
        set
        {
            if (_hashes.TryAdd(key, value))
            {
                _sorted = _sorted && (_order.Count == 0 || string.CompareOrdinal(_order[^1], key) < 0);
                _order.Add(key);
            }
            else
            {
                _hashes[key] = value;
            }
        }
    }

    /// <inheritdoc/>
    public void Add(string key, string value)
    {
        if (_hashes.ContainsKey(key))
        {
            throw new ArgumentException($"'{key}' is already in the map", nameof(key));
        }

        this[key] = value;
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _hashes.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _hashes.TryGetValue(key, out value);

    /// <inheritdoc/>
    public bool Remove(string key)
    {
        if (!_hashes.Remove(key))
        {
            return false;
        }

        _order.RemoveAt(_sorted ? _order.BinarySearch(key, StringComparer.Ordinal) : _order.IndexOf(key));
        return true;
    }

    /// <inheritdoc/>
    public void Clear()
    {
        _hashes.Clear();
        _order.Clear();
        _sorted = true;
    }

    /// <summary>The entries, in ordinal path order.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        foreach (string path in Ordered())
        {
            yield return new KeyValuePair<string, string>(path, _hashes[path]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<string, string>>.Add(KeyValuePair<string, string> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, string>>.Contains(KeyValuePair<string, string> item) =>
        _hashes.TryGetValue(item.Key, out string? hash) && string.Equals(hash, item.Value, StringComparison.Ordinal);

    void ICollection<KeyValuePair<string, string>>.CopyTo(KeyValuePair<string, string>[] array, int arrayIndex)
    {
        foreach (KeyValuePair<string, string> entry in this)
        {
            array[arrayIndex++] = entry;
        }
    }

    bool ICollection<KeyValuePair<string, string>>.Remove(KeyValuePair<string, string> item) =>
        ((ICollection<KeyValuePair<string, string>>)this).Contains(item) && Remove(item.Key);

    /// <summary>Whether both maps hold the same paths with the same hashes (ordinal comparisons).</summary>
    public bool SameAs(PathHashMap other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        foreach ((string path, string hash) in _hashes)
        {
            if (!other._hashes.TryGetValue(path, out string? theirs) || !string.Equals(hash, theirs, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    // Readers may share a map between threads (as they could a sorted tree), so the one sort that a
    // read can cause is made under a lock.
    private List<string> Ordered()
    {
        if (!Volatile.Read(ref _sorted))
        {
            lock (_order)
            {
                if (!_sorted)
                {
                    _order.Sort(StringComparer.Ordinal);
                    Volatile.Write(ref _sorted, true);
                }
            }
        }

        return _order;
    }
}
