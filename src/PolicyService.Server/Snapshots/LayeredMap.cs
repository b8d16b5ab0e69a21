using System.Collections.Immutable;

namespace PolicyService.Server.Snapshots;

/// <summary>
/// An immutable map in two layers: a compact base built once, and an overlay of the keys changed since (null: removed).
/// A change copies only the entries it touches (the overlay shares the rest), so applying it costs what it touches;
/// <see cref="Compacted"/> folds the overlay into a new base once it has grown.
/// </summary>
public sealed class LayeredMap<TKey, TValue> where TKey : notnull where TValue : class
{
    private readonly Dictionary<TKey, TValue> _base;
    private readonly ImmutableDictionary<TKey, TValue?> _overlay;

    private LayeredMap(Dictionary<TKey, TValue> @base, ImmutableDictionary<TKey, TValue?> overlay)
    {
        _base = @base;
        _overlay = overlay;
    }

    /// <summary>A map over these entries, which it owns from now on.</summary>
    public LayeredMap(Dictionary<TKey, TValue> entries)
        : this(entries, ImmutableDictionary<TKey, TValue?>.Empty.WithComparers(entries.Comparer))
    {
        entries.TrimExcess();
    }

    /// <summary>Keys changed since the base was built.</summary>
    public int OverlayCount => _overlay.Count;

    public int BaseCount => _base.Count;

    public TValue? this[TKey key] => _overlay.Count != 0 && _overlay.TryGetValue(key, out var changed) ? changed : _base.GetValueOrDefault(key);

    /// <summary>A new map with these keys set (a null value removes the key).</summary>
    public LayeredMap<TKey, TValue> With(IEnumerable<KeyValuePair<TKey, TValue?>> changed) => new(_base, _overlay.SetItems(changed));

    /// <summary>The same entries in one base with an empty overlay: O(size), for the refresher, never for a request.</summary>
    public LayeredMap<TKey, TValue> Compacted()
    {
        var merged = new Dictionary<TKey, TValue>(_base, _base.Comparer);
        foreach (var (key, value) in _overlay)
        {
            if (value is null) merged.Remove(key);
            else merged[key] = value;
        }
        return new LayeredMap<TKey, TValue>(merged);
    }
}
