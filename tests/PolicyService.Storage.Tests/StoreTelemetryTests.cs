using System.Diagnostics.Metrics;
using PolicyService.Server.Domain;
using PolicyService.Server.Observability;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>PolicyStore's one database wrapper times every store call, named after the store method, with failures marked.</summary>
public class StoreTelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_store_call_is_timed_under_its_operation_name_and_failures_carry_the_error_type()
    {
        var seen = new List<(double Seconds, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PolicyTelemetry.Name && instrument.Name == "policyservice.store.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var (key, tag) in tags) copy[key] = tag;
            lock (seen) seen.Add((value, copy));
        });
        listener.Start();

        await using var database = new SqliteTestDatabase();
        var good = new PolicyStore(database.Dialect!);
        await new Migrator(database.Dialect!).MigrateAsync(Ct);
        await good.PingAsync(Ct);
        await good.FindTariffCandidatesAsync("US", "CN", "8507600020", DateTime.MaxValue, Ct);
        var missing = new PolicyStore(new SqliteDialect($"Data Source={Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "missing.db")};Mode=ReadWrite"));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => missing.PingAsync(Ct));

        List<(double Seconds, Dictionary<string, object?> Tags)> sqlite;
        lock (seen) sqlite = seen.Where(s => Equals(s.Tags["db.system.name"], "sqlite")).ToList();
        Assert.Contains(sqlite, s => Equals(s.Tags["db.operation.name"], "FindTariffCandidates") && !s.Tags.ContainsKey("error.type"));
        var pings = sqlite.Where(s => Equals(s.Tags["db.operation.name"], "Ping")).ToList();
        Assert.Contains(pings, s => !s.Tags.ContainsKey("error.type"));
        Assert.Contains(pings, s => Equals(s.Tags.GetValueOrDefault("error.type"), nameof(StoreUnavailableException)));
        Assert.All(sqlite, s => Assert.InRange(s.Seconds, 0, 30));
    }
}
