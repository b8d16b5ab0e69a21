using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PolicyService.Server.Hosting;

public static class HealthChecks
{
    /// <summary>grpc.health.v1.Health: "" and "readiness" report the checks tagged "ready", "liveness" those tagged "live".</summary>
    public static IServiceCollection AddPolicyHealthChecks(this IServiceCollection services)
    {
        services.AddGrpcHealthChecks(o =>
            {
                o.Services.Map("", r => r.Tags.Contains("ready"));
                o.Services.Map("readiness", r => r.Tags.Contains("ready"));
                o.Services.Map("liveness", r => r.Tags.Contains("live"));
            })
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: ["live"])
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }
}
