using System.Diagnostics;
using PolicyService.Server.Domain;
using PolicyService.Server.Snapshots;

namespace PolicyService.Server.Storage;

/// <summary>
/// The one reader of the change log in this process: builds the snapshot at start, then applies each commit (of any
/// process) by reading the current versions of the records it touched, and hands the changes to the change feed.
/// A write of this process waits in <see cref="CatchUpAsync"/> until its own commit is applied.
/// </summary>
public sealed partial class SnapshotRefresher(PolicyStore db, LiveSnapshot live, ChangeLogTail tail, ReferenceCatalog catalog,
    StorageHealth health, SnapshotOptions options, ILogger<SnapshotRefresher> logger) : BackgroundService
{
    private const int ChangeBatch = 1000;
    private const int LoadPage = 5000;
    private readonly SemaphoreSlim _poke = new(0, 1);
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (live.Current is null) await LoadAsync(stoppingToken);
                else await RefreshAsync(stoppingToken);
                if (_failing) LogRecovered(logger);
                _failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The storage watchdog (StorageWatchdog) reports the fault; lookups go on from the snapshot meanwhile.
                if (!_failing) LogFailing(logger, e, live.Current?.Position ?? 0);
                _failing = true;
            }
            try
            {
                await _poke.WaitAsync(options.RefreshInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Returns once the snapshot shows change <paramref name="position"/> (a commit of this process), or after Snapshot:WriteVisibleWait.</summary>
    public async Task CatchUpAsync(long position, CancellationToken ct)
    {
        // Before the first snapshot (the seed at start-up) there is nothing to keep current: the first load reads it all.
        if (live.Current is not { } current || current.Position >= position) return;
        Poke();
        await live.WaitForAsync(position, options.WriteVisibleWait, ct);
    }

    private void Poke()
    {
        try
        {
            if (_poke.CurrentCount == 0) _poke.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already poked.
        }
    }

    /// <summary>Builds the snapshot from every current version; the change log is read from the position taken first.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var position = await db.LatestChangeAsync(ct);
        // Each record is encoded as it streams in, so only the compact form is ever held.
        var builder = new PolicySnapshot.Builder();
        await db.ReadAllCurrentTariffMeasuresAsync(builder.Add, ct);
        await db.ReadAllCurrentExportControlsAsync(builder.Add, ct);
        var truces = await ReadAllAsync((after, take) => db.ListTrucesAsync(new TruceFilter(null, null), after, take, DateTime.MaxValue, ct));
        var snapshot = builder.Build(truces, position);
        await catalog.ReloadAsync(ct);
        tail.Reset(position);
        live.Publish(snapshot);
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogLoaded(logger, builder.Measures, builder.Controls, truces.Count, position, elapsed.TotalMilliseconds, snapshot.BaseBytes / 1048576.0);
    }

    private static async Task<List<T>> ReadAllAsync<T>(Func<string, int, Task<IReadOnlyList<T>>> page) where T : IPolicyRecord
    {
        var all = new List<T>();
        var after = string.Empty;
        while (true)
        {
            var records = await page(after, LoadPage);
            all.AddRange(records);
            if (records.Count < LoadPage) return all;
            after = records[^1].Id;
        }
    }

    /// <summary>Applies the changes committed after the snapshot's position, a batch at a time, publishing after each.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        while (live.Current is { } snapshot)
        {
            var changes = await db.ChangesAfterAsync(snapshot.Position, ChangeBatch, ct);
            if (changes.Count == 0)
            {
                // A connection opened before a fault may still read a database file that has since been moved or replaced.
                if (!health.IsFaulted) live.Confirm();
                return;
            }
            if (changes.Count == ChangeBatch && await db.LatestChangeAsync(ct) - snapshot.Position > options.RebuildThreshold)
            {
                // A bulk import of a large part of the data: reading it all again costs less than applying it piecemeal.
                await LoadAsync(ct);
                return;
            }
            var started = Stopwatch.GetTimestamp();
            var current = await db.CurrentVersionsChangedAsync(snapshot.Position, changes[^1].Seq, ct);
            var next = snapshot.With(current, changes[^1].Seq);
            if (next.OverlayCount > Math.Max(50_000, next.TariffMeasureBound / 4)) next = next.Compacted();
            await catalog.ReloadAsync(ct);
            tail.Append(changes);
            live.Publish(next);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Observability.PolicyTelemetry.RecordSnapshotApply(elapsed, changes.Count);
            LogApplied(logger, changes.Count, next.Position, elapsed.TotalMilliseconds);
            if (changes.Count < ChangeBatch) return;
        }
    }

    public override void Dispose()
    {
        _poke.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot built: {Measures} tariff measures, {Controls} export controls, {Truces} truces at change {Position} in {Milliseconds:F0} ms; {MiB:F1} MiB of compact records and indexes.")]
    private static partial void LogLoaded(ILogger logger, int measures, int controls, int truces, long position, double milliseconds, double miB);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Snapshot: applied {Changes} changes, now at change {Position}, in {Milliseconds:F3} ms.")]
    private static partial void LogApplied(ILogger logger, int changes, long position, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The snapshot cannot be refreshed; lookups answer from change {Position} until the database answers again.")]
    private static partial void LogFailing(ILogger logger, Exception exception, long position);

    [LoggerMessage(Level = LogLevel.Information, Message = "The snapshot is being refreshed again.")]
    private static partial void LogRecovered(ILogger logger);
}
