namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// A path-ordered map that the JSON serializer creates with the ordinal comparer. Deserializing into
/// a plain <see cref="SortedDictionary{TKey, TValue}"/> builds it with the culture's comparer, and at
/// 70,000 files those comparisons were a fifth of an unchanged re-scaffold's CPU; the serializer's own
/// converter still streams the object (no buffer of the whole manifest).
/// </summary>
internal sealed class OrdinalPathMap : SortedDictionary<string, string>
{
    /// <summary>An empty map.</summary>
    public OrdinalPathMap()
        : base(StringComparer.Ordinal)
    {
    }

    /// <summary>A copy of <paramref name="entries"/>.</summary>
    public OrdinalPathMap(IDictionary<string, string> entries)
        : base(entries, StringComparer.Ordinal)
    {
    }
}
