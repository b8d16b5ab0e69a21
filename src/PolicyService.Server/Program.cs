using PolicyService.Server.Hosting;

// "migrate" brings the configured database to the current schema, loads the seed data if it holds none, and exits.
var migrateOnly = args is ["migrate", ..];
// The content root is the app's own directory, so appsettings.json applies wherever the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = migrateOnly ? args[1..] : args, ContentRootPath = AppContext.BaseDirectory });

var app = builder.AddPolicyServer().Build();
await app.MigrateAsync(migrateOnly);
if (migrateOnly) return 0;

app.MapPolicyServer();
await app.RunAsync();
return 0;
