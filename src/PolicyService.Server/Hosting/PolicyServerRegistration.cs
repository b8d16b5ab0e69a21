using Grpc.AspNetCore.Server;
using PolicyService.Server.Api;
using PolicyService.Server.Changes;
using PolicyService.Server.Observability;
using PolicyService.Server.Products;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Hosting;

public static class PolicyServerRegistration
{
    /// <summary>Every service of the server: storage, authentication, shutdown, telemetry, the gRPC pipeline and health.</summary>
    public static WebApplicationBuilder AddPolicyServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        // TLS accepts any client certificate; whether it is trusted is the certificate authentication handler's call (Auth:ClientCertificateCaPath).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.AllowAnyClientCertificate()));

        services.AddBoundOptions<StorageOptions>(StorageOptions.Section,
            o => o.IsSqlite || string.Equals(o.Provider, "SqlServer", StringComparison.OrdinalIgnoreCase), "Provider must be Sqlite or SqlServer.");
        services.AddBoundOptions<SnapshotOptions>(SnapshotOptions.Section, o => o.IsValid(),
            "RefreshInterval must be positive; MinChangeTokenWait and MaxStaleness not negative; RebuildThreshold positive.");
        services.AddBoundOptions<ChangeFeedOptions>(ChangeFeedOptions.Section,
            o => o.PollInterval > TimeSpan.Zero && o.SendTimeout > TimeSpan.Zero && o.BatchSize > 0 && o.MaxSubscribers > 0 && o.MaxSubscribersPerCaller > 0,
            "PollInterval, SendTimeout, BatchSize, MaxSubscribers and MaxSubscribersPerCaller must be positive.");
        services.AddBoundOptions<LimitsOptions>(LimitsOptions.Section, o => o.IsValid, "ReadMessageBytes, AdminMessageBytes and ImportMessageBytes must be positive.");
        services.AddPolicyStorage();
        services.AddPolicyAuthentication(builder.Configuration);
        services.AddGracefulShutdown();
        services.AddPolicyObservability(builder.Configuration);
        services.AddSingleton<ChangePlanner>();
        services.AddSingleton<SeedUpdates>();
        services.AddSingleton<DatabaseSetup>();
        services.AddHostedService<StoreConfigurationCheck>();
        services.AddSingleton(_ => ProductCatalog.LoadEmbedded());
        services.AddSingleton<FeedSubscribers>();

        services.AddGrpc(o =>
        {
            // In this order: the metrics interceptor is outermost, so it records the status the error mapping produced.
            o.Interceptors.Add<RpcMetricsInterceptor>();
            o.Interceptors.Add<ErrorMappingInterceptor>();
            // Innermost: every response leaves through it, and its own failures are mapped like any other.
            o.Interceptors.Add<RecordedIdentityInterceptor>();
            // Request gzip is inflated by RequestGate, within the limits; grpc-dotnet would inflate it without bound.
            o.CompressionProviders.Clear();
        });
        // RequestGate applies the limit of each RPC family; these only keep gRPC and Kestrel from accepting more than the largest.
        services.AddOptions<GrpcServiceOptions>().Configure<LimitsOptions>((o, limits) => o.MaxReceiveMessageSize = limits.ReadMessageBytes);
        services.AddOptions<GrpcServiceOptions<PolicyAdminGrpcService>>().Configure<LimitsOptions>((o, limits) => o.MaxReceiveMessageSize = limits.Largest);
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>().Configure<LimitsOptions>(
            (k, limits) => k.Limits.MaxRequestBodySize = limits.Largest + 5L);
        services.AddGrpcReflection();
        builder.AddPolicyHttpApi();
        services.AddPolicyHealthChecks();
        return builder;
    }
}
