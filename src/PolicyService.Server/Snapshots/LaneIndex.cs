using System.Collections.Immutable;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Snapshots;

/// <summary>
/// An index from a key (a lane, a truce term) to the records filed under it, in two layers like <see cref="LayeredMap{TKey, TValue}"/>:
/// a compact base of sorted keys and record positions in <see cref="EncodedRecords{T}"/> (a few bytes per entry), and an
/// overlay of the lanes changed since, holding their records whole (null: emptied).
/// </summary>
public sealed class LaneIndex<TKey, T> where TKey : notnull where T : class, IPolicyRecord
{
    private readonly EncodedRecords<T> _records;
    private readonly TKey[] _keys;
    private readonly int[] _starts;
    private readonly int[] _entries;
    private readonly IComparer<TKey> _order;
    private readonly ImmutableDictionary<TKey, T[]?> _overlay;
    private readonly ImmutableSortedSet<TKey> _overlayKeys;

    private LaneIndex(EncodedRecords<T> records, TKey[] keys, int[] starts, int[] entries, IComparer<TKey> order, ImmutableDictionary<TKey, T[]?> overlay,
        ImmutableSortedSet<TKey>? overlayKeys = null)
    {
        _records = records;
        _keys = keys;
        _starts = starts;
        _entries = entries;
        _order = order;
        _overlay = overlay;
        _overlayKeys = overlayKeys ?? ImmutableSortedSet.Create(order);
    }

    /// <summary>Lanes changed since the base was built.</summary>
    public int OverlayCount => _overlay.Count;

    /// <summary>Bytes of the base's arrays (keys counted at their size in the array), for the snapshot's size report.</summary>
    public long Bytes => (long)_keys.Length * (typeof(TKey).IsValueType ? System.Runtime.CompilerServices.Unsafe.SizeOf<TKey>() : IntPtr.Size)
        + 4L * (_starts.Length + _entries.Length);

    /// <summary>Adds the records filed under the key, in id order.</summary>
    public void AddTo(TKey key, List<T> found)
    {
        if (_overlay.Count != 0 && _overlay.TryGetValue(key, out var changed))
        {
            if (changed is not null) found.AddRange(changed);
            return;
        }
        var lane = Array.BinarySearch(_keys, key, _order);
        if (lane < 0) return;
        for (var i = _starts[lane]; i < _starts[lane + 1]; i++) found.Add(_records[_entries[i]]);
    }

    /// <summary>
    /// Adds the records filed under every key from <paramref name="first"/> to <paramref name="last"/> (both included):
    /// one binary search in the base and one in the overlay's sorted keys, then a walk over the lanes in the range only.
    /// A record filed under several of these lanes is added once per lane.
    /// </summary>
    public void AddRange(TKey first, TKey last, List<T> found)
    {
        var lane = Array.BinarySearch(_keys, first, _order);
        for (lane = lane < 0 ? ~lane : lane; lane < _keys.Length && _order.Compare(_keys[lane], last) <= 0; lane++)
        {
            // A lane changed since the base was built is read from the overlay below.
            if (_overlay.Count != 0 && _overlay.ContainsKey(_keys[lane])) continue;
            for (var i = _starts[lane]; i < _starts[lane + 1]; i++) found.Add(_records[_entries[i]]);
        }
        if (_overlayKeys.Count == 0) return;
        var at = _overlayKeys.IndexOf(first);
        for (at = at < 0 ? ~at : at; at < _overlayKeys.Count && _order.Compare(_overlayKeys[at], last) <= 0; at++)
        {
            if (_overlay[_overlayKeys[at]] is { } changed) found.AddRange(changed);
        }
    }

    /// <summary>The records filed under the key, in id order.</summary>
    public List<T> Lane(TKey key)
    {
        var found = new List<T>();
        AddTo(key, found);
        return found;
    }

    /// <summary>A new index with these lanes replaced (null or empty: the lane is emptied).</summary>
    public LaneIndex<TKey, T> With(IEnumerable<KeyValuePair<TKey, T[]?>> lanes)
    {
        var changed = lanes.ToList();
        return new(_records, _keys, _starts, _entries, _order, _overlay.SetItems(changed), _overlayKeys.Union(changed.Select(l => l.Key)));
    }

    /// <summary>Writes the base to a snapshot file (the overlay is empty right after a build).</summary>
    public void Write(SnapshotFile.Writer file, Action<SnapshotFile.Writer, TKey[]> writeKeys)
    {
        if (_overlay.Count != 0) throw new InvalidOperationException("Only a compacted index is written to a snapshot file.");
        writeKeys(file, _keys);
        file.Numbers<int>(_starts);
        file.Numbers<int>(_entries);
    }

    /// <summary>Reads a base written by <see cref="Write"/>.</summary>
    public LaneIndex(SnapshotFile.Reader file, EncodedRecords<T> records, Func<SnapshotFile.Reader, TKey[]> readKeys, IComparer<TKey> order)
        : this(records, readKeys(file), file.Numbers<int>(), file.Numbers<int>(), order, ImmutableDictionary<TKey, T[]?>.Empty)
    {
    }

    /// <summary>Collects (key, position) pairs as records are added, then sorts them into a base.</summary>
    public sealed class Builder(IComparer<TKey> order)
    {
        private readonly ChunkedList<TKey> _keys = new();
        private readonly ChunkedList<int> _positions = new();

        public void File(TKey key, int position)
        {
            _keys.Add(key);
            _positions.Add(position);
        }

        /// <param name="records">The records the positions refer to.</param>
        /// <param name="moved">Where each added position ended up, when the records had to be put in id order.</param>
        public LaneIndex<TKey, T> Build(EncodedRecords<T> records, int[]? moved)
        {
            var keys = _keys.ToArrayAndClear();
            var positions = _positions.ToArrayAndClear();
            if (moved is not null)
            {
                for (var i = 0; i < positions.Length; i++) positions[i] = moved[positions[i]];
            }
            Array.Sort(keys, positions, order);
            // Lanes are folded in place: the distinct keys to the front of keys, their entries to the front of positions.
            var starts = new ChunkedList<int>();
            int lanes = 0, entries = 0;
            for (var i = 0; i < keys.Length;)
            {
                var end = i + 1;
                while (end < keys.Length && order.Compare(keys[end], keys[i]) == 0) end++;
                // Within a lane, records in id order (= position order), each once.
                Array.Sort(positions, i, end - i);
                keys[lanes++] = keys[i];
                starts.Add(entries);
                for (var k = i; k < end; k++)
                {
                    if (k == i || positions[k] != positions[k - 1]) positions[entries++] = positions[k];
                }
                i = end;
            }
            starts.Add(entries);
            // Shrunk only when lanes were shared: a copy of millions of keys is what sets a build's peak memory.
            if (lanes < keys.Length) Array.Resize(ref keys, lanes);
            if (entries < positions.Length) Array.Resize(ref positions, entries);
            return new LaneIndex<TKey, T>(records, keys, starts.ToArrayAndClear(), positions, order, ImmutableDictionary<TKey, T[]?>.Empty);
        }
    }
}
