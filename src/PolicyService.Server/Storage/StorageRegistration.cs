namespace PolicyService.Server.Storage;

public static class StorageRegistration
{
    /// <summary>Registers the dialect chosen by the bound <see cref="StorageOptions"/>, the store, migrations and the reference data.</summary>
    public static IServiceCollection AddPolicyStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp => CreateDialect(sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<SnapshotOptions>()));
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<IPolicyStore, SnapshotStore>();
        services.AddSingleton(sp => new Snapshots.LiveSnapshot(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ChangeLogTail>();
        services.AddSingleton<SnapshotRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<SnapshotRefresher>());
        services.AddSingleton<Migrator>();
        // The catalog reads the database itself: the snapshot store's refresher reloads it.
        services.AddSingleton(sp => new ReferenceCatalog(sp.GetRequiredService<PolicyStore>()));
        services.AddSingleton<StorageHealth>();
        services.AddHostedService<StorageWatchdog>();
        services.AddHostedService<StoreRoundTripReport>();
        return services;
    }

    /// <summary>The dialect chosen by Storage:Provider, on ConnectionStrings:Policy (or the SQLite file).</summary>
    /// <exception cref="MissingDatabaseException">The SQLite file is missing though its snapshot file shows it held data.</exception>
    public static ISqlDialect CreateDialect(StorageOptions options, IConfiguration configuration, SnapshotOptions? snapshots = null)
    {
        var connectionString = configuration.GetConnectionString("Policy");
        return options.Provider.ToLowerInvariant() switch
        {
            "sqlite" => string.IsNullOrWhiteSpace(connectionString)
                ? SqliteDialect.ForFile(MissingDatabaseException.ThrowIfLost(Path.Combine(AppContext.BaseDirectory, options.SqlitePath), options, snapshots))
                : new SqliteDialect(connectionString),
            "sqlserver" => new SqlServerDialect(string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException("Storage:Provider is SqlServer but ConnectionStrings:Policy is empty.")
                : connectionString),
            _ => throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported; use Sqlite or SqlServer."),
        };
    }
}
