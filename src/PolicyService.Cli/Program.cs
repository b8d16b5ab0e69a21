using System.CommandLine;
using PolicyService.Cli;

var server = new Option<string>("--server")
{
    Description = "PolicyService address (env POLICYCTL_SERVER)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("POLICYCTL_SERVER") ?? "http://127.0.0.1:5080",
    Recursive = true,
};
var token = new Option<string?>("--token")
{
    Description = "Bearer token with the policy.editor role (env POLICYCTL_TOKEN)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("POLICYCTL_TOKEN"),
    Recursive = true,
};
var reason = new Option<string>("--reason") { Description = "Why the change is made (recorded with it)", Required = true };

var file = new Argument<FileInfo>("file") { Description = "JSON document of an ImportChangesRequest (protobuf JSON)" };
var requestId = new Option<string?>("--request-id") { Description = "Idempotency key; defaults to the file's request_id, else a hash of the file" };
var import = new Command("import", "Apply a file of changes in one transaction, all or nothing") { file, requestId, reason };
import.SetAction((result, ct) => With(result, connection => Commands.ImportAsync(connection, result.GetValue(file)!, result.GetValue(requestId), result.GetValue(reason)!, ct)));

var measureId = new Argument<string>("measure-id") { Description = "Tariff measure or export control id, e.g. TAR-US-17" };
var status = new Option<string>("--status") { Description = "ANNOUNCED, IN_FORCE, SUSPENDED, EXPIRED or REVOKED", Required = true };
var effective = new Option<DateOnly>("--effective") { Description = "First day of the new status (YYYY-MM-DD)", Required = true };
var rate = new Option<string?>("--rate") { Description = "New ad valorem percent, e.g. 10 (tariffs; default: unchanged)" };
var suspendedPercent = new Option<string?>("--suspended-percent") { Description = "Points of the rate suspended" };
var until = new Option<DateOnly?>("--until") { Description = "When a suspension is due to end (YYYY-MM-DD)" };
var term = new Option<string?>("--truce-term") { Description = "Truce term behind the change, e.g. TRU-15" };
var instrument = new Option<string?>("--instrument") { Description = "Legal instrument, e.g. an executive order" };
var recordId = new Option<string?>("--record-id") { Description = "Id of the announcement or order that caused the change" };
var sources = new Option<string[]>("--source") { Description = "Source id (repeat for several); at least one", Required = true, AllowMultipleArgumentsPerToken = true };
var etag = new Option<string?>("--etag") { Description = "Apply only if the measure is still at this version" };
var statusCommand = new Command("status", "Record a status change of a measure from an effective date")
{
    measureId, status, effective, rate, suspendedPercent, until, term, instrument, recordId, sources, etag, reason,
};
statusCommand.SetAction((result, ct) => With(result, connection => Commands.StatusAsync(connection, new StatusArguments(
    result.GetValue(measureId)!, result.GetValue(status)!, result.GetValue(effective), result.GetValue(rate), result.GetValue(suspendedPercent),
    result.GetValue(until), result.GetValue(term), result.GetValue(instrument), result.GetValue(recordId), result.GetValue(sources)!,
    result.GetValue(etag), result.GetValue(reason)!), ct)));

var historyId = new Argument<string>("id") { Description = "Tariff measure or export control id" };
var history = new Command("history", "Show every recorded version of a measure: who, when, why, and its periods") { historyId };
history.SetAction((result, ct) => With(result, connection => Commands.HistoryAsync(connection, result.GetValue(historyId)!, ct)));

var from = new Option<string?>("--from") { Description = "Resume token printed by an earlier tail; default: only new changes" };
var fromStart = new Option<bool>("--from-start") { Description = "Replay every change ever recorded" };
var tail = new Command("tail", "Print committed changes as they happen (Ctrl+C to stop)") { from, fromStart };
tail.SetAction((result, ct) => With(result, connection => Commands.TailAsync(connection, result.GetValue(from), result.GetValue(fromStart), ct)));

var root = new RootCommand("policyctl — record trade-policy changes in PolicyService and follow them") { import, statusCommand, history, tail };
root.Options.Add(server);
root.Options.Add(token);
return await root.Parse(args).InvokeAsync();

async Task<int> With(ParseResult result, Func<Connection, Task<int>> command)
{
    using var connection = new Connection(result.GetValue(server)!, result.GetValue(token));
    return await command(connection);
}
