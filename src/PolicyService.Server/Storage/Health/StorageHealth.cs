namespace PolicyService.Server.Storage;

/// <summary>
/// Whether the database is usable, as last seen by a call or the storage watchdog, and when the watchdog last found it
/// usable: readiness is answered from this alone, never by a query of its own. Only a change of state is logged, never
/// each failed call or tick.
/// </summary>
public sealed partial class StorageHealth(ILogger<StorageHealth> logger, TimeProvider? clock = null)
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private string? _fault;
    private long _lastUsableTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>Why the database is not usable, or null when it is.</summary>
    public string? Fault
    {
        get { lock (_gate) return _fault; }
    }

    public bool IsFaulted => Fault is not null;

    /// <summary>How long ago a probe last found the database usable; <see cref="TimeSpan.MaxValue"/> before the first.</summary>
    public TimeSpan SinceLastUsable
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastUsableTicks);
            return ticks == DateTimeOffset.MinValue.UtcTicks ? TimeSpan.MaxValue : _clock.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Records a storage fault; logs it only when the database was healthy (or faulted for another reason).</summary>
    public void Report(string reason, Exception? exception)
    {
        lock (_gate)
        {
            if (_fault == reason) return;
            _fault = reason;
        }
        LogFaulted(logger, exception, reason);
    }

    /// <summary>Records that a probe found the database usable; logs only the transition out of a fault.</summary>
    public void Recovered()
    {
        Interlocked.Exchange(ref _lastUsableTicks, _clock.GetUtcNow().UtcTicks);
        string? previous;
        lock (_gate)
        {
            previous = _fault;
            _fault = null;
        }
        if (previous is not null) LogRecovered(logger, previous);
    }

    /// <summary>The reason readiness shows: the exception's kind and its innermost message, without a stack trace.</summary>
    public static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner == exception ? exception.Message : $"{exception.Message} ({inner.Message})";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage fault; lookups answer from the snapshot, readiness turns NOT_SERVING once it is older than Snapshot:MaxStaleness: {Reason}")]
    private static partial void LogFaulted(ILogger logger, Exception? exception, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage recovered; readiness is SERVING again (was: {Reason}).")]
    private static partial void LogRecovered(ILogger logger, string reason);
}
