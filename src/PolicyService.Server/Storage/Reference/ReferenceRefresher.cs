namespace PolicyService.Server.Storage;

/// <summary>
/// Polls the change log once a second and reloads the catalog when another process has committed a change. It is also
/// the storage watchdog: each tick probes the database as a new connection sees it, a failure of any kind marks storage
/// faulted (readiness NOT_SERVING) and never ends the loop, and the first good probe after a fault marks it recovered.
/// </summary>
public sealed class ReferenceRefresher(IPolicyStore store, ReferenceCatalog catalog, StorageHealth health) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await TickAsync(stoppingToken);
    }

    /// <summary>One probe and, when needed, one reload; never throws but for the host stopping.</summary>
    public async Task TickAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Connections opened before or during a fault may hold a file that has since been replaced: start over.
            if (health.IsFaulted) store.ResetConnections();
            var latest = await store.ProbeLatestChangeAsync(stoppingToken);
            if (catalog.Current is { } current && latest > current.LatestChange) await catalog.ReloadAsync(stoppingToken);
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
