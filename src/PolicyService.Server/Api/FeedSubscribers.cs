using PolicyService.Server.Domain;

namespace PolicyService.Server.Api;

/// <summary>Counts open WatchChanges streams per caller and in all, and refuses one over either cap.</summary>
public sealed class FeedSubscribers(ChangeFeedOptions options)
{
    private readonly Dictionary<string, int> _byCaller = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Takes a place for the caller until the returned handle is disposed; throws when a cap is reached.</summary>
    public IDisposable Enter(string caller)
    {
        lock (_byCaller)
        {
            if (_total >= options.MaxSubscribers) throw new TooManySubscribersException("ChangeFeed:MaxSubscribers", options.MaxSubscribers);
            var mine = _byCaller.GetValueOrDefault(caller);
            if (mine >= options.MaxSubscribersPerCaller) throw new TooManySubscribersException("ChangeFeed:MaxSubscribersPerCaller", options.MaxSubscribersPerCaller);
            _byCaller[caller] = mine + 1;
            _total++;
        }
        return new Place(this, caller);
    }

    private void Leave(string caller)
    {
        lock (_byCaller)
        {
            _total--;
            if (--_byCaller[caller] == 0) _byCaller.Remove(caller);
        }
    }

    private sealed class Place(FeedSubscribers owner, string caller) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) owner.Leave(caller);
        }
    }
}
