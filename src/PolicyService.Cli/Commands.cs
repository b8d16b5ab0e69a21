using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using TradePolicy.V1;

namespace PolicyService.Cli;

public sealed record Connection(string Server, string? Token)
{
    public GrpcChannel Channel() => GrpcChannel.ForAddress(Server);

    public Metadata Headers() => Token is { Length: > 0 } t ? new Metadata { { "authorization", $"Bearer {t}" } } : [];
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

        using var channel = connection.Channel();
        return await Run(connection, async () =>
        {
            using var call = new PolicyAdminService.PolicyAdminServiceClient(channel).ImportChanges(request, connection.Headers(), cancellationToken: ct);
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
            MeasureId = a.MeasureId, Status = status, EffectiveDate = Date(a.Effective), AdValoremPercent = a.Rate ?? "",
            SuspendedPercent = a.SuspendedPercent ?? "", SuspendedUntil = a.Until is { } u ? Date(u) : null, TruceTermId = a.TruceTerm ?? "",
            LegalInstrument = a.Instrument ?? "", RecordId = a.RecordId ?? "", Confidence = Confidence.Confirmed, Etag = a.Etag ?? "",
        };
        change.Sources.AddRange(a.Sources.Select(s => new Source { Id = s }));

        using var channel = connection.Channel();
        return await Run(connection, async () =>
        {
            var response = await new PolicyAdminService.PolicyAdminServiceClient(channel).RecordStatusChangeAsync(
                new RecordStatusChangeRequest { StatusChange = change, Reason = a.Reason }, connection.Headers(), cancellationToken: ct);
            var (id, recorded) = response.TariffMeasure is { } m ? (m.Id, m.Recorded) : (response.ExportControl.Id, response.ExportControl.Recorded);
            Console.WriteLine($"{id} is now at version {recorded.Version} (etag {recorded.Version}): {status} from {a.Effective:yyyy-MM-dd}.");
        });
    }

    public static async Task<int> HistoryAsync(Connection connection, string id, CancellationToken ct)
    {
        using var channel = connection.Channel();
        return await Run(connection, async () =>
        {
            var history = await new PolicyAdminService.PolicyAdminServiceClient(channel).GetHistoryAsync(new GetHistoryRequest { Id = id }, connection.Headers(), cancellationToken: ct);
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
        using var channel = connection.Channel();
        var feed = new ChangeFeedService.ChangeFeedServiceClient(channel);
        return await Run(connection, async () =>
        {
            // Without --from or --from-start, tail starts with what happens next.
            var request = new WatchChangesRequest { ResumeToken = from ?? "", StartAtEnd = from is null && !fromStart };
            using var call = feed.WatchChanges(request, connection.Headers(), cancellationToken: ct);
            await foreach (var message in call.ResponseStream.ReadAllAsync(ct))
            {
                var c = message.Change;
                Console.WriteLine($"#{c.Sequence} {c.RecordedTime.ToDateTime():yyyy-MM-dd HH:mm:ss}Z {c.ChangeKind,-13} {c.ResourceType} {c.ResourceId} v{c.Version} by {c.RecordedBy}: {c.Reason}  [resume: {message.ResumeToken}]");
            }
        });
    }

    /// <summary>Runs a call and turns the server's refusals into sentences a person can act on.</summary>
    private static async Task<int> Run(Connection connection, Func<Task> call)
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
            Console.Error.WriteLine(Explain(e, connection));
            if (e.GetRpcStatus()?.GetDetail<BadRequest>() is { } bad)
            {
                foreach (var v in bad.FieldViolations) Console.Error.WriteLine($"  {v.Field}: {v.Description}");
            }
            return 1;
        }
    }

    private static string Explain(RpcException e, Connection connection) => e.StatusCode switch
    {
        StatusCode.Unauthenticated => "Not signed in: pass --token (or set POLICYCTL_TOKEN) to a bearer token the server trusts.",
        StatusCode.PermissionDenied => "Your token does not carry the policy.editor role needed to record changes.",
        StatusCode.InvalidArgument => "The server refused the change; nothing was written. Fix these fields and run again:",
        StatusCode.Aborted => $"Someone else changed the record since you read it ({e.Status.Detail}). Run `policyctl history` to see the latest version, then retry.",
        StatusCode.AlreadyExists => $"{e.Status.Detail} Use an update, or pick another id.",
        StatusCode.NotFound => e.Status.Detail,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => $"Cannot reach PolicyService at {connection.Server} ({e.Status.Detail}). Check --server and that the service is up; an import that failed here wrote nothing and can be re-run.",
        _ => $"The call failed: {e.StatusCode}: {e.Status.Detail}",
    };

    private static string Describe(Google.Type.Date start, Google.Type.Date? end, PeriodStatus status, string rate, string term) =>
        $"{Iso(start)} → {(end is null ? "open" : Iso(end))}  {status,-10} {(rate.Length > 0 ? rate + "%" : ""),-7} {(term.Length > 0 ? "term " + term : "")}".TrimEnd();

    private static string Iso(Google.Type.Date d) => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";

    private static Google.Type.Date Date(DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

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
