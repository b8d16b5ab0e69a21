using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

/// <summary>Polls the change log once a second and reloads the catalog when another process has committed a change.</summary>
public sealed partial class ReferenceRefresher(IPolicyStore store, ReferenceCatalog catalog, ILogger<ReferenceRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (catalog.Current is { } current && await store.LatestChangeAsync(stoppingToken) > current.LatestChange)
                    await catalog.ReloadAsync(stoppingToken);
            }
            catch (StoreUnavailableException e)
            {
                LogUnavailable(logger, e);
            }
            catch (StoreMisconfiguredException e)
            {
                // Reported at start-up and by readiness; the poller keeps going so that a fixed secret is picked up.
                LogMisconfigured(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reference refresh skipped: database unavailable.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reference refresh skipped: database misconfigured.")]
    private static partial void LogMisconfigured(ILogger logger, Exception exception);
}
