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
    private readonly (string Directory, string Prefix)? _files = FilesFor(options, db.DatabaseFile);
    private bool _failing;
    private bool _filesFailed;

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
        using var file = await NewFileAsync(position, ct);
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
        }
        return snapshot;
    }

    private async Task<PolicySnapshot?> TryMapFileAsync(CancellationToken ct)
    {
        if (_files is not { } files || _filesFailed) return null;
        var (path, _) = SnapshotFile.Find(files.Directory, files.Prefix).FirstOrDefault();
        if (path is null) return null;
        try
        {
            using var reader = SnapshotFile.Reader.Open(path);
            if (reader is null) return null;
            var stamp = reader.Stamp;
            // The file is this database's only if the log shows the very entry it was built at.
            var entry = await EntryAtAsync(stamp.Position, ct);
            if (entry is null || Stamp(entry) != stamp)
            {
                LogFileStale(logger, path);
                return null;
            }
            if (await db.LatestChangeAsync(ct) - stamp.Position > options.RebuildThreshold) return null;
            var truces = await ReadAllAsync((after, take) => db.ListTrucesAsync(new TruceFilter(null, null), after, take, entry.RecordedTime, ct));
            return PolicySnapshot.Read(reader, truces);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LogFileUnreadable(logger, e, path);
            return null;
        }
    }

    /// <summary>A writer for the snapshot file at this position, or null when there is no place for one (or writing one failed before).</summary>
    private async Task<SnapshotFile.Writer?> NewFileAsync(long position, CancellationToken ct)
    {
        if (_files is not { } files || _filesFailed || position == 0) return null;
        if (await EntryAtAsync(position, ct) is not { } entry) return null;
        try
        {
            return new SnapshotFile.Writer(files.Directory, files.Prefix, Stamp(entry));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Lookups do not need the file; only the next start is slower without it.
            _filesFailed = true;
            LogFileUnwritable(logger, e, files.Directory);
            return null;
        }
    }

    private void RemoveFilesBefore(long position)
    {
        if (_files is not { } files) return;
        foreach (var (path, _) in SnapshotFile.Find(files.Directory, files.Prefix).Where(f => f.Position < position))
        {
            try
            {
                // Another process may still read it: on Linux an open file outlives its name.
                File.Delete(path);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task<ChangeEntry?> EntryAtAsync(long position, CancellationToken ct) =>
        await db.ChangesAfterAsync(position - 1, 1, ct) is [var entry] && entry.Seq == position ? entry : null;

    private static SnapshotStamp Stamp(ChangeEntry entry) => new(entry.Seq, entry.RecordedTime.Ticks, entry.ResourceType, entry.ResourceId, entry.Version);

    private static (string, string)? FilesFor(SnapshotOptions options, string? databaseFile)
    {
        if (!options.UseFiles) return null;
        if (options.Directory.Length > 0) return (Path.GetFullPath(options.Directory), "policy.snapshot");
        return databaseFile is null ? null : (Path.GetDirectoryName(databaseFile)!, Path.GetFileName(databaseFile) + ".snapshot");
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
                await BuildAsync(ct);
                return;
            }
            var started = Stopwatch.GetTimestamp();
            var current = await db.CurrentVersionsChangedAsync(snapshot.Position, changes[^1].Seq, ct);
            var next = snapshot.With(current, changes[^1].Seq);
            if (next.OverlayCount > Math.Max(50_000, next.TariffMeasureBound / 4)) next = Compact(next, changes[^1]);
            await catalog.ReloadAsync(ct);
            tail.Append(changes);
            live.Publish(next);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Observability.PolicyTelemetry.RecordSnapshotApply(elapsed, changes.Count);
            LogApplied(logger, changes.Count, next.Position, elapsed.TotalMilliseconds);
            if (changes.Count < ChangeBatch) return;
        }
    }

    /// <summary>Folds the snapshot's overlay into a new base, written to a new snapshot file when there is a place for one.</summary>
    private PolicySnapshot Compact(PolicySnapshot snapshot, ChangeEntry at)
    {
        if (_files is not { } files || _filesFailed) return snapshot.Compacted();
        try
        {
            using var file = new SnapshotFile.Writer(files.Directory, files.Prefix, Stamp(at));
            var compacted = snapshot.Compacted(file);
            RemoveFilesBefore(at.Seq);
            return compacted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _filesFailed = true;
            LogFileUnwritable(logger, e, files.Directory);
            return snapshot.Compacted();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "The snapshot is being refreshed again.")]
    private static partial void LogRecovered(ILogger logger);
}
