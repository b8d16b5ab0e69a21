using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Health.V1;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

public class StorageFaultTests
{
    private static readonly string[] Files = ["policy.db", "policy.db-wal", "policy.db-shm"];

    // A whole line (its layers are its own; a less specific code keeps only what every line under it shares).
    private static LookupDutyRequest Lookup => new() { Importer = "US", Origin = "CN", HsCode = "8507600020" };

    // A short staleness bound, so that readiness turns within the test; lookups answer from the snapshot either way.
    private static readonly KeyValuePair<string, string>[] ShortStaleness = [new("Snapshot:MaxStaleness", "00:00:03")];

    [Fact]
    public async Task A_database_file_moved_away_keeps_lookups_answering_from_the_snapshot_turns_not_ready_past_the_bound_and_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(ShortStaleness, ct: ct);
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        var healthy = await tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct);

        // Moved, not deleted: open connections keep the old file, so only new connections (and a restore) show the fault.
        var aside = MoveAside(server.Directory);

        await server.WaitForHealthAsync("readiness", HealthCheckResponse.Types.ServingStatus.NotServing, TimeSpan.FromSeconds(20), ct);
        Assert.False(server.HasExited, server.Output);
        // Current knowledge still answers, from memory, and says how old it is; history needs the database.
        var stale = await tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct);
        Assert.Equal(healthy.TotalAdValoremPercent, stale.TotalAdValoremPercent);
        Assert.True(DateTimeOffset.UtcNow - stale.Coverage.SnapshotTime.ToDateTimeOffset() >= TimeSpan.FromSeconds(3),
            $"snapshot_time {stale.Coverage.SnapshotTime} should be older than the 3 s bound");
        var e = await Assert.ThrowsAsync<RpcException>(() => tariffs.LookupDutyAsync(
            new LookupDutyRequest(Lookup) { KnownAt = healthy.KnownAt }, deadline: Deadline, cancellationToken: ct).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("DATABASE_UNAVAILABLE", e.ErrorInfo()?.Reason);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(server.Channel)
            .CheckAsync(new HealthCheckRequest { Service = "liveness" }, deadline: Deadline, cancellationToken: ct)).Status);

        MoveBack(server.Directory, aside);

        var restored = DateTimeOffset.UtcNow;
        await server.WaitForHealthAsync("readiness", HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(20), ct);
        Assert.True(DateTimeOffset.UtcNow - restored < TimeSpan.FromSeconds(5), "readiness should recover within 5 s of the database returning");
        // The refresher confirms the snapshot on its next poll (every 200 ms).
        LookupDutyResponse fresh;
        do fresh = await tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct);
        while (fresh.Coverage.SnapshotTime.Seconds < restored.ToUnixTimeSeconds() && DateTimeOffset.UtcNow - restored < TimeSpan.FromSeconds(5));
        Assert.True(fresh.Coverage.SnapshotTime.Seconds >= restored.ToUnixTimeSeconds(), "the snapshot is current again within 5 s");
        Assert.False(server.HasExited, server.Output);
        // One line per change of state, not one per failed tick or call.
        Assert.Single(Regex.Matches(server.Output, "Storage fault; lookups answer from the snapshot"));
        Assert.Single(Regex.Matches(server.Output, "Storage recovered"));
    }

    [Fact]
    public async Task Within_the_staleness_bound_a_lost_database_leaves_readiness_serving()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(ct: ct); // the default bound: 5 minutes
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        var aside = MoveAside(server.Directory);

        // Wait until the watchdog has seen the fault (a condition, not a fixed time).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!server.Output.Contains("Storage fault", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(100, ct);
        Assert.Contains("Storage fault", server.Output, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(server.Channel)
            .CheckAsync(new HealthCheckRequest { Service = "readiness" }, deadline: Deadline, cancellationToken: ct)).Status);
        Assert.NotEmpty((await tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct)).Layers);
        Assert.Contains("Storage fault", server.Output, StringComparison.Ordinal);
        MoveBack(server.Directory, aside);
    }

    [Fact]
    public async Task A_database_file_replaced_by_garbage_is_unavailable_not_internal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(ShortStaleness, ct: ct);
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        var answered = await tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct);
        var aside = MoveAside(server.Directory);
        await File.WriteAllBytesAsync(Path.Combine(server.Directory, "policy.db"), [.. Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31))], ct);

        await server.WaitForHealthAsync("readiness", HealthCheckResponse.Types.ServingStatus.NotServing, TimeSpan.FromSeconds(20), ct);
        var e = await Assert.ThrowsAsync<RpcException>(() => tariffs.LookupDutyAsync(
            new LookupDutyRequest(Lookup) { KnownAt = answered.KnownAt }, deadline: Deadline, cancellationToken: ct).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("DATABASE_UNAVAILABLE", e.ErrorInfo()?.Reason);

        MoveBack(server.Directory, aside);
        await server.WaitForHealthAsync("readiness", HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(20), ct);
        Assert.NotNull(await tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct));
        Assert.False(server.HasExited, server.Output);
    }

    /// <summary>Moves the database and its WAL files into a sibling folder, as an operator's mv would.</summary>
    private static string MoveAside(string directory)
    {
        var aside = Path.Combine(directory, "aside");
        Directory.CreateDirectory(aside);
        foreach (var file in Files.Where(f => File.Exists(Path.Combine(directory, f))))
            File.Move(Path.Combine(directory, file), Path.Combine(aside, file));
        return aside;
    }

    private static void MoveBack(string directory, string aside)
    {
        foreach (var file in Files)
        {
            var target = Path.Combine(directory, file);
            if (File.Exists(Path.Combine(aside, file))) File.Move(Path.Combine(aside, file), target, overwrite: true);
            else File.Delete(target);
        }
    }
}
