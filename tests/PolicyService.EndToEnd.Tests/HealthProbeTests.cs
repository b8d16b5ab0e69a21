using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Health.V1;
using PolicyService.Testing;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// Health is answered from the storage state the refresher and the watchdog track: any caller may probe it as often as
/// it likes without turning each probe into a database query.
/// </summary>
public partial class HealthProbeTests
{
    private const int Checks = 1000;

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.SqlServer)]
    public async Task A_thousand_checks_of_each_health_service_make_no_database_round_trip(StorageProvider provider)
    {
        Assert.SkipWhen(TestDatabase.SkipReason(provider) is not null, TestDatabase.SkipReason(provider) ?? "");
        var ct = TestContext.Current.CancellationToken;
        await using var database = await ServerDatabase.CreateMigratedAsync(provider);
        await using var server = await ServerProcess.StartAsync(database.Settings, ct: ct);
        var health = new Health.HealthClient(server.Channel);

        var started = DateTime.UtcNow;
        foreach (var service in new[] { "", "readiness", "liveness" })
        {
            for (var i = 0; i < Checks; i++)
            {
                var status = (await health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: Deadline, cancellationToken: ct)).Status;
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
            }
        }
        var seconds = (DateTime.UtcNow - started).TotalSeconds;

        server.Signal(15);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var report = server.Output.Split('\n').Single(l => l.Contains("Store round trips since start:", StringComparison.Ordinal));
        var reads = RoundTrips(report).Where(r => r.Key != "write").ToDictionary();
        // One ping is the start-up check of the store's configuration; a check that pinged would add 2,000.
        Assert.True(reads.GetValueOrDefault("ping") <= 1, report);
        // What remains is start-up (the seed's change documents) and the background pollers (the refresher every 200 ms,
        // the watchdog every second), whatever the number of checks.
        var background = 300 + (int)(seconds * 10);
        Assert.True(reads.Values.Sum() < background, $"{reads.Values.Sum()} read round trips in {seconds:0.0} s of {3 * Checks} checks (bound {background}): {report}");
    }

    private static IEnumerable<KeyValuePair<string, long>> RoundTrips(string report) =>
        Operation().Matches(report).Select(m => KeyValuePair.Create(m.Groups[1].Value, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"([a-z_]+)=(\d+)")]
    private static partial Regex Operation();
}
