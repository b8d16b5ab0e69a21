namespace PolicyService.Server.Snapshots;

/// <summary>
/// The snapshot this process answers from, replaced whole by its one refresher, and when the refresher last confirmed
/// that the database held nothing newer (how old answers may be while the database is out of reach).
/// </summary>
public sealed class LiveSnapshot(TimeProvider clock)
{
    private volatile PolicySnapshot? _current;
    private long _confirmedTicks;
    private TaskCompletionSource _published = NewSignal();

    /// <summary>Null until the first snapshot is built.</summary>
    public PolicySnapshot? Current => _current;

    /// <summary>When the snapshot was last known to be current; <see cref="DateTimeOffset.MinValue"/> before the first.</summary>
    public DateTimeOffset ConfirmedAt => new(Interlocked.Read(ref _confirmedTicks), TimeSpan.Zero);

    /// <summary>How long ago the snapshot was last known to be current.</summary>
    public TimeSpan Age => _current is null ? TimeSpan.MaxValue : clock.GetUtcNow() - ConfirmedAt;

    /// <summary>Completes at the next publication: lets waiters and the change feed wake without polling.</summary>
    public Task Published => Volatile.Read(ref _published).Task;

    public void Publish(PolicySnapshot snapshot)
    {
        _current = snapshot;
        Confirm();
        Interlocked.Exchange(ref _published, NewSignal()).TrySetResult();
    }

    /// <summary>Records that the database had nothing newer than the current snapshot just now.</summary>
    public void Confirm() => Interlocked.Exchange(ref _confirmedTicks, clock.GetUtcNow().UtcTicks);

    /// <summary>Waits until the snapshot reflects change <paramref name="position"/>; false when it did not within the timeout.</summary>
    public async Task<bool> WaitForAsync(long position, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var published = Published;
                if (_current is { } s && s.Position >= position) return true;
                await published.WaitAsync(limit.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
