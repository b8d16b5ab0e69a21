using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using PolicyService.Server.Hosting;
using PolicyService.Server.Snapshots;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Tests.Hosting;

/// <summary>
/// The readiness rule: ready once the snapshot is built; during a storage fault (or with no good probe for 10 s) still
/// ready, degraded, while the snapshot is younger than Snapshot:MaxStaleness; not ready past it. No database is asked.
/// </summary>
public class ReadinessTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualClock _clock = new();
    private readonly LiveSnapshot _live;
    private readonly StorageHealth _health;
    private readonly DatabaseHealthCheck _check;

    public ReadinessTests()
    {
        _live = new LiveSnapshot(_clock);
        _health = new StorageHealth(NullLogger<StorageHealth>.Instance, _clock);
        _check = new DatabaseHealthCheck(_health, _live, new SnapshotOptions { MaxStaleness = TimeSpan.FromMinutes(5) });
    }

    private async Task<HealthCheckResult> CheckAsync() => await _check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

    private void Built() => _live.Publish(new PolicySnapshot.Builder().Build([], 0));

    [Fact]
    public async Task Not_ready_until_the_snapshot_is_built()
    {
        _health.Recovered();
        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync()).Status);
        Built();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);
    }

    [Fact]
    public async Task A_storage_fault_leaves_readiness_serving_degraded_until_the_snapshot_is_older_than_the_bound()
    {
        Built();
        _health.Recovered();
        _health.Report("database is locked", null);

        _clock.Now += TimeSpan.FromMinutes(4);
        var degraded = await CheckAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("database is locked", degraded.Description, StringComparison.Ordinal);

        _clock.Now += TimeSpan.FromMinutes(2);
        var unhealthy = await CheckAsync();
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("Snapshot:MaxStaleness", unhealthy.Description, StringComparison.Ordinal);

        _health.Recovered();
        _live.Confirm();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);
    }

    [Fact]
    public async Task A_probe_that_stops_answering_counts_as_a_fault_once_its_last_success_is_older_than_the_bound()
    {
        Built();
        _health.Recovered();
        _clock.Now += DatabaseHealthCheck.ProbeBound - TimeSpan.FromSeconds(1);
        _live.Confirm();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);

        _clock.Now += TimeSpan.FromSeconds(2);
        var stuck = await CheckAsync();
        Assert.Equal(HealthStatus.Degraded, stuck.Status);
        Assert.Contains("No probe has found the database usable", stuck.Description, StringComparison.Ordinal);

        _clock.Now += TimeSpan.FromMinutes(6);
        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync()).Status);
    }
}
