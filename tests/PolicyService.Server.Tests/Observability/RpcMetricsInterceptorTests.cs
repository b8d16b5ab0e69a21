using System.Diagnostics.Metrics;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PolicyService.Server.Api;
using PolicyService.Server.Hosting;
using PolicyService.Server.Observability;

namespace PolicyService.Server.Tests.Observability;

public class RpcMetricsInterceptorTests
{
    [Fact]
    public async Task A_successful_call_is_timed_with_status_OK_and_counts_no_error()
    {
        using var recorder = new RpcRecorder();
        var context = new FakeCallContext($"/test.v1.Probe/Ok{Guid.NewGuid():N}");

        var response = await new RpcMetricsInterceptor().UnaryServerHandler<string, string>("ping", context, async (r, _) =>
        {
            await Task.Delay(20);
            return r + "-pong";
        });

        Assert.Equal("ping-pong", response);
        var duration = Assert.Single(recorder.For("rpc.server.call.duration", context.Method));
        Assert.Equal("OK", duration.Tags["rpc.response.status_code"]);
        Assert.Equal("grpc", duration.Tags["rpc.system.name"]);
        Assert.Equal(context.Method.TrimStart('/'), duration.Tags["rpc.method"]);
        Assert.InRange(duration.Value, 0.015, 5);
        Assert.Empty(recorder.For("policyservice.rpc.server.errors", context.Method));
    }

    [Fact]
    public async Task A_mapped_error_is_recorded_with_its_status_and_counted()
    {
        using var recorder = new RpcRecorder();
        var context = new FakeCallContext($"/test.v1.Probe/Bad{Guid.NewGuid():N}");

        await Assert.ThrowsAsync<RpcException>(() => new RpcMetricsInterceptor().UnaryServerHandler<string, string>("x", context,
            (_, _) => throw new RpcException(new Status(StatusCode.InvalidArgument, "bad"))));

        Assert.Equal("INVALID_ARGUMENT", Assert.Single(recorder.For("rpc.server.call.duration", context.Method)).Tags["rpc.response.status_code"]);
        var error = Assert.Single(recorder.For("policyservice.rpc.server.errors", context.Method));
        Assert.Equal(1, error.Value);
        Assert.Equal("INVALID_ARGUMENT", error.Tags["rpc.response.status_code"]);
    }

    [Fact]
    public void The_metrics_interceptor_is_outermost_so_it_sees_the_status_the_error_mapping_chose_and_identities_are_hidden_innermost()
    {
        // The server's own registration, as Program.cs runs it.
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        builder.AddPolicyServer();

        var interceptors = builder.Services.BuildServiceProvider().GetRequiredService<IOptions<GrpcServiceOptions>>().Value.Interceptors;

        // Innermost, the identity step sees every response message before anything else wraps it.
        Assert.Equal([typeof(RpcMetricsInterceptor), typeof(ErrorMappingInterceptor), typeof(RecordedIdentityInterceptor)],
            interceptors.Select(i => i.Type));
    }

    private sealed record Measurement(double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Listens to the server's meter; tests filter by a method name of their own, so parallel tests never mix.</summary>
    private sealed class RpcRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Instrument, Measurement Measurement)> _seen = [];

        public RpcRecorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PolicyTelemetry.Name) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
            _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
            _listener.Start();
        }

        public List<Measurement> For(string instrument, string method)
        {
            lock (_seen)
                return _seen.Where(s => s.Instrument == instrument && Equals(s.Measurement.Tags.GetValueOrDefault("rpc.method"), method.TrimStart('/')))
                    .Select(s => s.Measurement).ToList();
        }

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var (key, tag) in tags) copy[key] = tag;
            lock (_seen) _seen.Add((instrument.Name, new Measurement(value, copy)));
        }
    }

    private sealed class FakeCallContext(string method) : ServerCallContext
    {
        protected override string MethodCore => method;
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore => [];
        protected override CancellationToken CancellationTokenCore => CancellationToken.None;
        protected override Metadata ResponseTrailersCore => [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
