using System.Diagnostics.Metrics;

namespace PolicyService.Server.Storage;

/// <summary>What the store asks of the database, one counter per kind of request.</summary>
public enum StoreOperation
{
    FindTariffCandidates,
    GetTariffMeasure,
    TariffMeasureHistory,
    ListTariffMeasures,
    FindExportCandidates,
    GetExportControl,
    ExportControlHistory,
    ListExportControls,
    FindTruces,
    GetTruce,
    ListTruces,
    LoadReferenceData,
    LatestChange,
    ChangesAfter,
    FindRequest,
    Ping,
    Write,
    CurrentVersionsChanged,
    AllCurrentTariffMeasures,
    AllCurrentExportControls,
}

/// <summary>
/// Database round trips made by one store, by operation: one per command sent to the database (a batch of statements
/// is one command; a write sends one per statement and row). Each read of <see cref="PolicyStore"/> is exactly one
/// command, so "at most one round trip per lookup" can be checked by counting. The counts are also published as the
/// <c>policyservice.store.round_trips</c> counter of the <c>PolicyService.Store</c> meter (dotnet-counters, OpenTelemetry).
/// </summary>
public sealed class StoreRoundTrips
{
    public const string MeterName = "PolicyService.Store";
    public const string CounterName = "policyservice.store.round_trips";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Counter = Meter.CreateCounter<long>(CounterName, "{round_trip}",
        "Database round trips made by the policy store, by operation");
    private static readonly string[] Names = Enum.GetValues<StoreOperation>().Select(SnakeCase).ToArray();

    private readonly long[] _counts = new long[Names.Length];
    private readonly KeyValuePair<string, object?> _database;

    public StoreRoundTrips(string database) => _database = new("db.system", database);

    public long this[StoreOperation operation] => Interlocked.Read(ref _counts[(int)operation]);

    public long Total => Enum.GetValues<StoreOperation>().Sum(o => this[o]);


    public void Add(StoreOperation operation, int count = 1)
    {
        Interlocked.Add(ref _counts[(int)operation], count);
        if (Counter.Enabled) Counter.Add(count, _database, new KeyValuePair<string, object?>("operation", Names[(int)operation]));
    }

    /// <summary>The total and the operations that made any round trip: "15 (find_tariff_candidates=12, latest_change=3)".</summary>
    public override string ToString() => $"{Total} ({string.Join(", ",
        Enum.GetValues<StoreOperation>().Where(o => this[o] > 0).Select(o => $"{Names[(int)o]}={this[o]}"))})";

    public static string Name(StoreOperation operation) => Names[(int)operation];

    private static string SnakeCase(StoreOperation operation) =>
        string.Concat(operation.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>Logs the store's round trips when the server stops, so a benchmark can relate them to the calls it made.</summary>
public sealed partial class StoreRoundTripReport(PolicyStore store, ILogger<StoreRoundTripReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The database store itself, under the snapshot store the services use: its counter sees every round trip.
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Log(logger, store.RoundTrips);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store round trips since start: {RoundTrips}")]
    private static partial void Log(ILogger logger, StoreRoundTrips roundTrips);
}
