using Grpc.Core;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using TradePolicy.V1;
using static PolicyService.Server.Api.ReadContext;
using ScheduledChange = PolicyService.Server.Queries.ScheduledChange;

namespace PolicyService.Server.Api;

/// <summary>The calendar of scheduled changes, computed from the records touching the two jurisdictions.</summary>
public sealed class CalendarGrpcService(IPolicyStore store, ReferenceCatalog catalog, TimeProvider clock) : CalendarService.CalendarServiceBase
{
    /// <summary>Records are read in pages of this size; the calendar is built from all of them.</summary>
    private const int ReadPage = 1000;

    public override async Task<ListScheduledChangesResponse> ListScheduledChanges(ListScheduledChangesRequest request, ServerCallContext context)
    {
        var v = new RequestValidation();
        var jurisdiction = v.OptionalJurisdiction("jurisdiction", request.Jurisdiction);
        var counterpart = v.OptionalJurisdiction("counterpart", request.Counterpart);
        var (start, end) = v.DateRange("start_date", request.StartDate, "end_date", request.EndDate, Timeline.MaxYears);
        var pageSize = v.PageSize("page_size", request.PageSize);
        var knownAt = v.KnownAt("known_at", request.KnownAt, clock);
        var minChange = v.MinChange("min_change_token", request.MinChangeToken);
        v.ThrowIfInvalid();

        var source = await store.ReadSourceAsync(minChange, context.CancellationToken);
        var ct = context.CancellationToken;
        var sides = new[] { jurisdiction, counterpart }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        // Every record one of the two sides takes part in (both empty: every record); Calendar keeps those between them.
        var measures = await ReadAsync(sides, side => [new TariffFilter(side, null, null, null), new TariffFilter(null, side, null, null)],
            (f, after) => source.Store.ListTariffMeasuresAsync(f, after, ReadPage, knownAt, ct), new TariffFilter(null, null, null, null));
        var controls = await ReadAsync(sides, side => [new ExportFilter(side, null, null, null), new ExportFilter(null, side, null, null)],
            (f, after) => source.Store.ListExportControlsAsync(f, after, ReadPage, knownAt, ct), new ExportFilter(null, null, null, null));
        var truces = await ReadAsync(sides, side => [new TruceFilter(side, null)],
            (f, after) => source.Store.ListTrucesAsync(f, after, ReadPage, knownAt, ct), new TruceFilter(null, null));
        var calendar = Calendar.Resolve(measures, controls, truces, jurisdiction, counterpart, start, end);

        var page = await v.ReadPageAsync(request.PageToken, pageSize, CalendarFingerprint(jurisdiction, counterpart, start, end, knownAt),
            (after, take) => Task.FromResult<IReadOnlyList<ScheduledChange>>([.. calendar.Where(c => string.CompareOrdinal(c.Key, after) > 0).Take(take)]),
            c => c.Key);
        var reference = await catalog.GetAsync(ct);
        var answered = Answered(knownAt, clock);
        var coverage = reference.PairCoverage(answered, jurisdiction, counterpart, end.AddDays(-1));
        var response = new ListScheduledChangesResponse
        {
            ScheduledChanges = { page.Records.Select(c => Unreviewed(c, coverage.ReviewedThrough, reference)) },
            NextPageToken = page.NextPageToken,
            Coverage = coverage.ToProto(),
            ChangeToken = ChangeToken.Create(source.Position),
        };
        response.Coverage.SnapshotTime = SnapshotTime(source, knownAt);
        return response;
    }

    /// <summary>A change after the reviewed horizon is as recorded, not known to have happened: it says so.</summary>
    private static TradePolicy.V1.ScheduledChange Unreviewed(ScheduledChange change, DateOnly reviewedThrough, ReferenceData reference)
    {
        var proto = Horizon.Unreviewed(change, reviewedThrough).ToProto(reference);
        proto.Unreviewed = change.Date > reviewedThrough;
        return proto;
    }

    private static async Task<List<T>> ReadAsync<T, TFilter>(List<string> sides, Func<string, TFilter[]> filtersOf,
        Func<TFilter, string, Task<IReadOnlyList<T>>> list, TFilter everything) where T : IPolicyRecord
    {
        var byId = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var filter in sides.Count == 0 ? [everything] : sides.SelectMany(filtersOf))
        {
            for (var after = ""; ;)
            {
                var records = await list(filter, after);
                foreach (var r in records) byId.TryAdd(r.Id, r);
                if (records.Count < ReadPage) break;
                after = records[^1].Id;
            }
        }
        return [.. byId.Values];
    }
}
