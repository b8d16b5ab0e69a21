using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using PolicyService.Client;
using TradePolicy.V1;

namespace PolicyService.Cli;

/// <summary>The clients of one server, registered with the client package (bearer token on every call when given).</summary>
public sealed class Connection(string server, string? token) : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddPolicyServiceClient(options =>
        {
            options.Address = new Uri(server);
            options.DefaultDeadline = TimeSpan.FromSeconds(30);
            if (token is { Length: > 0 })
            {
                options.AccessTokenProvider = (_, _) => ValueTask.FromResult(token);
                options.AllowAccessTokenWithoutTls = true; // analysts may run against a local or port-forwarded http:// endpoint
            }
        })
        .BuildServiceProvider();

    public string Server => server;

    public PolicyAdminService.PolicyAdminServiceClient Admin => _services.GetRequiredService<PolicyAdminService.PolicyAdminServiceClient>();

    public ChangeFeedService.ChangeFeedServiceClient Feed => _services.GetRequiredService<ChangeFeedService.ChangeFeedServiceClient>();

    public TariffService.TariffServiceClient Tariffs => _services.GetRequiredService<TariffService.TariffServiceClient>();

    public ExportControlService.ExportControlServiceClient ExportControls => _services.GetRequiredService<ExportControlService.ExportControlServiceClient>();

    public TruceService.TruceServiceClient Truces => _services.GetRequiredService<TruceService.TruceServiceClient>();

    public ProductService.ProductServiceClient Products => _services.GetRequiredService<ProductService.ProductServiceClient>();

    public CoverageService.CoverageServiceClient Coverage => _services.GetRequiredService<CoverageService.CoverageServiceClient>();

    public CalendarService.CalendarServiceClient Calendar => _services.GetRequiredService<CalendarService.CalendarServiceClient>();

    public void Dispose() => _services.Dispose();
}

public sealed record StatusArguments(string MeasureId, string Status, DateOnly Effective, string? Rate, string? SuspendedPercent,
    DateOnly? Until, string? TruceTerm, string? Instrument, string? RecordId, string[] Sources, string? Etag, string Reason);

