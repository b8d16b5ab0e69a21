using Microsoft.Extensions.Diagnostics.HealthChecks;
using PolicyService.Server.Snapshots;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Hosting;

/// <summary>
/// Readiness from what the snapshot refresher and the storage watchdog already track, with no database query of its own
/// (any caller may probe health, as often as it likes). Ready once the snapshot of current data is built. While storage
/// is faulted, or the watchdog has not found it usable for <see cref="ProbeBound"/>, lookups still answer from the
/// snapshot, so readiness stays SERVING (degraded) until the snapshot is older than Snapshot:MaxStaleness.
/// </summary>
public sealed class DatabaseHealthCheck(StorageHealth health, LiveSnapshot live, SnapshotOptions options) : IHealthCheck
{
    /// <summary>How old the watchdog's last good probe may be before storage counts as unknown (a probe that hangs).</summary>
    public static readonly TimeSpan ProbeBound = StorageWatchdog.Interval * 10;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        if (live.Current is null) return HealthCheckResult.Unhealthy(health.Fault is { } fault ? $"Storage fault: {fault}." : "The snapshot of current data is still being built.");
        var problem = Problem();
        if (problem is null) return HealthCheckResult.Healthy();
        var age = live.Age;
        return age > options.MaxStaleness
            ? HealthCheckResult.Unhealthy($"{problem} Lookups answered from a snapshot last current {age.TotalSeconds:0} s ago, past Snapshot:MaxStaleness.")
            : HealthCheckResult.Degraded($"{problem} Lookups answer from the snapshot, last current {age.TotalSeconds:0.#} s ago.");
    }

    /// <summary>Why the database may not be usable now, or null when the watchdog found it usable lately.</summary>
    private string? Problem()
    {
        if (health.Fault is { } fault) return $"Storage fault: {fault}.";
        var since = health.SinceLastUsable;
        if (since == TimeSpan.MaxValue) return "The database has not been probed yet.";
        return since > ProbeBound ? $"No probe has found the database usable for {since.TotalSeconds:0} s." : null;
    }
}
