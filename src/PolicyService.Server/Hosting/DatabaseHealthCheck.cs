using Microsoft.Extensions.Diagnostics.HealthChecks;
using PolicyService.Server.Domain;
using PolicyService.Server.Snapshots;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Hosting;

/// <summary>
/// Ready when the snapshot of current data is built and the database answers with a current schema. While the database
/// is out of reach, lookups still answer from the snapshot, so readiness stays SERVING (degraded) until the snapshot is
/// older than Snapshot:MaxStaleness.
/// </summary>
public sealed class DatabaseHealthCheck(IPolicyStore store, Migrator migrator, ReferenceCatalog catalog, StorageHealth health,
    LiveSnapshot live, SnapshotOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (problem, exception) = await DatabaseProblemAsync(cancellationToken);
        if (live.Current is null) return HealthCheckResult.Unhealthy(problem ?? "The snapshot of current data is still being built.", exception);
        if (problem is null) return HealthCheckResult.Healthy();
        var age = live.Age;
        return age > options.MaxStaleness
            ? HealthCheckResult.Unhealthy($"{problem} Lookups answered from a snapshot last current {age.TotalSeconds:0} s ago, past Snapshot:MaxStaleness.", exception)
            : HealthCheckResult.Degraded($"{problem} Lookups answer from the snapshot, last current {age.TotalSeconds:0.#} s ago.", exception);
    }

    /// <summary>Why the database is not usable now, or null when it is.</summary>
    private async Task<(string? Problem, Exception? Exception)> DatabaseProblemAsync(CancellationToken cancellationToken)
    {
        if (health.Fault is { } fault) return ($"Storage fault: {fault}.", null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await store.PingAsync(timeout.Token);
            var version = await migrator.CurrentVersionAsync(timeout.Token);
            if (version < migrator.LatestVersion) return ($"Schema at version {version}; this build needs {migrator.LatestVersion}. Run 'migrate'.", null);
            await catalog.GetAsync(timeout.Token);
            return (null, null);
        }
        catch (StoreMisconfiguredException e)
        {
            return (e.Message, e);
        }
        catch (Exception e) when (e is StoreUnavailableException or OperationCanceledException or System.Data.Common.DbException)
        {
            return ("The policy database is unavailable.", e);
        }
    }
}