/// <summary>The commands; each returns the process exit code (0 done, 1 refused by the server, 2 bad input here).</summary>
public static class Commands
{
    public static async Task<int> ImportAsync(Connection connection, FileInfo file, string? requestId, string reason, CancellationToken ct)
    {
        if (!file.Exists) return Fail($"{file.FullName} does not exist.", 2);
        var text = await File.ReadAllTextAsync(file.FullName, ct);
        ImportChangesRequest request;
        try
        {
            request = JsonParser.Default.Parse<ImportChangesRequest>(text);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Fail($"{file.Name} is not an import document: {e.Message}", 2);
        }
        // The same file, imported twice, is applied once.
        request.RequestId = requestId ?? (request.RequestId.Length > 0 ? request.RequestId : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))));
        request.Reason = reason;

        return await Run(connection, async () =>
        {
            // An import of many changes may take minutes: no deadline, Ctrl+C cancels (and the server rolls back).
            using var call = connection.Admin.ImportChanges(request, deadline: DateTime.MaxValue, cancellationToken: ct);
            await foreach (var message in call.ResponseStream.ReadAllAsync(ct))
            {
                if (message.Progress is { } p)
                {
                    Console.Error.Write($"\r{p.Phase,-10} {p.Done,7:N0} / {p.Total:N0} changes {Bar(p.Done, p.Total)}");
                }
                else if (message.Result is { } r)
                {
                    Console.Error.WriteLine();
                    Console.WriteLine(r.Replayed
                        ? $"Already imported as request {r.RequestId}: nothing changed."
                        : $"Imported {r.Records.Count} changes as request {r.RequestId} (feed sequence {r.FirstSequence}–{r.LastSequence}).");
                    foreach (var record in r.Records.Take(20)) Console.WriteLine($"  {record.ResourceType,-15} {record.Id,-24} version {record.Version}");
                    if (r.Records.Count > 20) Console.WriteLine($"  … and {r.Records.Count - 20} more");
                }
            }
        });
    }

    public static async Task<int> StatusAsync(Connection connection, StatusArguments a, CancellationToken ct)
    {
        if (!Enum.TryParse<PeriodStatus>(a.Status.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var status) || status == PeriodStatus.Unspecified)
            return Fail($"--status {a.Status}: use ANNOUNCED, IN_FORCE, SUSPENDED, EXPIRED or REVOKED.", 2);
        var change = new StatusChange
        {
            MeasureId = a.MeasureId, Status = status, EffectiveDate = a.Effective.ToProtoDate(), AdValoremPercent = a.Rate ?? "",
            SuspendedPercent = a.SuspendedPercent ?? "", SuspendedUntil = a.Until?.ToProtoDate(), TruceTermId = a.TruceTerm ?? "",
            LegalInstrument = a.Instrument ?? "", RecordId = a.RecordId ?? "", Confidence = Confidence.Confirmed, Etag = a.Etag ?? "",
        };
        change.Sources.AddRange(a.Sources.Select(s => new Source { Id = s }));

        return await Run(connection, async () =>
        {
            var response = await connection.Admin.RecordStatusChangeAsync(new RecordStatusChangeRequest { StatusChange = change, Reason = a.Reason }, cancellationToken: ct);
            var (id, recorded) = response.TariffMeasure is { } m ? (m.Id, m.Recorded) : (response.ExportControl.Id, response.ExportControl.Recorded);
            Console.WriteLine($"{id} is now at version {recorded.Version} (etag {recorded.Version}): {status} from {a.Effective:yyyy-MM-dd}.");
        });
    }

    public static async Task<int> HistoryAsync(Connection connection, string id, CancellationToken ct)
    {
        return await Run(connection, async () =>
        {
            var history = await connection.Admin.GetHistoryAsync(new GetHistoryRequest { Id = id }, cancellationToken: ct);
            var versions = history.TariffMeasureVersions.Select(m => (m.Recorded, m.Title, Periods: m.Periods.Select(p => Describe(p.StartDate, p.EndDate, p.Status, p.AdValoremPercent, p.TruceTermId))))
                .Concat(history.ExportControlVersions.Select(c => (c.Recorded, c.Title, Periods: c.Periods.Select(p => Describe(p.StartDate, p.EndDate, p.Status, "", p.TruceTermId)))));
            foreach (var (recorded, title, periods) in versions)
            {
                Console.WriteLine($"version {recorded.Version}  {recorded.RecordedTime.ToDateTime():yyyy-MM-dd HH:mm:ss}Z  by {recorded.RecordedBy}  — {recorded.Reason}");
                Console.WriteLine($"  {title}");
                foreach (var period in periods) Console.WriteLine($"    {period}");
            }
        });
    }

    public static async Task<int> TailAsync(Connection connection, string? from, bool fromStart, CancellationToken ct)
    {
        return await Run(connection, async () =>
        {
            // Without --from or --from-start, tail starts with what happens next; it runs until Ctrl+C.
            var request = new WatchChangesRequest { ResumeToken = from ?? "", StartAtEnd = from is null && !fromStart };
            using var call = connection.Feed.WatchChanges(request, deadline: DateTime.MaxValue, cancellationToken: ct);
            await call.ResponseHeadersAsync;
            Console.Error.WriteLine($"Watching changes on {connection.Server} {(request.StartAtEnd ? "from now on" : "from the token given")} (Ctrl+C to stop).");
            await foreach (var message in call.ResponseStream.ReadAllAsync(ct))
            {
                var c = message.Change;
                Console.WriteLine($"#{c.Sequence} {c.RecordedTime.ToDateTime():yyyy-MM-dd HH:mm:ss}Z {c.ChangeKind,-13} {c.ResourceType} {c.ResourceId} v{c.Version} by {c.RecordedBy}: {c.Reason}  [resume: {message.ResumeToken}]");
            }
        });
    }

    /// <summary>Runs a call and turns the server's refusals into sentences a person can act on.</summary>
    internal static async Task<int> Run(Connection connection, Func<Task> call, bool read = false)
    {
        try
        {
            await call();
            return 0;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            return 0;
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine(Explain(e, connection, read));
            foreach (var v in e.GetFieldViolations()) Console.Error.WriteLine($"  {v.Field}: {v.Description}");
            return 1;
        }
    }

    private static string Explain(RpcException e, Connection connection, bool read) => e.StatusCode switch
    {
        StatusCode.Unauthenticated => "Not signed in: pass --token (or set POLICYCTL_TOKEN) to a bearer token the server trusts.",
        StatusCode.PermissionDenied when read => "Your token does not carry the policy.reader role this server requires for reads.",
        StatusCode.PermissionDenied => "Your token does not carry the policy.editor role needed to record changes.",
        StatusCode.InvalidArgument when read => "The server refused the question. Fix these fields and run again:",
        StatusCode.InvalidArgument => "The server refused the change; nothing was written. Fix these fields and run again:",
        StatusCode.Aborted when e.GetErrorInfo()?.Reason == PolicyServiceErrors.EtagMismatchReason =>
            $"Someone else changed the record since you read it ({e.Status.Detail}). Run `policyctl history` to see the latest version, then retry.",
        StatusCode.AlreadyExists => $"{e.Status.Detail} Use an update, or pick another id.",
        StatusCode.NotFound => e.Status.Detail,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded when read => $"Cannot reach PolicyService at {connection.Server} ({e.Status.Detail}). Check --server and that the service is up.",
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => $"Cannot reach PolicyService at {connection.Server} ({e.Status.Detail}). Check --server and that the service is up; an import that failed here wrote nothing and can be re-run.",
        _ => $"The call failed: {e.StatusCode}: {e.Status.Detail}",
    };

    private static string Describe(Google.Type.Date start, Google.Type.Date? end, PeriodStatus status, string rate, string term) =>
        $"{Iso(start)} → {(end is null ? "open" : Iso(end))}  {status,-10} {(rate.Length > 0 ? rate + "%" : ""),-7} {(term.Length > 0 ? "term " + term : "")}".TrimEnd();

    internal static string Iso(Google.Type.Date d) => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";


    private static string Bar(int done, int total)
    {
        var filled = total == 0 ? 0 : (int)(20L * done / total);
        return "[" + new string('#', filled) + new string('.', 20 - filled) + "]";
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine(message);
        return code;
    }
}
