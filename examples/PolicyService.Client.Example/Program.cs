using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PolicyService.Client;
using PolicyService.Client.Example;

// Configuration from appsettings.json, environment variables (PolicyService__Address) and the command line
// (--PolicyService:Address=http://…, --Questions:HsCode=…).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddPolicyServiceClient(builder.Configuration.GetSection(PolicyServiceClientOptions.DefaultSectionName));
builder.Services.Configure<Questions>(builder.Configuration.GetSection("Questions"));
builder.Services.AddTransient<TradeReport>();

using var host = builder.Build();
return await host.Services.GetRequiredService<TradeReport>().RunAsync(Console.Out, CancellationToken.None);
