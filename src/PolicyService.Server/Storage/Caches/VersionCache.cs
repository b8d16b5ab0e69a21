using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;

namespace PolicyService.Server.Storage;

/// <summary>
/// Parsed record versions keyed by (id, version). A stored version never changes — every change appends a new
/// version — so a cached copy is never stale, in this process or any other replica: the database still decides, on
/// every lookup, which versions are the candidates (as known at the request's instant); the cache only saves turning
/// their rows into records again. Bounded: two generations of at most <c>capacity</c> entries; when the current one
/// fills up it becomes the previous one and the older is dropped, and a hit in the previous generation is carried over,
/// so the versions lookups keep asking for stay while the rest age out.
/// </summary>
public sealed class VersionCache<T>(int capacity) where T : class
{
    private readonly Lock _gate = new();
    private ConcurrentDictionary<(string Id, int Version), T> _current = new();
    private ConcurrentDictionary<(string Id, int Version), T> _previous = new();
    private int _currentCount;

    public int Capacity => capacity;

    /// <summary>Entries held now (both generations; at most twice the capacity).</summary>
    public int Count => _current.Count + _previous.Count;

    public bool TryGet(string id, int version, out T value)
    {
        var key = (id, version);
        if (_current.TryGetValue(key, out value!)) return true;
        if (!_previous.TryGetValue(key, out value!)) return false;
        Add(id, version, value);
        return true;
    }

    public void Add(string id, int version, T value)
    {
        if (Volatile.Read(ref _currentCount) >= capacity)
        {
            lock (_gate)
            {
                if (_currentCount >= capacity)
                {
                    _previous = _current;
                    _current = new();
                    _currentCount = 0;
                }
            }
        }
        if (_current.TryAdd((id, version), value)) Interlocked.Increment(ref _currentCount);
    }
}

/// <summary>Reads grouped record rows (ordered by id, then child sequence; one version per id), parsing only the versions the cache lacks.</summary>
internal static class CachedRows
{
    /// <param name="parse">Turns the rows of one version into the record.</param>
    /// <remarks>Columns 0 and 1 of every row are the record's id and version.</remarks>
    public static async Task<List<TRecord>> ReadAsync<TRow, TRecord>(DbDataReader reader, VersionCache<TRecord> cache,
        Func<List<TRow>, TRecord> parse, CancellationToken ct) where TRecord : class
    {
        var records = new List<TRecord>();
        Func<DbDataReader, TRow>? parser = null;
        List<TRow>? rows = null;
        string? id = null;
        var version = 0;

        void Flush()
        {
            if (rows is null) return;
            var record = parse(rows);
            cache.Add(id!, version, record);
            records.Add(record);
            rows = null;
        }

        while (await reader.ReadAsync(ct))
        {
            var rowId = reader.GetString(0);
            var rowVersion = reader.GetInt32(1);
            if (rowVersion != version || !string.Equals(rowId, id, StringComparison.Ordinal))
            {
                Flush();
                id = rowId;
                version = rowVersion;
                if (cache.TryGet(id, version, out var cached))
                {
                    records.Add(cached);
                    continue;
                }
                rows = [];
            }
            if (rows is null) continue; // a further row of a cached version
            parser ??= reader.GetRowParser<TRow>();
            rows.Add(parser(reader));
        }
        Flush();
        return records;
    }
}
