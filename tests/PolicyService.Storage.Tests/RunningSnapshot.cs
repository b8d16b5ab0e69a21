using Microsoft.Extensions.Logging.Abstractions;
using PolicyService.Server.Snapshots;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>The snapshot store over a database store, its refresher running as in the server, until disposed.</summary>
public sealed class RunningSnapshot : IAsyncDisposable
{
    private readonly SnapshotRefresher _refresher;

    private RunningSnapshot(PolicyStore db, SnapshotOptions options)
    {
        Live = new LiveSnapshot(TimeProvider.System);
        Catalog = new ReferenceCatalog(db);
        _refresher = new SnapshotRefresher(db, Live, new ChangeLogTail(), Catalog, new StorageHealth(NullLogger<StorageHealth>.Instance), options, NullLogger<SnapshotRefresher>.Instance);
        Store = new SnapshotStore(db, Live, _refresher, options);
    }

    public SnapshotStore Store { get; }

    public LiveSnapshot Live { get; }

    public ReferenceCatalog Catalog { get; }

    public SnapshotRefresher Refresher => _refresher;

    /// <summary>Starts the refresher and returns once the first snapshot is built.</summary>
    public static async Task<RunningSnapshot> StartAsync(PolicyStore db, CancellationToken ct, SnapshotOptions? options = null)
    {
        var running = new RunningSnapshot(db, options ?? new SnapshotOptions { RefreshInterval = TimeSpan.FromMilliseconds(50) });
        await running._refresher.StartAsync(ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (running.Live.Current is null)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The first snapshot was not built within 30 s.");
            await Task.Delay(20, ct);
        }
        return running;
    }

    public async ValueTask DisposeAsync()
    {
        await _refresher.StopAsync(CancellationToken.None);
        _refresher.Dispose();
        Catalog.Dispose();
    }
}
