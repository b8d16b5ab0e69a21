namespace PolicyService.Server.Storage;

/// <summary>
/// Probes the database once a second as a new connection sees it: a failure of any kind marks storage faulted (readiness
/// degrades, see DatabaseHealthCheck) and never ends the loop, and the first good probe after a fault marks it
/// recovered. The schema version is checked on the first probe and on each probe while faulted (a restored or replaced
/// database may be older than this build). Keeping the snapshot and the reference catalog current is the
/// <see cref="SnapshotRefresher"/>'s work.
/// </summary>
public sealed class StorageWatchdog(IPolicyStore store, Migrator migrator, StorageHealth health) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private bool _schemaCurrent;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await TickAsync(stoppingToken);
    }

    /// <summary>One probe; never throws but for the host stopping.</summary>
    public async Task TickAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Connections opened before or during a fault may hold a file that has since been replaced: start over.
            if (health.IsFaulted) store.ResetConnections();
            await store.ProbeLatestChangeAsync(stoppingToken);
            if (health.IsFaulted || !_schemaCurrent)
            {
                var version = await migrator.CurrentVersionAsync(stoppingToken);
                _schemaCurrent = version >= migrator.LatestVersion;
                if (!_schemaCurrent)
                {
                    health.Report($"Schema at version {version}; this build needs {migrator.LatestVersion}. Run 'migrate'.", null);
                    return;
                }
            }
            if (health.IsFaulted) store.ResetConnections();
            health.Recovered();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            health.Report(StorageHealth.Describe(e), e);
            store.ResetConnections();
        }
    }
}
