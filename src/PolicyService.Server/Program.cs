using PolicyService.Server.Api;
using PolicyService.Server.Hosting;
using PolicyService.Server.Observability;
using PolicyService.Server.Storage;

// "migrate" brings the configured database to the current schema, loads the seed data if it holds none, and exits.
var migrateOnly = args.Length > 0 && args[0] == "migrate";
// The content root is the app's own directory, so appsettings.json applies wherever the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = migrateOnly ? args[1..] : args,
    ContentRootPath = AppContext.BaseDirectory,
});

builder.Services.AddSingleton(TimeProvider.System);
// TLS accepts any client certificate; whether it is trusted is the certificate authentication handler's call (Auth:ClientCertificateCaPath).
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.AllowAnyClientCertificate()));
builder.Services.AddPolicyStorage(builder.Configuration);
builder.Services.AddPolicyAuthentication(builder.Configuration);
builder.Services.AddGracefulShutdown(builder.Configuration);
builder.Services.AddPolicyObservability(builder.Configuration);
builder.Services.AddSingleton(builder.Configuration.GetSection(ChangeFeedOptions.Section).Get<ChangeFeedOptions>() ?? new ChangeFeedOptions());
builder.Services.AddSingleton<PolicyService.Server.Changes.ChangePlanner>();
builder.Services.AddGrpc(o =>
{
    o.Interceptors.Add<ErrorMappingInterceptor>();
    o.MaxReceiveMessageSize = 64 * 1024 * 1024; // an import of many changes is one message
});
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks(o =>
    {
        o.Services.Map("", r => r.Tags.Contains("ready"));
        o.Services.Map("readiness", r => r.Tags.Contains("ready"));
        o.Services.Map("liveness", r => r.Tags.Contains("live"));
    })
    .AddCheck("process", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(), tags: ["live"])
    .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

var app = builder.Build();

var storage = app.Services.GetRequiredService<StorageOptions>();
if (migrateOnly || storage.IsSqlite)
{
    // The embedded database is this process's own: it is migrated and seeded at start-up. SQL Server is migrated by 'migrate'.
    var setup = await app.Services.GetRequiredService<DatabaseSetup>().RunOrReportAsync(app.Lifetime.ApplicationStopping);
    if (migrateOnly || setup != 0)
    {
        await app.DisposeAsync(); // flushes the log line that says what failed
        return setup;
    }
}

app.UseAuthentication();
app.UseAuthorization();

var auth = app.Services.GetRequiredService<AuthOptions>();
foreach (var lookups in new[]
{
    app.MapGrpcService<TariffGrpcService>(),
    app.MapGrpcService<ExportControlGrpcService>(),
    app.MapGrpcService<TruceGrpcService>(),
    app.MapGrpcService<ChangeFeedGrpcService>(),
})
{
    if (auth.RequireReaderForLookups) lookups.RequireAuthorization(Authentication.ReaderPolicy);
}
app.MapGrpcService<PolicyAdminGrpcService>();
app.MapGrpcHealthChecksService();
app.MapGrpcReflectionService();

await app.RunAsync();
return 0;
