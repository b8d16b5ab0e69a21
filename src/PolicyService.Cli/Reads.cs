using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using PolicyService.Client;
using Spectre.Console;
using Spectre.Console.Rendering;
using TradePolicy.V1;

namespace PolicyService.Cli;

/// <summary>How a read command prints its answer.</summary>
public enum OutputFormat
{
    /// <summary>Tables for people.</summary>
    Table,

    /// <summary>The answer message as protobuf JSON, for scripts.</summary>
    Json,
}

/// <summary>The date and instant a read is asked for; null means today at the server and now.</summary>
public sealed record ReadOptions(DateOnly? On, DateTimeOffset? KnownAt, OutputFormat Output, AnswerView View = AnswerView.Full);

/// <summary>How much of an answer to ask for (the view field of the lookups, AIP-157).</summary>
public enum AnswerView
{
    Full,
    Basic,
}

/// <summary>The read commands: duty, export, truce, timeline, search, coverage. Same exit codes as the write commands.</summary>
public static class Reads
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithIndentation());

    public static Task<int> DutyAsync(Connection connection, string importer, string origin, string hsCode, ReadOptions options, CancellationToken ct) =>
        Commands.Run(connection, async () =>
        {
            var request = new LookupDutyRequest { Importer = importer, Origin = origin, HsCode = hsCode, AsOf = options.On?.ToProtoDate(), KnownAt = Instant(options.KnownAt), View = options.View == AnswerView.Basic ? DutyView.Basic : DutyView.Full };
            var answer = await connection.Tariffs.LookupDutyAsync(request, cancellationToken: ct);
            Print(answer, options.Output, RenderDuty);
        }, read: true);

    public static Task<int> ExportAsync(Connection connection, string exporter, string destination, string item, ReadOptions options, CancellationToken ct) =>
        Commands.Run(connection, async () =>
        {
            var request = new CheckExportRequest { Exporter = exporter, Destination = destination, Item = item, AsOf = options.On?.ToProtoDate(), KnownAt = Instant(options.KnownAt), View = options.View == AnswerView.Basic ? ExportView.Basic : ExportView.Full };
            var answer = await connection.ExportControls.CheckExportAsync(request, cancellationToken: ct);
            Print(answer, options.Output, RenderExport);
        }, read: true);

    public static Task<int> TruceAsync(Connection connection, string partyA, string partyB, ReadOptions options, CancellationToken ct) =>
        Commands.Run(connection, async () =>
        {
            var request = new GetTruceStatusRequest { PartyA = partyA, PartyB = partyB, AsOf = options.On?.ToProtoDate(), KnownAt = Instant(options.KnownAt), View = options.View == AnswerView.Basic ? TruceView.Basic : TruceView.Full };
            var answer = await connection.Truces.GetTruceStatusAsync(request, cancellationToken: ct);
            Print(answer, options.Output, RenderTruce);
        }, read: true);

    /// <summary>The duty timeline; <see cref="ReadOptions.On"/> is not used (the range is the question).</summary>
    public static Task<int> TimelineAsync(Connection connection, string importer, string origin, string hsCode, DateOnly from, DateOnly to, ReadOptions options, CancellationToken ct) =>
        Commands.Run(connection, async () =>
        {
            var request = new GetDutyTimelineRequest
            {
                Importer = importer, Origin = origin, HsCode = hsCode, StartDate = from.ToProtoDate(), EndDate = to.ToProtoDate(), KnownAt = Instant(options.KnownAt),
                View = options.View == AnswerView.Basic ? DutyView.Basic : DutyView.Full,
            };
            var answer = await connection.Tariffs.GetDutyTimelineAsync(request, cancellationToken: ct);
            Print(answer, options.Output, RenderTimeline);
        }, read: true);

    /// <summary>HS 2022 products matching words or a code, best first (one page of <paramref name="pageSize"/>).</summary>
    public static Task<int> SearchAsync(Connection connection, string query, int pageSize, OutputFormat output, CancellationToken ct) =>
        Commands.Run(connection, async () =>
        {
            var answer = await connection.Products.SearchProductsAsync(new SearchProductsRequest { Query = query, PageSize = pageSize }, cancellationToken: ct);
            Print(answer, output, (console, r) =>
            {
                var table = Grid($"HS 2022 products matching \"{query}\"", "code", "level", "description", "heading", "chapter");
                foreach (var p in r.Products) table.AddRow(Cells(p.HsCode, p.Level.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Description, p.HeadingCode, p.ChapterCode));
                WriteOrNone(console, table, r.Products.Count, "No product matches.");
            });
        }, read: true);

    /// <summary>Every dated change between two jurisdictions in a range, all pages, in date order.</summary>
    public static Task<int> CalendarAsync(Connection connection, string? jurisdiction, string? counterpart, DateOnly from, DateOnly to, ReadOptions options, CancellationToken ct) =>
        Commands.Run(connection, async () =>
        {
            var request = new ListScheduledChangesRequest
            {
                Jurisdiction = jurisdiction ?? "", Counterpart = counterpart ?? "", StartDate = from.ToProtoDate(), EndDate = to.ToProtoDate(),
                PageSize = 1000, KnownAt = Instant(options.KnownAt),
            };
            var all = new ListScheduledChangesResponse();
            do
            {
                var page = await connection.Calendar.ListScheduledChangesAsync(request, cancellationToken: ct);
                all.ScheduledChanges.Add(page.ScheduledChanges);
                all.Coverage = page.Coverage;
                all.ChangeToken = page.ChangeToken;
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);
            Print(all, options.Output, (console, r) =>
            {
                var table = Grid($"Scheduled changes from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}", "date", "kind", "record", "period", "rate %", "term", "confidence", "what");
                foreach (var c in r.ScheduledChanges)
                {
                    var rates = c.AdValoremPercentBefore == c.AdValoremPercentAfter ? c.AdValoremPercentAfter
                        : $"{(c.AdValoremPercentBefore.Length > 0 ? c.AdValoremPercentBefore : "–")} → {(c.AdValoremPercentAfter.Length > 0 ? c.AdValoremPercentAfter : "–")}";
                    table.AddRow(Cells(Date(c.Date), Name(c.Kind, "SCHEDULED_CHANGE_KIND_").ToLowerInvariant().Replace('_', ' '), c.RecordId, c.PeriodRecordId,
                        rates, c.TruceTermId, Name(c.Confidence, "CONFIDENCE_"), c.Description));
                }
                WriteOrNone(console, table, r.ScheduledChanges.Count, "Nothing is scheduled in the range.");
                WriteCoverage(console, r.Coverage, null);
            });
        }, read: true);

    /// <summary>What the data covers, by jurisdiction: the question to ask before trusting an answer that lists nothing.</summary>
    public static Task<int> CoverageAsync(Connection connection, ReadOptions options, CancellationToken ct) =>
        Commands.Run(connection, async () =>
        {
            var answer = await connection.Coverage.GetCoverageAsync(new GetCoverageRequest { KnownAt = Instant(options.KnownAt) }, cancellationToken: ct);
            Print(answer, options.Output, (console, r) =>
            {
                var c = r.Coverage;
                var tariffs = Grid("Tariff measures held", "importer", "origins reviewed", "measures on all origins", "kinds", "reviewed through");
                foreach (var t in c.Tariffs)
                    tariffs.AddRow(Cells(t.Importer, string.Join(", ", t.Origins), t.AllOriginMeasures ? "held" : "not held",
                        string.Join(", ", t.Kinds.Select(k => Name(k, "TARIFF_KIND_"))), Date(t.ReviewedThrough)));
                WriteOrNone(console, tariffs, c.Tariffs.Count, "No tariff measures are held.");
                var exports = Grid("Export controls held", "exporter", "destinations reviewed", "controls on all destinations", "reviewed through");
                foreach (var e in c.ExportControls)
                    exports.AddRow(Cells(e.Exporter, string.Join(", ", e.Destinations), e.AllDestinationControls ? "held" : "not held", Date(e.ReviewedThrough)));
                WriteOrNone(console, exports, c.ExportControls.Count, "No export controls are held.");
                var truces = Grid("Truces held", "parties", "reviewed through");
                foreach (var t in c.Truces) truces.AddRow(Cells($"{t.PartyA}–{t.PartyB}", Date(t.ReviewedThrough)));
                WriteOrNone(console, truces, c.Truces.Count, "No truces are held.");
                console.Write(new Markup($"Version {Esc(c.Etag)}; MFN base rates are not held unless a part lists MFN. Anything not listed is not covered.\n"));
            });
        }, read: true);

    private static Timestamp? Instant(DateTimeOffset? knownAt) => knownAt is { } k ? Timestamp.FromDateTimeOffset(k) : null;

    private static void Print<T>(T answer, OutputFormat output, Action<IAnsiConsole, T> render) where T : IMessage
    {
        if (output == OutputFormat.Json)
        {
            Console.Out.WriteLine(Json.Format(answer));
            return;
        }
        render(CreateConsole(), answer);
    }

    private static IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        // Piped into grep or a file there is no terminal width to fit; wrapping ids and rates across lines would only hurt.
        if (Console.IsOutputRedirected) console.Profile.Width = 240;
        return console;
    }

    /// <summary>The layer's rate, and for one the total leaves out, what it is charged on or depends on.</summary>
    private static string LayerRate(DutyLayer l) => l.InTotal
        ? l.AdValoremPercent
        : $"{l.AdValoremPercent} ({(l.RateBasis switch { RateBasis.MetalContent => "metal content", RateBasis.NonMetalContent => "non-metal part", _ => "full value" })}{(l.Conditions.Count > 0 ? ", conditional" : "")}; not in total)";

    private static void RenderDuty(IAnsiConsole console, LookupDutyResponse d)
    {
        var total = d.TotalVaries ? $"the total varies below the code ({d.Variants.Count} variants)" : $"total {Esc(d.TotalAdValoremPercent)}% ad valorem";
        console.Write(new Markup($"[bold]{Esc(d.Importer)} duty on {Esc(d.HsCode)} from {Esc(d.Origin)}[/] on {Date(d.AsOf)}: [bold]{total}[/]\n"));
        if (d.TotalVaries)
        {
            // The lines under a less specific code pay different duties: each variant is priced on its own.
            var variants = Grid("The lines under the code answer differently (the layers below are those every line pays)", "lines", "total %", "layers", "exempt from");
            foreach (var v in d.Variants)
            {
                var lines = string.Join(", ", v.HsPrefixes) is { Length: > 0 } named ? (v.OtherLines ? $"{named} and the other lines" : named) : "the other lines";
                variants.AddRow(Cells(lines, v.TotalAdValoremPercent, string.Join(", ", v.Layers.Select(l => $"{l.MeasureId} {l.AdValoremPercent}")),
                    string.Join(", ", v.ExemptedLayers.Select(x => x.Layer.MeasureId))));
            }
            console.Write(variants);
        }

        var layers = Grid("Layers in force", "measure", "kind", "rate %", "period", "instrument", "sources");
        foreach (var l in d.Layers) layers.AddRow(Cells(l.MeasureId, Kind(l.Kind), LayerRate(l), PeriodOf(l.Period), l.LegalInstrument, Sources(l.Sources)));
        WriteOrNone(console, layers, d.Layers.Count, "No additional ad valorem duty is in force.");
        // A layer on a part of the value, or with a condition, is not in the total: say what pricing it needs.
        foreach (var note in d.PricingNotes) console.Write(new Markup($"[yellow]Not in the total:[/] {Esc(note)}\n"));

        if (d.ExcludedLayers.Count > 0)
        {
            var excluded = Grid("Left out of the total by a stacking rule", "measure", "kind", "rate %", "excluded by", "reason");
            foreach (var x in d.ExcludedLayers) excluded.AddRow(Cells(x.Layer.MeasureId, Kind(x.Layer.Kind), x.Layer.AdValoremPercent, x.ExcludedByMeasureId, x.Reason));
            console.Write(excluded);
        }
        if (d.ExemptedLayers.Count > 0)
        {
            // An exemption list carved the product out of an in-force measure's scope: name it, or the missing layer reads as an omission.
            var exempted = Grid("Exempt: in force, but the product is excluded from its scope", "measure", "kind", "rate %", "excluded prefix", "reason");
            foreach (var x in d.ExemptedLayers) exempted.AddRow(Cells(x.Layer.MeasureId, Kind(x.Layer.Kind), x.Layer.AdValoremPercent, x.ExcludedHsPrefix, x.Reason));
            console.Write(exempted);
        }
        if (d.AnnouncedMeasures.Count > 0)
        {
            var announced = Grid("Announced, not in force", "measure", "kind", "rate %", "period", "instrument", "sources");
            foreach (var a in d.AnnouncedMeasures) announced.AddRow(Cells(a.MeasureId, Kind(a.Kind), a.AdValoremPercent, PeriodOf(a.Period), a.LegalInstrument, Sources(a.Sources)));
            console.Write(announced);
        }
        if (d.TruceEffects.Count > 0)
        {
            var effects = Grid("Truce effects", "term", "truce", "measure", "effect", "until");
            foreach (var e in d.TruceEffects) effects.AddRow(Cells(e.TruceTermId, e.TruceId, e.MeasureId, e.Description, Date(e.Until)));
            console.Write(effects);
        }
        if (d.NonAdValoremMeasures.Count > 0)
        {
            var other = Grid("In force without an ad valorem rate", "measure", "kind", "title", "instrument");
            foreach (var n in d.NonAdValoremMeasures) other.AddRow(Cells(n.MeasureId, Kind(n.Kind), n.Title, n.LegalInstrument));
            console.Write(other);
        }
        WriteCoverage(console, d.Coverage, d.KnownAt);
    }

    private static void RenderTimeline(IAnsiConsole console, GetDutyTimelineResponse t)
    {
        console.Write(new Markup($"[bold]{Esc(t.Importer)} duty on {Esc(t.HsCode)} from {Esc(t.Origin)}[/] from {Date(t.StartDate)} to {Date(t.EndDate)}: {t.Segments.Count} segments\n"));
        var table = Grid("Segments (each from its first day to the day before the next)", "from", "to", "total %", "layers", "what changed on the first day");
        foreach (var s in t.Segments)
        {
            table.AddRow(Cells(Date(s.StartDate), Date(s.EndDate), s.TotalVaries ? $"varies ({string.Join(" / ", s.Variants.Select(v => v.TotalAdValoremPercent))})" : s.TotalAdValoremPercent,
                string.Join(", ", s.Layers.Select(l => $"{l.MeasureId} {l.AdValoremPercent}")),
                string.Join("; ", s.Changes.Select(Change))));
        }
        console.Write(table);
        WriteCoverage(console, t.Coverage, t.KnownAt);

        static string Change(DutyTimelineChange c)
        {
            var rates = c.AdValoremPercentBefore == c.AdValoremPercentAfter ? "" : $" {(c.AdValoremPercentBefore.Length > 0 ? c.AdValoremPercentBefore : "–")} → {(c.AdValoremPercentAfter.Length > 0 ? c.AdValoremPercentAfter : "–")}";
            var term = c.TruceTermId.Length > 0 ? $" (term {c.TruceTermId})" : "";
            var statuses = c.Kind == TimelineChangeKind.StatusChanged ? $" {Status(c.PeriodBefore)} → {Status(c.PeriodAfter)}" : "";
            return $"{c.MeasureId} {Name(c.Kind, "TIMELINE_CHANGE_KIND_").ToLowerInvariant().Replace('_', ' ')}{statuses}{rates}{term}";
        }

        static string Status(TariffPeriod? period) => period is null ? "none" : Name(period.Status, "PERIOD_STATUS_").ToLowerInvariant().Replace('_', ' ');
    }

    private static void RenderExport(IAnsiConsole console, CheckExportResponse c)
    {
        var verdict = c.Prohibited ? "[red bold]prohibited[/]" : c.LicenseRequired ? "[yellow bold]licence required[/]" : "[green bold]no licence required[/]";
        var varies = c.OutcomeVaries ? $" for some of the lines under the code: {string.Join("; ", c.Variants.Select(Variant))}" : "";
        console.Write(new Markup($"[bold]Export of {Esc(c.Item)} from {Esc(c.Exporter)} to {Esc(c.Destination)}[/] on {Date(c.AsOf)}: {verdict}{Esc(varies)}\n"));
        WriteControls(console, "Controls in force", c.ControlsInForce, "No control is in force.");
        if (c.ControlsSuspended.Count > 0) WriteControls(console, "Suspended", c.ControlsSuspended, "");
        if (c.ControlsAnnounced.Count > 0) WriteControls(console, "Announced, not in force", c.ControlsAnnounced, "");
        WriteCoverage(console, c.Coverage, c.KnownAt);

        static string Variant(ExportVariant v) =>
            $"{(v.OtherLines ? "the other lines" : string.Join(", ", v.HsPrefixes))} {(v.Prohibited ? "prohibited" : v.LicenseRequired ? "licence required" : "no licence required")}";
    }

    private static void WriteControls(IAnsiConsole console, string title, Google.Protobuf.Collections.RepeatedField<ControlMatch> controls, string none)
    {
        var table = Grid(title, "control", "type", "period", "suspended until", "matched by", "instrument", "sources");
        foreach (var m in controls)
        {
            table.AddRow(Cells(m.ControlId, Name(m.ControlType, "EXPORT_CONTROL_TYPE_"),
                ControlPeriodOf(m.Period), Until(m.Period), m.MatchedBy, m.LegalInstrument, Sources(m.Sources)));
        }
        WriteOrNone(console, table, controls.Count, none);
    }

    private static void RenderTruce(IAnsiConsole console, GetTruceStatusResponse r)
    {
        console.Write(new Markup($"[bold]Truces between {Esc(r.PartyA)} and {Esc(r.PartyB)}[/] on {Date(r.AsOf)}: {r.Truces.Count} in force\n"));
        foreach (var s in r.Truces)
        {
            var t = s.Truce;
            console.Write(new Markup($"\n[bold]{Esc(t.Id)}[/]  {Esc(t.Title)}\n  expires {Date(s.ExpiryDate)} ([bold]{s.DaysRemaining} days[/] remaining); {t.Terms.Count} terms, {t.Extensions.Count} windows: {Esc(string.Join(", ", t.Extensions.Select(e => $"{e.RecordId} {Date(e.StartDate)} → {Date(e.ExpiryDate)}")))}\n"));
            var resuming = Grid("Resumes when it ends, unless extended", "measure", "type", "resumes on", "term", "what");
            foreach (var m in s.ResumingMeasures) resuming.AddRow(Cells(m.MeasureId, m.MeasureType, Date(m.ResumesOn), m.TruceTermId, m.Description.Length > 0 ? m.Description : m.Title));
            WriteOrNone(console, resuming, s.ResumingMeasures.Count, "Nothing resumes when it ends.");
        }
        WriteCoverage(console, r.Coverage, r.KnownAt);
    }

    private static void WriteCoverage(IAnsiConsole console, Coverage? coverage, Timestamp? knownAt)
    {
        var known = knownAt is null ? "" : $"; as known at {knownAt.ToDateTime():yyyy-MM-dd HH:mm:ss}Z";
        console.Write(new Markup($"Data reviewed through {Date(coverage?.ReviewedThrough)}{Esc(known)}\n"));
        if (coverage is { Covered: false }) console.Write(new Markup($"[red bold]Not covered:[/] {Esc(string.Join("; ", coverage.Uncovered))}\n"));
        if (coverage is { Notice.Length: > 0 }) console.Write(new Markup($"[yellow]{Esc(coverage.Notice)}[/]\n"));
    }

    private static Table Grid(string title, params string[] columns)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(title, new Style(decoration: Decoration.Bold)) };
        foreach (var c in columns) table.AddColumn(new TableColumn(c));
        return table;
    }

    private static void WriteOrNone(IAnsiConsole console, Table table, int rows, string none)
    {
        if (rows > 0) console.Write(table);
        else console.WriteLine(none);
    }

    // Text, not markup: titles and instruments from the data may hold brackets.
    private static IRenderable[] Cells(params string[] values) => [.. values.Select(v => new Text(v))];

    private static string Esc(string text) => Markup.Escape(text);

    private static string Kind(TariffKind kind) => Name(kind, "TARIFF_KIND_");

    // The proto's own value name (SECTION_301), as the API documentation and buf curl show it, not the C# one (Section301).
    private static string Name<TEnum>(TEnum value, string prefix) where TEnum : struct, System.Enum =>
        (typeof(TEnum).GetField(value.ToString())?.GetCustomAttributes(typeof(OriginalNameAttribute), false).FirstOrDefault() as OriginalNameAttribute)?.Name
            .Replace(prefix, "", StringComparison.Ordinal) ?? value.ToString();

    private static string PeriodOf(TariffPeriod? p) =>
        p is null ? "" : $"{p.RecordId} {Date(p.StartDate)} → {(p.EndDate is null ? "open" : Date(p.EndDate))}{(p.TruceTermId.Length > 0 ? ", term " + p.TruceTermId : "")}";

    private static string ControlPeriodOf(ControlPeriod? p) =>
        p is null ? "" : $"{p.RecordId} {Date(p.StartDate)} → {(p.EndDate is null ? "open" : Date(p.EndDate))}{(p.TruceTermId.Length > 0 ? ", term " + p.TruceTermId : "")}";

    private static string Until(ControlPeriod? p) => p?.SuspendedUntil is null ? "" : Date(p.SuspendedUntil);

    private static string Sources(IEnumerable<Source> sources) => string.Join(", ", sources.Select(s => s.Id));

    private static string Date(Google.Type.Date? d) => d is null ? "—" : Commands.Iso(d);
}
