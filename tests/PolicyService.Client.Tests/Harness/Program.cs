// Calls PolicyService through the packed client exactly as a consuming application would, and prints one JSON line
// with the outcome for the tests to read.
//   harness <command> <arguments…> [--Section:Key=value …] [--token=…] [--trust-thumbprint=…] [--deadline-ms=…] [--calls=N]
// With --calls=N the command runs N times on the same clients and the last call is reported (earlier calls warm up
// the process and the connection, so the reported time is the call's own).
// Commands: duty IMPORTER ORIGIN HS [DATE] | export EXPORTER DESTINATION ITEM [DATE] | truce A B [DATE] | measure ID
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PolicyService.Client;
using TradePolicy.V1;

var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var named = args.Where(a => a.StartsWith("--", StringComparison.Ordinal))
    .Select(a => a[2..].Split('=', 2))
    .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "", StringComparer.Ordinal);

var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(named.Where(kv => kv.Key.Contains(':', StringComparison.Ordinal)).Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))
    .Build();

var services = new ServiceCollection();
services.AddPolicyServiceClient(configuration.GetSection(PolicyServiceClientOptions.DefaultSectionName), options =>
{
    if (named.TryGetValue("token", out var token)) options.AccessTokenProvider = (_, _) => ValueTask.FromResult(token);
    if (named.TryGetValue("trust-thumbprint", out var thumbprint))
    {
        // The tests' server has a self-signed certificate: trust exactly that one.
        options.ConfigureHttpHandler = handler => handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.OrdinalIgnoreCase);
    }
});

var calls = named.TryGetValue("calls", out var count) ? int.Parse(count, CultureInfo.InvariantCulture) : 1;
await using var provider = services.BuildServiceProvider();
var last = new JsonObject();
for (var call = 1; call <= calls; call++) last = await CallAsync();
Console.WriteLine(last.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));

async Task<JsonObject> CallAsync()
{
    var result = new JsonObject();
    var stopwatch = Stopwatch.StartNew();
    try
    {
        var client = provider.GetRequiredService<IPolicyServiceClient>();
        DateOnly? Date(int index) => positional.Length > index ? DateOnly.ParseExact(positional[index], "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        switch (positional[0])
        {
            case "duty":
                var duty = await client.LookupDutyAsync(positional[1], positional[2], positional[3], Date(4));
                result["total"] = duty.GetTotalAdValoremPercent().ToString(CultureInfo.InvariantCulture);
                result["layers"] = new JsonArray([.. duty.Layers.Select(l => (JsonNode)$"{l.MeasureId}={l.GetAdValoremPercent()?.ToString(CultureInfo.InvariantCulture)}")]);
                result["asOf"] = duty.AsOf.ToDateOnly().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                result["reviewedThrough"] = duty.Coverage.ReviewedThrough.ToDateOnly().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                break;
            case "export":
                var export = await client.CheckExportAsync(positional[1], positional[2], positional[3], Date(4));
                result["licenseRequired"] = export.LicenseRequired;
                result["inForce"] = new JsonArray([.. export.ControlsInForce.Select(c => (JsonNode)c.ControlId)]);
                result["suspendedUntil"] = new JsonArray([.. export.ControlsSuspended.Select(c =>
                    (JsonNode)$"{c.ControlId}={c.Period.SuspendedUntil.ToDateOnlyOrNull()?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}")]);
                break;
            case "truce":
                var truce = await client.GetTruceStatusAsync(positional[1], positional[2], Date(3));
                result["truces"] = new JsonArray([.. truce.Truces.Select(t => (JsonNode)$"{t.Truce.Id}:{t.DaysRemaining}")]);
                break;
            case "timeline":
                // --lapse=<truce id>@<yyyy-MM-dd>: the same timeline if that truce lapsed on that date.
                var scenario = named.TryGetValue("lapse", out var lapse)
                    ? new Scenario { Assumptions = { new ScenarioAssumption { TruceLapses = new TruceLapse { TruceId = lapse.Split('@')[0], OnDate = DateOnly.ParseExact(lapse.Split('@')[1], "yyyy-MM-dd", CultureInfo.InvariantCulture).ToProtoDate() } } } }
                    : null;
                var timeline = await client.GetDutyTimelineAsync(positional[1], positional[2], positional[3], Date(4)!.Value, Date(5)!.Value, scenario);
                result["segments"] = new JsonArray([.. timeline.Segments.Select(s =>
                    (JsonNode)$"{s.StartDate.ToDateOnly().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}={s.GetTotalAdValoremPercent().ToString(CultureInfo.InvariantCulture)}")]);
                break;
            case "export-timeline":
                var exports = await client.GetExportTimelineAsync(positional[1], positional[2], positional[3], Date(4)!.Value, Date(5)!.Value);
                result["segments"] = new JsonArray([.. exports.Segments.Select(s =>
                    (JsonNode)$"{s.StartDate.ToDateOnly().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}={(s.Prohibited ? "prohibited" : s.LicenseRequired ? "licence" : "free")}")]);
                break;
            case "measure":
                // Through the generated client the facade exposes; an explicit deadline here overrides the default one.
                var tariffs = provider.GetRequiredService<PolicyServiceClient>().Tariffs;
                DateTime? deadline = named.TryGetValue("deadline-ms", out var ms) ? DateTime.UtcNow.AddMilliseconds(int.Parse(ms, CultureInfo.InvariantCulture)) : null;
                var measure = await tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = positional[1] }, deadline: deadline);
                result["id"] = measure.TariffMeasure.Id;
                result["periods"] = measure.TariffMeasure.Periods.Count;
                break;
            default:
                throw new ArgumentException($"Unknown command '{positional[0]}'.");
        }
        result["status"] = "OK";
    }
    catch (RpcException e)
    {
        result["status"] = e.StatusCode.ToString();
        result["detail"] = e.Status.Detail;
        result["reason"] = e.GetErrorInfo()?.Reason;
        result["fields"] = new JsonArray([.. e.GetFieldViolations().Select(v => (JsonNode)v.Field)]);
        result["hsCodeInvalid"] = e.IsInvalidField("hs_code");
    }
    catch (Exception e) when (e is Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException)
    {
        result["status"] = "ConfigurationError";
        result["message"] = e.Message;
    }
    result["elapsedMs"] = stopwatch.ElapsedMilliseconds;
    return result;
}
