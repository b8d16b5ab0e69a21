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

    private static LookupDutyRequest Lookup => new() { Importer = "US", Origin = "CN", HsCode = "850760" };

    [Fact]
    public async Task A_database_file_moved_away_keeps_the_process_up_not_ready_and_it_recovers_when_moved_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(ct: ct);
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        await tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct);

        // Moved, not deleted: open connections keep the old file, so only new connections (and a restore) show the fault.
        var aside = MoveAside(server.Directory);

        await server.WaitForHealthAsync("readiness", HealthCheckResponse.Types.ServingStatus.NotServing, TimeSpan.FromSeconds(20), ct);
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // several refresher ticks fail while the file is gone
        Assert.False(server.HasExited, server.Output);
        var e = await Assert.ThrowsAsync<RpcException>(() => tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("DATABASE_UNAVAILABLE", e.ErrorInfo()?.Reason);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(server.Channel)
            .CheckAsync(new HealthCheckRequest { Service = "liveness" }, deadline: Deadline, cancellationToken: ct)).Status);

        MoveBack(server.Directory, aside);

        await server.WaitForHealthAsync("readiness", HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(20), ct);
        var answer = await tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct);
        Assert.NotNull(answer);
        Assert.False(server.HasExited, server.Output);
        // One line per change of state, not one per failed tick or call.
        Assert.Single(Regex.Matches(server.Output, "Storage fault; readiness is NOT_SERVING"));
        Assert.Single(Regex.Matches(server.Output, "Storage recovered"));
    }

    [Fact]
    public async Task A_database_file_replaced_by_garbage_is_unavailable_not_internal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(ct: ct);
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        var aside = MoveAside(server.Directory);
        await File.WriteAllBytesAsync(Path.Combine(server.Directory, "policy.db"), [.. Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31))], ct);

        await server.WaitForHealthAsync("readiness", HealthCheckResponse.Types.ServingStatus.NotServing, TimeSpan.FromSeconds(20), ct);
        var e = await Assert.ThrowsAsync<RpcException>(() => tariffs.LookupDutyAsync(Lookup, deadline: Deadline, cancellationToken: ct).ResponseAsync);
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
