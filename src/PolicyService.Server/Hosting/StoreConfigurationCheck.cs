using PolicyService.Server.Domain;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Hosting;

/// <summary>
/// At start-up, tries the configured database once and says plainly when it refuses the configuration, naming the
/// setting to fix; the server keeps running (readiness NOT_SERVING) so that the log and probes can be read.
/// </summary>
public sealed partial class StoreConfigurationCheck(IPolicyStore store, StorageOptions options, ILogger<StoreConfigurationCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.PingAsync(stoppingToken);
        }
        catch (StoreMisconfiguredException e)
        {
            LogMisconfigured(logger, options.Provider, e.Reason, StoreMisconfiguredException.Setting, e.InnerException?.Message);
        }
        catch (StoreUnavailableException e)
        {
            LogUnavailable(logger, options.Provider, e.InnerException?.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "The {Provider} policy database refuses this server's configuration: {Reason}. Fix {Setting}; until then readiness is NOT_SERVING and calls fail with FAILED_PRECONDITION (DATABASE_MISCONFIGURED). Database said: {Detail}")]
    private static partial void LogMisconfigured(ILogger logger, string provider, string reason, string setting, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Provider} policy database is unavailable at start-up; calls get UNAVAILABLE until it answers. Database said: {Detail}")]
    private static partial void LogUnavailable(ILogger logger, string provider, string? detail);
}
