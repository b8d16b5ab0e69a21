using Google.Protobuf.WellKnownTypes;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// The real process reports its database round trips when it stops (the benchmark reads that line): lookups of current
/// knowledge make none, a known_at lookup makes one.
/// </summary>
public class RoundTripReportTests
{
    [Fact]
    public async Task At_shutdown_the_server_reports_one_round_trip_for_a_known_at_lookup_and_none_for_current_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(ct: ct);
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        var request = new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "8507.60.00.20", AsOf = Date("2025-11-15") };
        for (var i = 0; i < 3; i++) Assert.Equal("27.5", (await tariffs.LookupDutyAsync(request, deadline: Deadline, cancellationToken: ct)).TotalAdValoremPercent);
        var known = new LookupDutyRequest(request) { KnownAt = Timestamp.FromDateTime(DateTime.UtcNow) };
        Assert.Equal("27.5", (await tariffs.LookupDutyAsync(known, deadline: Deadline, cancellationToken: ct)).TotalAdValoremPercent);

        server.Signal(15);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var report = server.Output.Split('\n').SingleOrDefault(l => l.Contains("Store round trips since start:", StringComparison.Ordinal));
        Assert.NotNull(report);
        Assert.Contains("find_tariff_candidates=1", report, StringComparison.Ordinal);
    }
}
