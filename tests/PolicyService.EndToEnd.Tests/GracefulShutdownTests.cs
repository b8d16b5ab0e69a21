using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// SIGTERM sent to the real server process, as the kubelet sends it when a pod is deleted during a rollout or a drain.
/// Calls are held "in flight" by a client that sends its request headers and the first byte of its message, then withholds
/// the rest: the server has accepted the call and is inside it, like a slow upload, without any test hook in the server.
/// </summary>
public class GracefulShutdownTests
{
    private const int Sigterm = 15;
    private const int DrainDelaySeconds = 4; // long enough for the checks below to run inside it on a loaded CI machine
    private const int TimeoutSeconds = 15;

    [Fact]
    public async Task On_SIGTERM_readiness_fails_calls_in_flight_all_succeed_and_the_process_exits_0()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(
            [new("Shutdown:DrainDelaySeconds", $"{DrainDelaySeconds}"), new("Shutdown:TimeoutSeconds", $"{TimeoutSeconds}")], ct: ct);
        var health = new Health.HealthClient(server.Channel);

        // Calls in flight: their headers reached the server, their messages wait for the gate.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var held = new HeldRequests(gate.Task);
        using var heldChannel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = held });
        var inFlight = Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? (Task<string>)DutyOf(new TariffService.TariffServiceClient(heldChannel))
            : TruceOf(new TruceService.TruceServiceClient(heldChannel))).ToList();
        await held.WaitUntilSentAsync(8, TimeSpan.FromSeconds(10));
        await Task.Delay(300, ct); // let Kestrel dispatch the eight streams to their handlers

        // Steady traffic from a client that, like a load balancer, stops sending once readiness fails.
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        var steady = Enumerable.Range(0, 4).Select(_ => SteadyTrafficUntilNotReady(server.Channel, ct)).ToList();
        await Task.Delay(300, ct);

        var clock = Stopwatch.StartNew();
        server.Signal(Sigterm);

        await server.WaitForHealthAsync("readiness", ServingStatus.NotServing, TimeSpan.FromSeconds(2), ct);
        var notReadyAfter = clock.Elapsed;
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "liveness" }, deadline: Deadline)).Status);
        // During the drain delay the server still answers new calls (endpoints may not have been removed yet).
        Assert.Equal("27.5", await DutyOf(tariffs));   // the Li-ion battery of 2025-11-15
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(DrainDelaySeconds), "the drain check ran too late to mean anything");

        var steadyResults = (await Task.WhenAll(steady)).SelectMany(r => r).ToList();
        Assert.NotEmpty(steadyResults);
        Assert.All(steadyResults, r => Assert.Equal("27.5", r));

        // After the drain the listener is closed: a new connection is refused.
        var drainOver = TimeSpan.FromSeconds(DrainDelaySeconds) + TimeSpan.FromMilliseconds(700);
        if (clock.Elapsed < drainOver) await Task.Delay(drainOver - clock.Elapsed, ct);
        Assert.False(server.HasExited, $"the server exited with calls still in flight:\n{server.Output}");
        using (var fresh = GrpcChannel.ForAddress(server.Address))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => DutyOf(new TariffService.TariffServiceClient(fresh)));
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        }

        // The calls that were in flight all along now send their messages, and every one is answered.
        gate.SetResult();
        var answers = await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(TimeoutSeconds), ct);
        Assert.Equal(["27.5", "TRUCE-US-CN-2025", "27.5", "TRUCE-US-CN-2025", "27.5", "TRUCE-US-CN-2025", "27.5", "TRUCE-US-CN-2025"], answers);

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var exitedAfter = clock.Elapsed;
        Assert.Equal(0, exitCode);
        Assert.True(notReadyAfter < TimeSpan.FromSeconds(2), $"readiness failed only after {notReadyAfter}");
        Assert.True(exitedAfter < TimeSpan.FromSeconds(DrainDelaySeconds + TimeoutSeconds), $"exit took {exitedAfter}");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"shutdown: not ready after {notReadyAfter.TotalMilliseconds:F0} ms, exited after {exitedAfter.TotalMilliseconds:F0} ms, " +
            $"{steadyResults.Count} steady calls until readiness failed, {answers.Length} held calls answered");
    }

    [Fact]
    public async Task A_call_that_never_finishes_cannot_hold_the_process_past_its_shutdown_budget()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(
            [new("Shutdown:DrainDelaySeconds", "1"), new("Shutdown:TimeoutSeconds", "2")], ct: ct);

        var never = new TaskCompletionSource();
        using var held = new HeldRequests(never.Task);
        using var heldChannel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = held });
        var stuck = DutyOf(new TariffService.TariffServiceClient(heldChannel));
        await held.WaitUntilSentAsync(1, TimeSpan.FromSeconds(10));
        await Task.Delay(300, ct);

        var clock = Stopwatch.StartNew();
        server.Signal(Sigterm);
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(15));

        // The budget is drain + timeout = 3 s; the kubelet's SIGKILL would come only after terminationGracePeriodSeconds.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(8));
        Assert.Equal(0, exitCode);
        // Kestrel resets the stream it gave up on; the client sees the call end (CANCELLED), not hang.
        var aborted = await Assert.ThrowsAsync<RpcException>(() => stuck);
        Assert.Contains(aborted.StatusCode, new[] { StatusCode.Cancelled, StatusCode.Unavailable });
    }

    private static async Task<string> DutyOf(TariffService.TariffServiceClient client) =>
        (await client.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "8507.60.00.20", AsOf = Date("2025-11-15") },
            deadline: DateTime.UtcNow.AddSeconds(30))).TotalAdValoremPercent;

    private static async Task<string> TruceOf(TruceService.TruceServiceClient client) =>
        (await client.GetTruceStatusAsync(new GetTruceStatusRequest { PartyA = "US", PartyB = "CN", AsOf = Date("2025-11-15") },
            deadline: DateTime.UtcNow.AddSeconds(30))).Truces.Single().Truce.Id;

    private static async Task<List<string>> SteadyTrafficUntilNotReady(GrpcChannel channel, CancellationToken ct)
    {
        var tariffs = new TariffService.TariffServiceClient(channel);
        var health = new Health.HealthClient(channel);
        var results = new List<string>();
        while (results.Count < 10_000)
        {
            results.Add(await DutyOf(tariffs));
            var ready = await health.CheckAsync(new HealthCheckRequest { Service = "readiness" }, deadline: Deadline, cancellationToken: ct);
            if (ready.Status != ServingStatus.Serving) return results;
        }
        throw new InvalidOperationException("readiness never failed");
    }

    /// <summary>Sends each request's headers and first byte at once, and the rest of its message only when the gate opens.</summary>
    private sealed class HeldRequests(Task gate) : DelegatingHandler(new SocketsHttpHandler { EnableMultipleHttp2Connections = false })
    {
        private int _sent;
        private readonly SemaphoreSlim _bodiesWaiting = new(0);

        public async Task WaitUntilSentAsync(int count, TimeSpan timeout)
        {
            for (var i = 0; i < count; i++)
                Assert.True(await _bodiesWaiting.WaitAsync(timeout), $"only {_sent} of {count} requests reached the server");
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } body) request.Content = new HeldContent(body, gate, this);
            return base.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _bodiesWaiting.Dispose();
            base.Dispose(disposing);
        }

        private sealed class HeldContent : HttpContent
        {
            private readonly HttpContent _inner;
            private readonly Task _gate;
            private readonly HeldRequests _owner;

            public HeldContent(HttpContent inner, Task gate, HeldRequests owner)
            {
                (_inner, _gate, _owner) = (inner, gate, owner);
                foreach (var header in inner.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
                SerializeToStreamAsync(stream, context, CancellationToken.None);

            // The first byte of the gRPC frame goes out with a flush, which also sends the HEADERS frame that the client
            // would otherwise keep buffered: the call is open on the server and waits for the rest of its message.
            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
            {
                var message = await _inner.ReadAsByteArrayAsync(cancellationToken);
                await stream.WriteAsync(message.AsMemory(0, 1), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                Interlocked.Increment(ref _owner._sent);
                _owner._bodiesWaiting.Release();
                await _gate.WaitAsync(cancellationToken);
                await stream.WriteAsync(message.AsMemory(1), cancellationToken);
            }

            protected override bool TryComputeLength(out long length)
            {
                length = 0;
                return false;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) _inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
