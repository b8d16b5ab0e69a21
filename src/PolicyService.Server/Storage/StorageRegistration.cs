using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PolicyService.Server.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>"Sqlite" (the embedded default) or "SqlServer" (needs ConnectionStrings:Policy).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>The SQLite database file, created if missing (relative paths start at the app directory); ignored when ConnectionStrings:Policy is set.</summary>
    public string SqlitePath { get; set; } = "data/policyservice.db";

    public bool IsSqlite => string.Equals(Provider, "Sqlite", StringComparison.OrdinalIgnoreCase);
}

public static class StorageRegistration
{
    /// <summary>Registers the dialect chosen by configuration, the store, migrations and the database health check.</summary>
    public static IServiceCollection AddPolicyStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var connectionString = configuration.GetConnectionString("Policy");
        ISqlDialect dialect = options.Provider.ToLowerInvariant() switch
        {
            "sqlite" => string.IsNullOrWhiteSpace(connectionString)
                ? SqliteDialect.ForFile(Path.Combine(AppContext.BaseDirectory, options.SqlitePath))
                : new SqliteDialect(connectionString),
            "sqlserver" => new SqlServerDialect(string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException("Storage:Provider is SqlServer but ConnectionStrings:Policy is empty.")
                : connectionString),
            _ => throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported; use Sqlite or SqlServer."),
        };

        services.AddSingleton(options);
        services.AddSingleton(dialect);
        services.AddSingleton<IPolicyStore, PolicyStore>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<ReferenceCatalog>();
        services.AddHostedService<ReferenceRefresher>();
        services.AddHostedService<StoreRoundTripReport>();
        services.AddSingleton<DatabaseSetup>();
        services.AddHostedService<StoreConfigurationCheck>();
        return services;
    }
}

/// <summary>Ready when the database answers, its schema is current and policy data is loaded.</summary>
public sealed class DatabaseHealthCheck(IPolicyStore store, Migrator migrator, ReferenceCatalog catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await store.PingAsync(timeout.Token);
            var version = await migrator.CurrentVersionAsync(timeout.Token);
            if (version < migrator.LatestVersion)
                return HealthCheckResult.Unhealthy($"Schema at version {version}; this build needs {migrator.LatestVersion}. Run 'migrate'.");
            await catalog.GetAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (StoreMisconfiguredException e)
        {
            return HealthCheckResult.Unhealthy(e.Message, e);
        }
        catch (Exception e) when (e is StoreUnavailableException or OperationCanceledException or System.Data.Common.DbException)
        {
            return HealthCheckResult.Unhealthy("The policy database is unavailable.", e);
        }
    }
}
