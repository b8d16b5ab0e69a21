using System.Diagnostics;
using PolicyService.Server.Domain;
using PolicyService.Server.Snapshots;

namespace PolicyService.Server.Storage;

/// <summary>
/// The one reader of the change log in this process: builds the snapshot at start, then applies each commit (of any
/// process) by reading the current versions of the records it touched, and hands the changes to the change feed.
/// A write of this process waits in <see cref="CatchUpAsync"/> until its own commit is applied. Each poll reads from the
/// entry at the snapshot's position, so a log that no longer holds that entry as applied (an older backup restored, the
/// database replaced) is seen in the same round trip and the snapshot is rebuilt from the database.
/// </summary>
public sealed partial class SnapshotRefresher(PolicyStore db, LiveSnapshot live, ChangeLogTail tail, ReferenceCatalog catalog,
    StorageHealth health, SnapshotOptions options, ILogger<SnapshotRefresher> logger) : BackgroundService
{
    private const int ChangeBatch = 1000;
    private const int LoadPage = 5000;
    private readonly SemaphoreSlim _poke = new(0, 1);
    private readonly (string Directory, string Prefix)? _files = FilesFor(options, db.DatabaseFile);
    private bool _failing;
    private bool _filesFailed;
    // The change log entry at the snapshot's position as it was applied (null at position 0): a log that no longer
    // shows it there went backwards or was replaced (a restored backup), and the snapshot is rebuilt.
    private SnapshotStamp? _applied;

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

    /// <summary>Where the first snapshot came from: "file" (read from a snapshot file), "database", or "" before it is in.</summary>
    public string LoadedFrom { get; private set; } = "";

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

    /// <summary>
    /// Makes the first snapshot: read from the last snapshot file when it matches the database (the change log is read
    /// on from its position), else built from every current version, the change log then read from the position taken first.
    /// </summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        if (await TryMapFileAsync(ct) is { } fromFile)
        {
            // Caught up before it is published: the first snapshot of a process is never older than the database it started on.
            var caughtUp = await WithBacklogAsync(fromFile, ct);
            await catalog.ReloadAsync(ct);
            tail.Reset(caughtUp.Position);
            live.Publish(caughtUp);
            LoadedFrom = "file";
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogFromFile(logger, caughtUp.Position, elapsed.TotalMilliseconds);
            return;
        }
        await BuildAsync(ct);
    }

    /// <summary>Builds the snapshot from every current version, writing a snapshot file as it goes when there is a place for one.</summary>
    private async Task BuildAsync(CancellationToken ct)
    {
        try
        {
            await BuildOnceAsync(ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && _files is { } files && !_filesFailed)
        {
            // The file failed part-way (a full disk): lookups do not need it, so build again without one.
            _filesFailed = true;
            LogFileUnwritable(logger, e, files.Directory);
            await BuildOnceAsync(ct);
        }
    }

    private async Task BuildOnceAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var position = await db.LatestChangeAsync(ct);
        var at = position == 0 ? null : await EntryAtAsync(position, ct);
        using var file = NewFile(at);
        // Each record is encoded as it streams in (to the file, when there is one), so only the compact form is ever held.
        var builder = new PolicySnapshot.Builder(file);
        await db.ReadAllCurrentTariffMeasuresAsync(builder.Add, ct);
        await db.ReadAllCurrentExportControlsAsync(builder.Add, ct);
        var truces = await ReadAllAsync((after, take) => db.ListTrucesAsync(new TruceFilter(null, null), after, take, DateTime.MaxValue, ct));
        // The rows read are garbage now: collected before the indexes are sorted, they do not add to the build's peak.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var snapshot = builder.Build(truces, position);
        await catalog.ReloadAsync(ct);
        tail.Reset(position);
        _applied = at is null ? null : Stamp(at);
        live.Publish(snapshot);
        LoadedFrom = "database";
        if (file is not null) RemoveFilesBefore(position);
        // A full build leaves its garbage (rows read, the snapshot replaced) in a heap sized for it: hand that back to the OS.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var heapMiB = snapshot.BaseBytes / 1048576.0;
        LogLoaded(logger, builder.Measures, builder.Controls, truces.Count, position, elapsed.TotalMilliseconds, heapMiB,
            file is null ? "kept in memory" : "written to a snapshot file");
    }

    /// <summary>The snapshot with every change the log holds after its position applied, unpublished.</summary>
    private async Task<PolicySnapshot> WithBacklogAsync(PolicySnapshot snapshot, CancellationToken ct)
    {
        while (await db.ChangesAfterAsync(snapshot.Position, ChangeBatch, ct) is { Count: > 0 } changes)
        {
            snapshot = snapshot.With(await db.CurrentVersionsChangedAsync(snapshot.Position, changes[^1].Seq, ct), changes[^1].Seq);
            _applied = Stamp(changes[^1]);
        }
        return snapshot;
    }

    private async Task<ChangeEntry?> EntryAtAsync(long position, CancellationToken ct) =>
        await db.ChangesAfterAsync(position - 1, 1, ct) is [var entry] && entry.Seq == position ? entry : null;

    private static SnapshotStamp Stamp(ChangeEntry entry) => new(entry.Seq, entry.RecordedTime.Ticks, entry.ResourceType, entry.ResourceId, entry.Version);

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
            // Read from the applied entry itself, so that the same round trip shows whether the log still holds it.
            var read = await db.ChangesAfterAsync(Math.Max(0, snapshot.Position - 1), ChangeBatch + 1, ct);
            // A snapshot built where the log had no entry at its position (a gap) takes the entry it finds there now.
            if (_applied is null && read is [var first, ..] && first.Seq == snapshot.Position) _applied = Stamp(first);
            if (snapshot.Position > 0 && (read.Count == 0 || read[0].Seq != snapshot.Position || Stamp(read[0]) != _applied))
            {
                LogRewound(logger, snapshot.Position, read.Count == 0 ? 0 : read[^1].Seq);
                Observability.PolicyTelemetry.RecordSnapshotRebuild("change_log_rewound");
                await BuildAsync(ct);
                return;
            }
            var changes = snapshot.Position > 0 ? read.Skip(1).ToList() : read.Take(ChangeBatch).ToList();
            if (changes.Count == 0)
            {
                // A connection opened before a fault may still read a database file that has since been moved or replaced.
                if (!health.IsFaulted) live.Confirm();
                return;
            }
            if (changes.Count == ChangeBatch && await db.LatestChangeAsync(ct) - snapshot.Position > options.RebuildThreshold)
            {
                // A bulk import of a large part of the data: reading it all again costs less than applying it piecemeal.
                Observability.PolicyTelemetry.RecordSnapshotRebuild("bulk_import");
                await BuildAsync(ct);
                return;
            }
            var started = Stopwatch.GetTimestamp();
            var current = await db.CurrentVersionsChangedAsync(snapshot.Position, changes[^1].Seq, ct);
            var next = snapshot.With(current, changes[^1].Seq);
            if (next.OverlayCount > Math.Max(50_000, next.TariffMeasureBound / 4)) next = Compact(next, changes[^1]);
            await catalog.ReloadAsync(ct);
            tail.Append(changes);
            _applied = Stamp(changes[^1]);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot built: {Measures} tariff measures, {Controls} export controls, {Truces} truces at change {Position} in {Milliseconds:F0} ms; {MiB:F1} MiB of compact records and indexes on the heap, records {Where}.")]
    private static partial void LogLoaded(ILogger logger, int measures, int controls, int truces, long position, double milliseconds, double miB, string where);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot read from its file at change {Position} and caught up with the change log in {Milliseconds:F0} ms.")]
    private static partial void LogFromFile(ILogger logger, long position, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot file {Path} does not match this database's change log; building the snapshot from the database.")]
    private static partial void LogFileStale(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot file {Path} cannot be read; building the snapshot from the database.")]
    private static partial void LogFileUnreadable(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No snapshot file can be written in {Directory}; the snapshot stays in memory and a restart reads the database.")]
    private static partial void LogFileUnwritable(ILogger logger, Exception exception, string directory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Snapshot: applied {Changes} changes, now at change {Position}, in {Milliseconds:F3} ms.")]
    private static partial void LogApplied(ILogger logger, int changes, long position, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The snapshot cannot be refreshed; lookups answer from change {Position} until the database answers again.")]
    private static partial void LogFailing(ILogger logger, Exception exception, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The change log no longer shows change {Position} as it was applied (now up to {Latest}): the database was restored or replaced. Rebuilding the snapshot from the database.")]
    private static partial void LogRewound(ILogger logger, long position, long latest);

    [LoggerMessage(Level = LogLevel.Information, Message = "The snapshot is being refreshed again.")]
    private static partial void LogRecovered(ILogger logger);
}
