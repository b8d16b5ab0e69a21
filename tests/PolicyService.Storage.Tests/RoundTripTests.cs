using System.Diagnostics.Metrics;
using Grpc.Core;
using PolicyService.Server.Api;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;
using TradePolicy.V1;

namespace PolicyService.Storage.Tests;

/// <summary>
/// A lookup read from the database costs one round trip (a known_at lookup, or any lookup before the first snapshot);
/// one of current knowledge through the snapshot store costs none. The lookups run through the real gRPC service
/// classes on a seeded SQLite database; SQLite executes the same store code (and statements) as SQL Server.
/// </summary>
public sealed class RoundTripTests : IClassFixture<SqliteTestDatabase>, IAsyncLifetime
{
    // The product description is served from memory and must add no round trip.
    private static readonly PolicyService.Server.Products.ProductCatalog Products = PolicyService.Server.Products.ProductCatalog.LoadEmbedded();

    private readonly ISqlDialect _dialect;
    private readonly PolicyStore _store;
    private readonly ReferenceCatalog _catalog;

    public RoundTripTests(SqliteTestDatabase database)
    {
        _dialect = database.Dialect!;
        _store = new PolicyStore(_dialect);
        _catalog = new ReferenceCatalog(_store);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var migrator = new Migrator(_dialect);
        if (await migrator.CurrentVersionAsync(Ct) == 0)
        {
            await migrator.MigrateAsync(Ct);
            await _store.ApplyAsync(SeedData.ChangeSet(SeedData.Load()), Ct);
        }
        await _catalog.GetAsync(Ct); // the reference cache is warm in a running server
    }

    public ValueTask DisposeAsync()
    {
        _catalog.Dispose();
        return ValueTask.CompletedTask;
    }

    public static TheoryData<string, string, string, int> DutyLookups => new()
    {
        { "US", "CN", "8507.60.00.20", 2025 }, // many layers, truce effects, announced measures
        { "US", "CN", "8507600020", 2018 },
        { "US", "VN", "0101210010", 2025 },    // only measures for all origins
        { "CN", "US", "1201900000", 2025 },
        { "JP", "KR", "9999999999", 2025 },    // no candidates at all
    };

    [Theory]
    [MemberData(nameof(DutyLookups))]
    public async Task A_duty_lookup_makes_exactly_one_round_trip(string importer, string origin, string code, int year)
    {
        var service = new TariffGrpcService(_store, _catalog, TimeProvider.System, Products);
        var before = Snapshot();

        var answer = await service.LookupDuty(new LookupDutyRequest
        {
            Importer = importer, Origin = origin, HsCode = code, AsOf = new Google.Type.Date { Year = year, Month = 11, Day = 15 },
        }, new TestCallContext(Ct));

        Assert.NotNull(answer.Coverage);
        Assert.Equal(1, _store.RoundTrips.Total - before.Total);
        Assert.Equal(1, _store.RoundTrips[StoreOperation.FindTariffCandidates] - before.Duty);
    }

    [Theory]
    [MemberData(nameof(DutyLookups))]
    public async Task Through_the_snapshot_a_lookup_of_current_knowledge_makes_no_round_trip_and_one_as_known_at_makes_one(string importer, string origin, string code, int year)
    {
        await using var snapshot = await RunningSnapshot.StartAsync(_store, Ct, new SnapshotOptions { RefreshInterval = TimeSpan.FromMinutes(10) });
        var service = new TariffGrpcService(snapshot.Store, snapshot.Catalog, TimeProvider.System, Products);
        var request = new LookupDutyRequest
        {
            Importer = importer, Origin = origin, HsCode = code, AsOf = new Google.Type.Date { Year = year, Month = 11, Day = 15 },
        };
        var before = Snapshot();
        var current = await service.LookupDuty(request, new TestCallContext(Ct));
        Assert.Equal(0, _store.RoundTrips.Total - before.Total);

        var known = await service.LookupDuty(new LookupDutyRequest(request) { KnownAt = current.KnownAt }, new TestCallContext(Ct));
        Assert.Equal(1, _store.RoundTrips.Total - before.Total);
        Assert.Equal(current.TotalAdValoremPercent, known.TotalAdValoremPercent);
        Assert.Equal(current.Layers, known.Layers);
    }

    [Theory]
    [InlineData("CN", "US", "gallium")]
    [InlineData("CN", "US", "8112.92.90.10")]
    [InlineData("US", "CN", "advanced computing chips")]
    [InlineData("KR", "JP", "0101210010")]
    public async Task An_export_check_makes_exactly_one_round_trip(string exporter, string destination, string item)
    {
        var service = new ExportControlGrpcService(_store, _catalog, TimeProvider.System, Products);
        var before = Snapshot();

        await service.CheckExport(new CheckExportRequest
        {
            Exporter = exporter, Destination = destination, Item = item, AsOf = new Google.Type.Date { Year = 2025, Month = 12, Day = 1 },
        }, new TestCallContext(Ct));

        Assert.Equal(1, _store.RoundTrips.Total - before.Total);
        Assert.Equal(1, _store.RoundTrips[StoreOperation.FindExportCandidates] - before.Export);
    }

    [Fact]
    public async Task A_hundred_lookups_make_a_hundred_round_trips_and_the_meter_reports_them()
    {
        var service = new TariffGrpcService(_store, _catalog, TimeProvider.System, Products);
        long published = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StoreRoundTrips.MeterName && instrument.Name == StoreRoundTrips.CounterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "operation", Value: "find_tariff_candidates" }) Interlocked.Add(ref published, value);
            }
        });
        listener.Start();
        var before = Snapshot();

        for (var i = 0; i < 100; i++)
        {
            await service.LookupDuty(new LookupDutyRequest
            {
                Importer = "US", Origin = i % 2 == 0 ? "CN" : "MX", HsCode = $"85076000{i % 100:D2}",
                AsOf = new Google.Type.Date { Year = 2019 + i % 8, Month = 1 + i % 12, Day = 1 + i % 28 },
            }, new TestCallContext(Ct));
        }

        Assert.Equal(100, _store.RoundTrips.Total - before.Total);
        // Other tests may look up at the same time through their own stores; this store's hundred are among them.
        Assert.True(Interlocked.Read(ref published) >= 100, $"the meter published {published} find_tariff_candidates round trips");
    }

    private (long Total, long Duty, long Export) Snapshot() =>
        (_store.RoundTrips.Total, _store.RoundTrips[StoreOperation.FindTariffCandidates], _store.RoundTrips[StoreOperation.FindExportCandidates]);

    /// <summary>The little of a call context the lookup services use: its cancellation token.</summary>
    private sealed class TestCallContext(CancellationToken ct) : ServerCallContext
    {
        protected override string MethodCore => "test";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => ct;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
