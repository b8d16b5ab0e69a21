using PolicyService.Server.Hosting;

// "migrate" brings the configured database to the current schema, loads the seed data if it holds none, and exits.
var migrateOnly = args is ["migrate", ..];
// The content root is the app's own directory, so appsettings.json applies wherever the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = migrateOnly ? args[1..] : args, ContentRootPath = AppContext.BaseDirectory });

var app = builder.AddPolicyServer().Build();
// A taken port, a lost database file: one log line naming what to fix, and a non-zero exit.
var setup = migrateOnly ? 0 : app.CheckListenPorts();
if (setup == 0) setup = await app.MigrateAsync(migrateOnly);
if (migrateOnly || setup != 0)
{
    await app.DisposeAsync(); // flushes the log line that says what failed
    return setup;
}

app.MapPolicyServer();
return await app.RunOrReportAsync();
