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
    Description = "Bearer token: writes need the policy.editor role, reads the policy.reader role where the server requires it (env POLICYCTL_TOKEN)",
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

// Reads: the same questions the services answer, as tables or as the answer's protobuf JSON.
var on = new Option<DateOnly?>("--on") { Description = "Date of the question (YYYY-MM-DD); default: today (UTC) at the server" };
var knownAt = new Option<DateTimeOffset?>("--known-at") { Description = "Answer as the service would have at this instant (e.g. 2025-11-20T09:00:00Z); default: now" };
var output = new Option<OutputFormat>("--output", "-o") { Description = "table (default) or json (the answer as protobuf JSON)", DefaultValueFactory = _ => OutputFormat.Table };
var view = new Option<AnswerView>("--view") { Description = "full (default: everything, for people) or basic (ids, rates and dates; sources by id, for pricing at volume)", DefaultValueFactory = _ => AnswerView.Full };
ReadOptions Read(ParseResult result) => new(result.GetValue(on), result.GetValue(knownAt), result.GetValue(output), result.GetValue(view));

var importer = new Argument<string>("importer") { Description = "Importing jurisdiction, ISO 3166-1 alpha-2 (e.g. US)" };
var origin = new Argument<string>("origin") { Description = "Origin jurisdiction, ISO 3166-1 alpha-2 (e.g. CN)" };
var hsCode = new Argument<string>("hs-code") { Description = "HS code of 6 to 10 digits; dots and spaces are ignored (e.g. 8507.60.00.20)" };
var duty = new Command("duty", "The additional duties in force on a product between two jurisdictions on a date, their total and why") { importer, origin, hsCode, on, knownAt, output, view };
duty.SetAction((result, ct) => With(result, connection => Reads.DutyAsync(connection, result.GetValue(importer)!, result.GetValue(origin)!, result.GetValue(hsCode)!, Read(result), ct)));

var exporter = new Argument<string>("exporter") { Description = "Exporting jurisdiction, ISO 3166-1 alpha-2 (e.g. CN)" };
var destination = new Argument<string>("destination") { Description = "Destination jurisdiction, ISO 3166-1 alpha-2 (e.g. US)" };
var item = new Argument<string>("item") { Description = "An HS code, or a named item such as gallium" };
var export = new Command("export", "The export controls on an item between two jurisdictions on a date, and whether a licence is required") { exporter, destination, item, on, knownAt, output, view };
export.SetAction((result, ct) => With(result, connection => Reads.ExportAsync(connection, result.GetValue(exporter)!, result.GetValue(destination)!, result.GetValue(item)!, Read(result), ct)));

var partyA = new Argument<string>("party-a") { Description = "One party, ISO 3166-1 alpha-2" };
var partyB = new Argument<string>("party-b") { Description = "The other party, ISO 3166-1 alpha-2" };
var truce = new Command("truce", "The truces in force between two parties on a date, their expiry and what resumes when they end") { partyA, partyB, on, knownAt, output, view };
truce.SetAction((result, ct) => With(result, connection => Reads.TruceAsync(connection, result.GetValue(partyA)!, result.GetValue(partyB)!, Read(result), ct)));

var timelineFrom = new Option<DateOnly>("--from") { Description = "First day of the timeline (YYYY-MM-DD)", Required = true };
var timelineTo = new Option<DateOnly>("--to") { Description = "First day after the timeline (YYYY-MM-DD), at most 20 years after --from", Required = true };
var timeline = new Command("timeline", "The duty on a product between two dates as segments of one total, with the cliffs between them") { importer, origin, hsCode, timelineFrom, timelineTo, knownAt, output, view };
timeline.SetAction((result, ct) => With(result, connection => Reads.TimelineAsync(connection, result.GetValue(importer)!, result.GetValue(origin)!, result.GetValue(hsCode)!,
    result.GetValue(timelineFrom), result.GetValue(timelineTo), Read(result), ct)));

var query = new Argument<string>("query") { Description = "Words (e.g. \"lithium batteries\") or an HS code as text" };
var pageSize = new Option<int>("--page-size") { Description = "How many products to show (default 10)", DefaultValueFactory = _ => 10 };
var search = new Command("search", "Find HS 2022 products by words or code, best match first") { query, pageSize, output };
search.SetAction((result, ct) => With(result, connection => Reads.SearchAsync(connection, result.GetValue(query)!, result.GetValue(pageSize), result.GetValue(output), ct)));

var coverage = new Command("coverage", "What the data covers, by jurisdiction, with reviewed-through dates") { knownAt, output };
coverage.SetAction((result, ct) => With(result, connection => Reads.CoverageAsync(connection, Read(result), ct)));

var side = new Argument<string?>("jurisdiction") { Description = "One side, ISO 3166-1 alpha-2 (omit for any)", Arity = ArgumentArity.ZeroOrOne };
var otherSide = new Argument<string?>("counterpart") { Description = "The other side (omit for any)", Arity = ArgumentArity.ZeroOrOne };
var calendarFrom = new Option<DateOnly>("--from") { Description = "First day of the range (YYYY-MM-DD)", Required = true };
var calendarTo = new Option<DateOnly>("--to") { Description = "First day after the range (YYYY-MM-DD)", Required = true };
var calendar = new Command("calendar", "Every dated change between two jurisdictions in a range: ends, steps, announced starts, truce expiries") { side, otherSide, calendarFrom, calendarTo, knownAt, output };
calendar.SetAction((result, ct) => With(result, connection => Reads.CalendarAsync(connection, result.GetValue(side), result.GetValue(otherSide),
    result.GetValue(calendarFrom), result.GetValue(calendarTo), Read(result), ct)));

var root = new RootCommand("policyctl — ask PolicyService about duties, export controls and truces; record changes and follow them")
{
    duty, export, truce, timeline, calendar, search, coverage, import, statusCommand, history, tail,
};
root.Options.Add(server);
root.Options.Add(token);
return await root.Parse(args).InvokeAsync();

async Task<int> With(ParseResult result, Func<Connection, Task<int>> command)
{
    using var connection = new Connection(result.GetValue(server)!, result.GetValue(token));
    return await command(connection);
}
