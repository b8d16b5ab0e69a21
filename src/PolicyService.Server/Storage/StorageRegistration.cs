namespace PolicyService.Server.Storage;

public static class StorageRegistration
{
    /// <summary>Registers the dialect chosen by the bound <see cref="StorageOptions"/>, the store, migrations and the reference data.</summary>
    public static IServiceCollection AddPolicyStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp => CreateDialect(sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IPolicyStore, PolicyStore>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<ReferenceCatalog>();
        services.AddSingleton<StorageHealth>();
        services.AddHostedService<ReferenceRefresher>();
        services.AddHostedService<StoreRoundTripReport>();
        return services;
    }

    /// <summary>The dialect chosen by Storage:Provider, on ConnectionStrings:Policy (or the SQLite file).</summary>
    public static ISqlDialect CreateDialect(StorageOptions options, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Policy");
        return options.Provider.ToLowerInvariant() switch
        {
            "sqlite" => string.IsNullOrWhiteSpace(connectionString)
                ? SqliteDialect.ForFile(Path.Combine(AppContext.BaseDirectory, options.SqlitePath))
                : new SqliteDialect(connectionString),
            "sqlserver" => new SqlServerDialect(string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException("Storage:Provider is SqlServer but ConnectionStrings:Policy is empty.")
                : connectionString),
            _ => throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported; use Sqlite or SqlServer."),
        };
    }
}
