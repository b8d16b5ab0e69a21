using PolicyService.Server.Domain;

namespace PolicyService.Server.Snapshots;

/// <summary>
/// The records of a snapshot's base in their compact form (<see cref="RecordCodec"/>), in ordinal id order, so that a
/// record is found by binary search and an index refers to it by position. A record is decoded when a lookup needs it;
/// a small cache keeps the records lookups ask for again and again decoded.
/// </summary>
public sealed class EncodedRecords<T> where T : class, IPolicyRecord
{
    // Per kind: 16,384 left a 1M-measure lookup mix paying a read and a decode on most candidates (50 against 39 µs of
    // CPU per lookup, bench/results); 65,536 decoded records stay within the memory target.
    private const int CacheSize = 1 << 16;
    private readonly StringPool _pool;
    private readonly RecordBytes _bytes;
    private readonly int[] _locations;
    private readonly Decoder _decode;
    private readonly CacheEntry?[] _cache = new CacheEntry?[CacheSize];

    public delegate T Decoder(ref RecordReader reader);

    public EncodedRecords(StringPool pool, RecordBytes bytes, int[] locations, Decoder decode)
    {
        _pool = pool;
        _bytes = bytes;
        _locations = locations;
        _decode = decode;
    }

    public int Count => _locations.Length;

    /// <summary>Where each record starts, by position: what a snapshot file stores beside the records.</summary>
    public ReadOnlySpan<int> Locations => _locations;

    /// <summary>Where the records are held (shared by the measures and controls of one build).</summary>
    public RecordBytes Storage => _bytes;

    /// <summary>Heap bytes of the positions (the records themselves: <see cref="RecordBytes.HeapBytes"/>).</summary>
    public long Bytes => 4L * _locations.Length;

    public T this[int index]
    {
        get
        {
            var slot = index & (CacheSize - 1);
            if (Volatile.Read(ref _cache[slot]) is { } hit && hit.Index == index) return hit.Record;
            var reader = new RecordReader(Encoded(index), _pool);
            var record = _decode(ref reader);
            // Readers race on a slot harmlessly: each entry is immutable and correct for its index.
            Volatile.Write(ref _cache[slot], new CacheEntry(index, record));
            GC.KeepAlive(this); // keeps a snapshot file open until its bytes are decoded
            return record;
        }
    }

    /// <summary>The position of the record with this id, or -1.</summary>
    public int IndexOf(string id)
    {
        int lo = 0, hi = _locations.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + (hi - lo) / 2;
            var order = string.CompareOrdinal(RecordCodec.ReadId(Encoded(mid), _pool), id);
            if (order == 0)
            {
                GC.KeepAlive(this);
                return mid;
            }
            if (order < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    private ReadOnlySpan<byte> Encoded(int index) => _bytes.From(_locations[index]);

    private sealed record CacheEntry(int Index, T Record);

    /// <summary>Appends records one at a time; a record is held only in its compact form from then on.</summary>
    public sealed class Builder(RecordWriter writer, RecordSink sink, Action<RecordWriter, T> encode, Decoder decode)
    {
        private readonly ChunkedList<int> _locations = new();
        private string? _lastId;
        private bool _ordered = true;

        public int Count => _locations.Count;

        /// <summary>Encodes the record and returns its position (final unless the records came out of id order).</summary>
        public int Add(T record)
        {
            if (_lastId is not null && string.CompareOrdinal(_lastId, record.Id) >= 0) _ordered = false;
            _lastId = record.Id;
            writer.Reset();
            encode(writer, record);
            _locations.Add(sink.Append(writer.Written));
            return _locations.Count - 1;
        }

        /// <summary>The records, read from these bytes, and where each added position ended up (null when they came in id order, as the database reads them).</summary>
        public (EncodedRecords<T> Records, int[]? Moved) Build(RecordBytes bytes)
        {
            var records = new EncodedRecords<T>(writer.Pool, bytes, _locations.ToArrayAndClear(), decode);
            if (_ordered) return (records, null);
            var ids = Enumerable.Range(0, records.Count).Select(i => RecordCodec.ReadId(records.Encoded(i), writer.Pool)).ToArray();
            var order = Enumerable.Range(0, ids.Length).ToArray();
            Array.Sort(ids, order, StringComparer.Ordinal);
            var moved = new int[order.Length];
            var locations = new int[order.Length];
            for (var i = 0; i < order.Length; i++)
            {
                moved[order[i]] = i;
                locations[i] = records._locations[order[i]];
            }
            return (new EncodedRecords<T>(writer.Pool, bytes, locations, decode), moved);
        }
    }
}
