namespace PolicyService.Server.Storage;

/// <summary>
/// The latest changes the snapshot refresher has read, so that change-feed subscribers that keep up are served from
/// memory and the database is polled once per process, not once per subscriber. Those further behind read the database.
/// </summary>
public sealed class ChangeLogTail(int capacity = 8192)
{
    private readonly Lock _gate = new();
    private readonly Queue<ChangeEntry> _entries = new();
    private long _heldAfter = long.MaxValue;

    /// <summary>Starts over: every change after <paramref name="position"/> will be appended.</summary>
    public void Reset(long position)
    {
        lock (_gate)
        {
            _entries.Clear();
            _heldAfter = position;
        }
    }

    public void Append(IEnumerable<ChangeEntry> changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                _entries.Enqueue(change);
                if (_entries.Count > capacity) _heldAfter = _entries.Dequeue().Seq;
            }
        }
    }

    /// <summary>Up to <paramref name="take"/> changes after <paramref name="after"/>, or null when the tail no longer (or not yet) holds them all.</summary>
    public IReadOnlyList<ChangeEntry>? After(long after, int take)
    {
        lock (_gate)
        {
            if (after < _heldAfter) return null;
            return [.. _entries.Where(e => e.Seq > after).Take(take)];
        }
    }
}
