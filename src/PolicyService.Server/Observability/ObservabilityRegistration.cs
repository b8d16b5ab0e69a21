using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PolicyService.Server.Observability;

public static class ObservabilityRegistration
{
    /// <summary>The standard OpenTelemetry key; when it is empty nothing is exported and nothing is sent anywhere.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Traces (ASP.NET Core with gRPC attributes, SqlClient, store calls) and metrics (ASP.NET Core and Kestrel, SqlClient,
    /// .NET runtime, per-RPC and store latency), exported over OTLP only when <see cref="OtlpEndpointKey"/> is configured.
    /// The rest of OpenTelemetry's standard keys (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_PROTOCOL, …)
    /// apply as documented. Instrumentation stays on without an exporter, so that every log line inside a call carries
    /// the call's trace id and incoming traceparent headers are honoured.
    /// </summary>
    public static IServiceCollection AddPolicyObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RpcMetricsInterceptor>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: "policyservice", serviceVersion: typeof(ObservabilityRegistration).Assembly.GetName().Version?.ToString()))
            .WithTracing(t => t
                // gRPC attributes on these spans (rpc.method, status) are an experimental opt-in of the instrumentation:
                // OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION=true, set by the Kubernetes manifests.
                // Probes arrive every few seconds from every kubelet; as spans they would drown the real calls.
                .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments("/grpc.health.v1.Health", StringComparison.Ordinal))
                .AddSqlClientInstrumentation()
                .AddSource(PolicyTelemetry.Name))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddSqlClientInstrumentation()
                .AddMeter("System.Runtime")
                .AddMeter(PolicyTelemetry.Name));

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            telemetry.UseOtlpExporter();
        }
        return services;
    }
}
