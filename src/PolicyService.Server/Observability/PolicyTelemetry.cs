using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace PolicyService.Server.Observability;

/// <summary>
/// The server's own instruments: per-RPC latency and errors (recorded by <see cref="RpcMetricsInterceptor"/>) and the
/// latency of every store call (recorded around PolicyStore's one database wrapper). Names follow the OpenTelemetry
/// RPC conventions where they have one; the store's own names start with "policyservice." so they never collide with
/// the SqlClient instrumentation's db.client.* series, which measure single commands rather than whole store calls.
/// </summary>
public static class PolicyTelemetry
{
    public const string Name = "PolicyService.Server";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> RpcDuration = Meter.CreateHistogram(
        "rpc.server.call.duration", unit: "s", description: "Duration of gRPC calls handled by the server, by method and status.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    private static readonly Counter<long> RpcErrors = Meter.CreateCounter<long>(
        "policyservice.rpc.server.errors", unit: "{call}", description: "gRPC calls that ended with a status other than OK, by method and status.");

    private static readonly Histogram<double> StoreDuration = Meter.CreateHistogram(
        "policyservice.store.duration", unit: "s", description: "Duration of a store call: open a pooled connection, run its statements, map the rows.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    private static readonly Histogram<double> SnapshotApply = Meter.CreateHistogram(
        "policyservice.snapshot.apply.duration", unit: "s", description: "Time the snapshot refresher spent applying one batch of changes (reading the records, indexing, publishing).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    public static void RecordSnapshotApply(TimeSpan elapsed, int changes) => SnapshotApply.Record(elapsed.TotalSeconds, new TagList { { "changes", changes } });

    private static readonly Counter<long> SnapshotRebuilds = Meter.CreateCounter<long>(
        "policyservice.snapshot.rebuilds", unit: "{rebuild}",
        description: "Snapshots rebuilt from the database after the first, by reason: bulk_import (a batch too large to apply), change_log_rewound (a restored or replaced database).");

    public static void RecordSnapshotRebuild(string reason) => SnapshotRebuilds.Add(1, new KeyValuePair<string, object?>("reason", reason));

    // Lookups are expected in single-digit milliseconds; the default buckets (0 to 10 000) are too coarse below 5 ms.
    private static IReadOnlyList<double> LatencyBuckets => [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <param name="method">The gRPC method path, e.g. "/tradepolicy.v1.TariffService/LookupDuty".</param>
    public static void RecordRpc(string method, StatusCode status, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "rpc.system.name", "grpc" },
            { "rpc.method", method.Trim('/') },
            { "rpc.response.status_code", StatusName(status) },
        };
        RpcDuration.Record(elapsed.TotalSeconds, tags);
        if (status != StatusCode.OK) RpcErrors.Add(1, tags);
    }

    /// <summary>Starts timing one store call; dispose the result when the call is over.</summary>
    /// <param name="databaseSystem">The dialect's name: "sqlite" or "sqlserver".</param>
    /// <param name="operation">The store method, e.g. "FindTariffCandidatesAsync".</param>
    public static StoreCall StartStoreCall(string databaseSystem, string operation) => new(databaseSystem, operation);

    /// <summary>
    /// One timed store call, also a span so that SQLite calls (which no driver instrumentation sees) appear in traces —
    /// inside a request only: the background polls (snapshot refresher, watchdog) would otherwise start five traces a second.
    /// </summary>
    public sealed class StoreCall : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly string _system;
        private readonly string _operation;
        private readonly Activity? _activity;
        private string? _errorType;

        internal StoreCall(string system, string operation)
        {
            _system = system;
            _operation = operation.EndsWith("Async", StringComparison.Ordinal) ? operation[..^5] : operation;
            _activity = Activity.Current is null ? null : Source.StartActivity($"store {_operation}", ActivityKind.Internal);
            _activity?.SetTag("db.system.name", system);
            _activity?.SetTag("db.operation.name", _operation);
        }

        /// <summary>Marks the call failed; returns false so it can sit in an exception filter without catching.</summary>
        public bool Failed(Exception exception)
        {
            _errorType = exception.GetType().Name;
            _activity?.SetStatus(ActivityStatusCode.Error, _errorType);
            return false;
        }

        public void Dispose()
        {
            var tags = new TagList { { "db.system.name", _system }, { "db.operation.name", _operation } };
            if (_errorType is not null) tags.Add("error.type", _errorType);
            StoreDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
            _activity?.Dispose();
        }
    }

    private static string StatusName(StatusCode status) => status switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => "UNKNOWN",
    };
}
