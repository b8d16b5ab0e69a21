using PolicyService.Server.Api;
using PolicyService.Server.Products;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Hosting;

public static class PolicyServerEndpoints
{
    /// <summary>
    /// The embedded database is this process's own: it is migrated and seeded at start-up. SQL Server is migrated only by
    /// 'migrate' (<paramref name="migrateOnly"/>), once per release.
    /// </summary>
    /// <returns>
    /// The process exit code when set-up failed (2: the database refuses the configuration; 3: the SQLite file is missing
    /// though its snapshot file shows it held data), else 0.
    /// </returns>
    public static async Task<int> MigrateAsync(this WebApplication app, bool migrateOnly)
    {
        // The HS 2022 index builds on another core meanwhile; MapPolicyServer waits for it (a singleton is built once).
        if (!migrateOnly) _ = Task.Run(() => app.Services.GetRequiredService<ProductCatalog>());
        return migrateOnly || app.Services.GetRequiredService<StorageOptions>().IsSqlite
            ? await app.ReportMissingDatabaseAsync(() => app.Services.GetRequiredService<DatabaseSetup>().RunOrReportAsync(app.Lifetime.ApplicationStopping))
            : 0;
    }

    /// <summary>The gRPC services, health and reflection; reads need the reader role when Auth:RequireReaderForLookups is set.</summary>
    public static WebApplication MapPolicyServer(this WebApplication app)
    {
        app.Services.GetRequiredService<ProductCatalog>(); // the HS 2022 index is built before serving, not by the first search
        PageToken.UseKey(app.Configuration);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequestGate>(); // after authorization: an unauthorised caller's body is never read

        var auth = app.Services.GetRequiredService<AuthOptions>();
        foreach (var reads in new[]
        {
            app.MapGrpcService<TariffGrpcService>(),
            app.MapGrpcService<ExportControlGrpcService>(),
            app.MapGrpcService<TruceGrpcService>(),
            app.MapGrpcService<SourceGrpcService>(),
            app.MapGrpcService<CoverageGrpcService>(),
            app.MapGrpcService<CalendarGrpcService>(),
            app.MapGrpcService<ProductGrpcService>(),
            app.MapGrpcService<ChangeFeedGrpcService>(),
        })
        {
            if (auth.RequireReaderForLookups) reads.RequireAuthorization(Callers.ReaderPolicy);
        }
        app.MapGrpcService<PolicyAdminGrpcService>();
        app.MapGrpcHealthChecksService();
        // Where reads need a role, so does reflection: it would otherwise describe the admin service to anyone.
        var reflection = app.MapGrpcReflectionService();
        if (auth.RequireReaderForLookups) reflection.RequireAuthorization(Callers.ReaderPolicy);
        app.MapPolicyHttpApi();
        return app;
    }
}
