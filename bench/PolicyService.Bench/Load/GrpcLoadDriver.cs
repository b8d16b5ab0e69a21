using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace PolicyService.Bench.Load;

/// <summary>What one timed phase measured on the client side.</summary>
/// <param name="Requests">Successful calls that started and finished inside the timed window.</param>
/// <param name="AllCalls">Every call sent in the phase, warm-up included (to relate to the server's own counters).</param>
public sealed record PhaseLoad(long Requests, long Failures, double Seconds, IReadOnlyList<int> LatenciesMicros, string? FirstFailure, long AllCalls = 0)
{
    public double RequestsPerSecond => Requests / Seconds;
}

/// <summary>
/// A closed-loop gRPC load generator for unary calls whose request bodies vary, which h2load cannot do (it sends one
/// body, from --data, with every request). It speaks plain HTTP/2 through <see cref="SocketsHttpHandler"/>, as h2load does:
/// pre-framed request bodies (the 5-byte gRPC prefix and the protobuf message), <c>content-type: application/grpc</c>,
/// <c>te: trailers</c>; no gRPC client stack, so the client costs little per call. It keeps <c>connections × streams</c>
/// calls in flight (h2load's -c and -m), cycles through the bodies in order, and checks every response: HTTP 200, a
/// framed message, and <c>grpc-status: 0</c> in the trailers.
/// </summary>
public static class GrpcLoadDriver
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");

    /// <summary>Frames a protobuf message as one gRPC length-prefixed message (uncompressed).</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message)
    {
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed.AsSpan(5));
        return framed;
    }

    /// <param name="onMeasuring">Called when the timed window opens (true) and closes (false), e.g. to read the server's CPU time.</param>
    public static async Task<PhaseLoad> RunAsync(Uri server, string method, IReadOnlyList<byte[]> bodies, int connections, int streams,
        TimeSpan warmUp, TimeSpan duration, Action<bool> onMeasuring, CancellationToken ct)
    {
        var uri = new Uri(server, method);
        var clients = Enumerable.Range(0, connections).Select(_ => new HttpClient(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        }).ToArray();

        var state = new RunState(bodies.Count);
        var workers = new List<Task<Worker>>();
        for (var c = 0; c < connections; c++)
        {
            for (var s = 0; s < streams; s++)
            {
                var client = clients[c];
                workers.Add(Task.Run(() => WorkAsync(client, uri, bodies, state, ct), ct));
            }
        }

        await Task.Delay(warmUp, ct);
        onMeasuring(true);
        var watch = Stopwatch.StartNew();
        state.Measuring = true;
        await Task.Delay(duration, ct);
        state.Measuring = false;
        var seconds = watch.Elapsed.TotalSeconds;
        onMeasuring(false);
        state.Stop = true;

        var done = await Task.WhenAll(workers);
        foreach (var client in clients) client.Dispose();
        var latencies = new List<int>(done.Sum(w => w.Latencies.Count));
        foreach (var w in done) latencies.AddRange(w.Latencies);
        return new PhaseLoad(done.Sum(w => (long)w.Latencies.Count), done.Sum(w => w.Failures), seconds, latencies,
            done.Select(w => w.FirstFailure).FirstOrDefault(f => f is not null), done.Sum(w => w.AllCalls));
    }

    private sealed class RunState(int bodies)
    {
        private long _next = -1;
        public volatile bool Measuring;
        public volatile bool Stop;

        public int NextBody() => (int)(Interlocked.Increment(ref _next) % bodies);
    }

    private sealed class Worker
    {
        public List<int> Latencies { get; } = new(1 << 16);
        public long Failures { get; set; }
        public long AllCalls { get; set; }
        public string? FirstFailure { get; set; }
    }

    private static async Task<Worker> WorkAsync(HttpClient client, Uri uri, IReadOnlyList<byte[]> bodies, RunState state, CancellationToken ct)
    {
        var worker = new Worker();
        var buffer = new byte[64 * 1024];
        while (!state.Stop && !ct.IsCancellationRequested)
        {
            var content = new ByteArrayContent(bodies[state.NextBody()]);
            content.Headers.ContentType = GrpcContentType;
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = content,
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.TryAddWithoutValidation("te", "trailers");
            var measured = state.Measuring;
            var started = Stopwatch.GetTimestamp();
            string? failure;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var length = 0;
                await using (var body = await response.Content.ReadAsStreamAsync(ct))
                {
                    int read;
                    while ((read = await body.ReadAsync(buffer, ct)) > 0) length += read; // the answer is checked by the sampler, not here
                }
                failure = Check(response, length);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                failure = e.GetType().Name + ": " + e.Message;
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            worker.AllCalls++;
            // A call counts when it both started and finished inside the timed window.
            if (!measured || !state.Measuring) continue;
            if (failure is null)
            {
                worker.Latencies.Add((int)Math.Min(int.MaxValue, elapsed.Ticks / 10));
            }
            else
            {
                worker.Failures++;
                worker.FirstFailure ??= failure;
            }
        }
        return worker;
    }

    private static string? Check(HttpResponseMessage response, int length)
    {
        if (response.StatusCode != HttpStatusCode.OK) return $"HTTP {(int)response.StatusCode}";
        // A failed call may come back trailers-only: grpc-status in the headers.
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.FirstOrDefault()
            : response.Headers.TryGetValues("grpc-status", out var header) ? header.FirstOrDefault() : null;
        if (status != "0")
        {
            var message = response.TrailingHeaders.TryGetValues("grpc-message", out var m) ? m.FirstOrDefault()
                : response.Headers.TryGetValues("grpc-message", out var hm) ? hm.FirstOrDefault() : null;
            return $"grpc-status {status ?? "missing"} {Uri.UnescapeDataString(message ?? "")}";
        }
        return length < 5 ? "no response message" : null;
    }
}
