using Microsoft.Extensions.Diagnostics.HealthChecks;
using PolicyService.Server.Domain;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Hosting;

/// <summary>Ready when no storage fault is standing (<see cref="StorageHealth"/>), the database answers, its schema is current and policy data is loaded.</summary>
public sealed class DatabaseHealthCheck(IPolicyStore store, Migrator migrator, ReferenceCatalog catalog, StorageHealth health) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (health.Fault is { } fault) return HealthCheckResult.Unhealthy($"Storage fault: {fault}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await store.PingAsync(timeout.Token);
            var version = await migrator.CurrentVersionAsync(timeout.Token);
            if (version < migrator.LatestVersion)
                return HealthCheckResult.Unhealthy($"Schema at version {version}; this build needs {migrator.LatestVersion}. Run 'migrate'.");
            await catalog.GetAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (StoreMisconfiguredException e)
        {
            return HealthCheckResult.Unhealthy(e.Message, e);
        }
        catch (Exception e) when (e is StoreUnavailableException or OperationCanceledException or System.Data.Common.DbException)
        {
            return HealthCheckResult.Unhealthy("The policy database is unavailable.", e);
        }
    }
}
