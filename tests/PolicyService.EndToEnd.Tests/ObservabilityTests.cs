using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

public class ObservabilityTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_configured_traces_metrics_and_logs_reach_the_collector()
    {
        var ct = TestContext.Current.CancellationToken;
        using var collector = new FakeOtlpCollector();
        await using var server = await ServerProcess.StartAsync(
            [
                new("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Address),
                new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                new("OTEL_METRIC_EXPORT_INTERVAL", "500"),
                new("OTEL_BSP_SCHEDULE_DELAY", "200"),
                new("OTEL_BLRP_SCHEDULE_DELAY", "200"),
                new("OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION", "true"),
            ], ct: ct);
        var traceId = ActivityTraceId.CreateRandom();
        var tariffs = new TariffService.TariffServiceClient(server.Channel);

        // As known at an instant, so that the lookup reads the database (current knowledge is answered from memory).
        await tariffs.LookupDutyAsync(new LookupDutyRequest
            {
                Importer = "US", Origin = "CN", HsCode = "850760", AsOf = Date("2025-11-15"), KnownAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
            },
            headers: [new("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01")], deadline: Deadline);
        var bad = await Assert.ThrowsAsync<RpcException>(() => tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "USA" }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);

        // The caller's trace continues in the server: its id is in the exported spans, beside the span of the store call.
        // The exporter batches spans, so the server span and its child may arrive in different exports: wait for each.
        await collector.WaitForAsync("/v1/traces", body => body.Contains(traceId) && body.Contains("tradepolicy.v1.TariffService/LookupDuty"),
            TimeSpan.FromSeconds(20), ct); // the server span names the gRPC method
        await collector.WaitForAsync("/v1/traces", body => body.Contains(traceId) && body.Contains("store FindTariffCandidates"),
            TimeSpan.FromSeconds(20), ct); // the store call is a span of the same trace

        var metrics = await collector.WaitForAsync("/v1/metrics",
            body => body.Contains("rpc.server.call.duration") && body.Contains("INVALID_ARGUMENT"), TimeSpan.FromSeconds(20), ct);
        foreach (var name in new[] { "policyservice.rpc.server.errors", "policyservice.store.duration", "http.server.request.duration" })
            Assert.True(metrics.Contains(name), $"metrics export lacks {name}");

        // The snapshot refresher's polls (five a second) are no traces of their own: a store span always has a request as parent.
        Assert.DoesNotContain(collector.Received("/v1/traces"), body => body.Contains("store ChangesAfter"));

        // Logs go the same way (the console keeps its copy).
        await collector.WaitForAsync("/v1/logs", body => body.Contains("Now listening on"), TimeSpan.FromSeconds(20), ct);
    }

    [Fact]
    public async Task Json_console_logs_carry_the_trace_id_of_the_call_they_belong_to()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(
            [
                // The settings the Kubernetes ConfigMap uses, plus request logging to have a line inside a call.
                new("Logging:Console:FormatterName", "json"),
                new("Logging:Console:FormatterOptions:IncludeScopes", "true"),
                new("Logging:Console:FormatterOptions:UseUtcTimestamp", "true"),
                new("Logging:Console:FormatterOptions:TimestampFormat", "yyyy-MM-ddTHH:mm:ss.fffZ"),
                new("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information"),
            ], ct: ct);
        var traceId = ActivityTraceId.CreateRandom();

        await new TruceService.TruceServiceClient(server.Channel).GetTruceStatusAsync(
            new GetTruceStatusRequest { PartyA = "US", PartyB = "CN", AsOf = Date("2025-11-15") },
            headers: [new("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01")], deadline: Deadline);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<JsonElement> lines;
        while (true)
        {
            lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => JsonDocument.Parse(line).RootElement).ToList(); // every line is one JSON object, or this throws
            if (lines.Any(l => TraceIdOf(l) == traceId.ToString()) || DateTime.UtcNow > deadline) break;
            await Task.Delay(100, ct);
        }

        var inCall = lines.Where(l => TraceIdOf(l) == traceId.ToString()).ToList();
        Assert.NotEmpty(inCall);
        Assert.Contains(inCall, l => l.GetProperty("Message").GetString()!.Contains("/tradepolicy.v1.TruceService/GetTruceStatus", StringComparison.Ordinal));
        Assert.All(lines, l =>
        {
            Assert.True(l.TryGetProperty("Timestamp", out _));
            Assert.True(l.TryGetProperty("LogLevel", out _));
            Assert.True(l.TryGetProperty("Category", out _));
        });
    }

    private static string? TraceIdOf(JsonElement line) =>
        line.TryGetProperty("Scopes", out var scopes)
            ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out _))
                .Select(s => s.GetProperty("TraceId").GetString()).FirstOrDefault()
            : null;

    /// <summary>An OTLP/HTTP receiver on a loopback port that keeps every request body it is sent.</summary>
    private sealed class FakeOtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Path, byte[] Body)> _received = [];

        public FakeOtlpCollector()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Address = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
            }
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public string Address { get; }

        /// <summary>Waits for a body sent to the path that satisfies the predicate and returns it.</summary>
        public async Task<Payload> WaitForAsync(string path, Func<Payload, bool> predicate, TimeSpan timeout, CancellationToken ct)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                lock (_received)
                {
                    var match = _received.Where(r => r.Path == path).Select(r => new Payload(r.Body)).FirstOrDefault(predicate);
                    if (match is not null) return match;
                }
                await Task.Delay(100, ct);
            }
            lock (_received)
                throw new TimeoutException($"No matching OTLP export to {path}; received: {string.Join(", ", _received.Select(r => $"{r.Path} ({r.Body.Length} bytes)"))}");
        }

        /// <summary>Every body sent to the path so far.</summary>
        public IReadOnlyList<Payload> Received(string path)
        {
            lock (_received) return [.. _received.Where(r => r.Path == path).Select(r => new Payload(r.Body))];
        }

        public void Dispose() => _listener.Close();

        private async Task AcceptAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                var input = context.Request.Headers["Content-Encoding"] == "gzip"
                    ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress)
                    : context.Request.InputStream;
                await input.CopyToAsync(body);
                lock (_received) _received.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }

    /// <summary>A protobuf body: names and attribute values are plain UTF-8 in it, ids are raw bytes.</summary>
    private sealed class Payload(byte[] body)
    {
        public bool Contains(string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

        public bool Contains(ActivityTraceId id)
        {
            Span<byte> bytes = stackalloc byte[16];
            id.CopyTo(bytes);
            return body.AsSpan().IndexOf(bytes) >= 0;
        }
    }
}
