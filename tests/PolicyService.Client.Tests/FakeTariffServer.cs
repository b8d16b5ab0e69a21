using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradePolicy.V1;

namespace PolicyService.Client.Tests;

/// <summary>What the fake saw of one call.</summary>
public sealed record ReceivedCall(int Attempt, DateTime ReceivedUtc, DateTime DeadlineUtc, string? Authorization, string? ClientCertificateThumbprint)
{
    public DateTime? CancelledUtc { get; set; }
}

/// <summary>
/// A TariffService on a loopback port, hosted by Kestrel in the test process, whose answers a test scripts: to make
/// the failures the client must cope with (UNAVAILABLE a few times, a server too slow for the deadline) happen on cue.
/// </summary>
public sealed class FakeTariffServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _attempts;

    private FakeTariffServer(WebApplication app, Func<int, ServerCallContext, Task> behavior)
    {
        _app = app;
        Behavior = behavior;
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>Runs before each answer with the 1-based attempt number; throw an RpcException to fail the call.</summary>
    internal Func<int, ServerCallContext, Task> Behavior { get; }

    public ConcurrentQueue<ReceivedCall> Calls { get; } = new();

    internal int NextAttempt() => Interlocked.Increment(ref _attempts);

    public static async Task<FakeTariffServer> StartAsync(Func<int, ServerCallContext, Task> behavior, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                listen.UseHttps(certificate, https =>
                {
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.AllowAnyClientCertificate(); // the test compares the thumbprint it received
                });
            }
        }));
        builder.Services.AddGrpc();
        FakeTariffServer? server = null;
        builder.Services.AddSingleton(_ => server!);
        var app = builder.Build();
        app.MapGrpcService<FakeTariffService>();
        server = new FakeTariffServer(app, behavior);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Address = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Fails the first <paramref name="failures"/> attempts with <paramref name="code"/>, then answers.</summary>
    public static Func<int, ServerCallContext, Task> FailFirst(int failures, StatusCode code = StatusCode.Unavailable) =>
        (attempt, _) => attempt <= failures ? throw new RpcException(new Status(code, $"scripted failure {attempt}")) : Task.CompletedTask;

    /// <summary>Waits <paramref name="delay"/> (or until the call is cancelled) before answering.</summary>
    public static Func<int, ServerCallContext, Task> Slow(TimeSpan delay) => (_, context) => Task.Delay(delay, context.CancellationToken);

    internal sealed class FakeTariffService(FakeTariffServer server) : TariffService.TariffServiceBase
    {
        public override async Task<LookupDutyResponse> LookupDuty(LookupDutyRequest request, ServerCallContext context)
        {
            await RunBehaviorAsync(context);
            return new LookupDutyResponse
            {
                Importer = request.Importer,
                Origin = request.Origin,
                HsCode = request.HsCode,
                AsOf = request.AsOf ?? new Google.Type.Date { Year = 2025, Month = 1, Day = 1 },
                TotalAdValoremPercent = "12.5",
                Layers = { new DutyLayer { MeasureId = "FAKE-1", AdValoremPercent = "12.5" } },
                Coverage = new Coverage { ReviewedThrough = new Google.Type.Date { Year = 2026, Month = 6, Day = 30 } },
            };
        }

        public override async Task<GetTariffMeasureResponse> GetTariffMeasure(GetTariffMeasureRequest request, ServerCallContext context)
        {
            await RunBehaviorAsync(context);
            return new GetTariffMeasureResponse { TariffMeasure = new TariffMeasure { Id = request.Id } };
        }

        private async Task RunBehaviorAsync(ServerCallContext context)
        {
            var http = context.GetHttpContext();
            var call = new ReceivedCall(server.NextAttempt(), DateTime.UtcNow, context.Deadline,
                context.RequestHeaders.GetValue("authorization"), http.Connection.ClientCertificate?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
            server.Calls.Enqueue(call);
            using var registration = context.CancellationToken.Register(() => call.CancelledUtc = DateTime.UtcNow);
            await server.Behavior(call.Attempt, context);
        }
    }
}
