namespace PolicyService.Server.Storage;

/// <summary>
/// Sources, the truce of each term, and the coverage history, held in memory. They are append-only, so a cached copy is
/// never wrong, only possibly incomplete: a key it lacks triggers a reload, and <see cref="ReferenceRefresher"/> reloads
/// it within a second of any change committed by any replica.
/// </summary>
public sealed class ReferenceCatalog(IPolicyStore store) : IDisposable
{
    private volatile ReferenceData? _data;
    private readonly SemaphoreSlim _reload = new(1, 1);

    public ReferenceData? Current => _data;

    public async ValueTask<ReferenceData> GetAsync(CancellationToken ct) => _data ?? await ReloadAsync(ct);

    /// <summary>The catalog, reloaded first if any of the given source or term ids is unknown to the cached copy.</summary>
    public async ValueTask<ReferenceData> GetAsync(IEnumerable<string> sourceIds, IEnumerable<string> termIds, CancellationToken ct)
    {
        var data = await GetAsync(ct);
        return sourceIds.All(data.Sources.ContainsKey) && termIds.All(data.TruceIdByTerm.ContainsKey) ? data : await ReloadAsync(ct);
    }

    public async Task<ReferenceData> ReloadAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            return _data = await store.LoadReferenceDataAsync(ct)
                ?? throw new StoreUnavailableException("No policy data has been loaded yet.", new InvalidOperationException("coverage is empty"));
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();
}

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
                // Reported at start-up and by readiness; the poller keeps going so a fixed secret (a restart) is not needed twice.
                LogMisconfigured(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reference refresh skipped: database unavailable.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reference refresh skipped: database misconfigured.")]
    private static partial void LogMisconfigured(ILogger logger, Exception exception);
}
