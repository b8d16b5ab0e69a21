using System.Collections.Immutable;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Snapshots;

/// <summary>Records by id: the compact base, and an overlay of the records changed since (held whole).</summary>
public sealed class RecordTable<T> where T : class, IPolicyRecord
{
    private readonly ImmutableDictionary<string, T> _overlay;

    public RecordTable(EncodedRecords<T> @base)
        : this(@base, ImmutableDictionary<string, T>.Empty.WithComparers(StringComparer.Ordinal))
    {
    }

    private RecordTable(EncodedRecords<T> @base, ImmutableDictionary<string, T> overlay)
    {
        Base = @base;
        _overlay = overlay;
    }

    public EncodedRecords<T> Base { get; }

    public int OverlayCount => _overlay.Count;

    public T? this[string id]
    {
        get
        {
            if (_overlay.Count != 0 && _overlay.TryGetValue(id, out var changed)) return changed;
            var index = Base.IndexOf(id);
            return index < 0 ? null : Base[index];
        }
    }

    public RecordTable<T> With(IEnumerable<T> changed) => new(Base, _overlay.SetItems(changed.Select(r => KeyValuePair.Create(r.Id, r))));

    /// <summary>Every record, in ordinal id order: the base merged with the overlay (a record is never removed, only replaced).</summary>
    public IEnumerable<T> All()
    {
        var changed = _overlay.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var next = 0;
        for (var i = 0; i < Base.Count; i++)
        {
            var record = Base[i];
            while (next < changed.Count && string.CompareOrdinal(changed[next].Id, record.Id) < 0) yield return changed[next++];
            if (next < changed.Count && changed[next].Id == record.Id) yield return changed[next++];
            else yield return record;
        }
        while (next < changed.Count) yield return changed[next++];
    }
}
