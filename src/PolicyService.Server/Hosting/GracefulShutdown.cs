using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PolicyService.Server.Hosting;

/// <summary>Configuration section "Shutdown": how the server leaves a load balancer's rotation on SIGTERM.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// Seconds between SIGTERM and closing the listener. Readiness fails at once; calls are still served, so the
    /// endpoint controllers, kube-proxy and DNS have time to stop sending traffic here. 0 locally; 5 in the manifests.
    /// </summary>
    public int DrainDelaySeconds { get; set; }

    /// <summary>Seconds that calls in flight get to finish once the listener is closed; then they are aborted.</summary>
    public int TimeoutSeconds { get; set; } = 20;

    /// <summary>The whole shutdown budget (HostOptions.ShutdownTimeout): keep it below terminationGracePeriodSeconds.</summary>
    public TimeSpan Budget => TimeSpan.FromSeconds(DrainDelaySeconds + TimeoutSeconds);
}

public static class GracefulShutdownRegistration
{
    /// <summary>
    /// On SIGTERM (or Ctrl+C): readiness reports NOT_SERVING, the server keeps serving for the drain delay, then Kestrel
    /// stops accepting (HTTP/2 GOAWAY) and waits for calls in flight until the shutdown budget runs out.
    /// </summary>
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services)
    {
        services.AddBoundOptions<ShutdownOptions>(ShutdownOptions.Section, o => o.DrainDelaySeconds >= 0 && o.TimeoutSeconds >= 0,
            "DrainDelaySeconds and TimeoutSeconds must not be negative.");
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        services.AddOptions<HostOptions>().Configure<ShutdownOptions>((host, shutdown) => host.ShutdownTimeout = shutdown.Budget);
        services.AddHealthChecks().AddCheck<DrainingHealthCheck>("draining", tags: ["ready"]);
        return services;
    }
}

/// <summary>
/// The host calls every <see cref="IHostedLifecycleService.StoppingAsync"/> before any StopAsync, so Kestrel (stopped
/// in StopAsync) keeps serving while this waits out the drain delay.
/// </summary>
public sealed partial class ShutdownDrain(ShutdownOptions options, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        LogDraining(logger, options.DrainDelaySeconds, options.TimeoutSeconds);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.DrainDelaySeconds), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown budget ran out during the drain (or a second signal came): stop now.
        }
        LogClosing(logger);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown requested: readiness now fails; serving for {DrainDelaySeconds}s more, then calls in flight get {TimeoutSeconds}s.")]
    private static partial void LogDraining(ILogger logger, int drainDelaySeconds, int timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drain over: closing the listener and finishing calls in flight.")]
    private static partial void LogClosing(ILogger logger);
}

/// <summary>Unhealthy from the moment shutdown starts, so readiness (tag "ready") turns NOT_SERVING before the listener closes.</summary>
public sealed class DrainingHealthCheck(ShutdownDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("Shutting down.") : HealthCheckResult.Healthy());
}
