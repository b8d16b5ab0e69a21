namespace PolicyService.Server.Snapshots;

/// <summary>
/// An append-only list in fixed chunks: growing it never copies or leaves a doubled array behind on the large object
/// heap, which is what a list of millions does while a snapshot is built (and what sets the process's peak memory).
/// </summary>
public sealed class ChunkedList<T>
{
    private const int ChunkLength = 1 << 12; // small enough (≤ 64 KB for 16-byte items) to stay off the large object heap
    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public void Add(T item)
    {
        var at = Count & (ChunkLength - 1);
        if (at == 0) _chunks.Add(new T[ChunkLength]);
        _chunks[^1][at] = item;
        Count++;
    }

    /// <summary>The items in one array of exactly their count; the chunks are released.</summary>
    public T[] ToArrayAndClear()
    {
        var all = new T[Count];
        for (var i = 0; i < _chunks.Count; i++)
        {
            var length = Math.Min(ChunkLength, Count - i * ChunkLength);
            Array.Copy(_chunks[i], 0, all, i * ChunkLength, length);
            _chunks[i] = null!;
        }
        _chunks.Clear();
        Count = 0;
        return all;
    }
}
