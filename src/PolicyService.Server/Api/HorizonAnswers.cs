using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;

namespace PolicyService.Server.Api;

/// <summary>
/// The horizon rule on the read path: for a date past the reviewed horizon, the truces behind the candidates' terms are
/// read (as known at the request's instant) and <see cref="Horizon"/> marks the answer and names its alternatives. Dates
/// on or before the horizon cost nothing. Records a request's scenario rewrote are left to the scenario.
/// </summary>
internal static class HorizonAnswers
{
    public static async Task<(DutyAnswer Answer, IReadOnlyList<UnreviewedEvent> Events)> ForDutyAsync(IPolicyStore store, ReferenceData reference,
        DutyAnswer answer, IReadOnlyList<TariffMeasure> candidates, IReadOnlyList<AppliedAssumption> applied, DateOnly reviewedThrough, DateTime knownAt, CancellationToken ct)
    {
        if (answer.AsOf <= reviewedThrough) return (answer, []);
        var truces = await TrucesByTermAsync(store, reference, candidates.SelectMany(m => m.Periods.Select(p => p.TruceTermId)), knownAt, ct);
        var events = DutyEvents(answer, Enacted(candidates, applied, m => m.Id), candidates, reviewedThrough, truces);
        return (Horizon.Mark(answer, events), events);
    }

    public static async Task<(ExportAnswer Answer, IReadOnlyList<UnreviewedEvent> Events)> ForExportAsync(IPolicyStore store, ReferenceData reference,
        ExportAnswer answer, IReadOnlyList<ExportControl> candidates, IReadOnlyList<AppliedAssumption> applied, DateOnly reviewedThrough, DateTime knownAt, CancellationToken ct)
    {
        if (answer.AsOf <= reviewedThrough) return (answer, []);
        var truces = await TrucesByTermAsync(store, reference, candidates.SelectMany(c => c.Periods.Select(p => p.TruceTermId)), knownAt, ct);
        var events = ExportEvents(answer, Enacted(candidates, applied, c => c.Id), candidates, reviewedThrough, truces);
        return (Horizon.Mark(answer, events), events);
    }

    /// <summary>The segments split where an unreviewed event begins and marked, with each one's events as on its first day (same index).</summary>
    public static async Task<(DutyTimelineAnswer Timeline, IReadOnlyList<IReadOnlyList<UnreviewedEvent>> Events)> ForDutyTimelineAsync(IPolicyStore store,
        ReferenceData reference, DutyTimelineAnswer timeline, IReadOnlyList<TariffMeasure> candidates, IReadOnlyList<AppliedAssumption> applied,
        DateOnly reviewedThrough, DateTime knownAt, CancellationToken ct)
    {
        if (timeline.EndDate.AddDays(-1) <= reviewedThrough) return (timeline, [.. timeline.Segments.Select(_ => (IReadOnlyList<UnreviewedEvent>)[])]);
        var truces = await TrucesByTermAsync(store, reference, candidates.SelectMany(m => m.Periods.Select(p => p.TruceTermId)), knownAt, ct);
        var enacted = Enacted(candidates, applied, m => m.Id);
        var (segments, events) = HorizonTimeline.Apply(timeline.Segments, candidates.SelectMany(m => m.Periods.SelectMany(p => Dates(p, p.SuspendedUntil))),
            reviewedThrough, (answer, date) => answer with { AsOf = date }, answer => DutyEvents(answer, enacted, candidates, reviewedThrough, truces), Horizon.Mark);
        return (timeline with { Segments = segments }, events);
    }

    /// <summary>The segments split where an unreviewed event begins and marked, with each one's events as on its first day (same index).</summary>
    public static async Task<(ExportTimelineAnswer Timeline, IReadOnlyList<IReadOnlyList<UnreviewedEvent>> Events)> ForExportTimelineAsync(IPolicyStore store,
        ReferenceData reference, ExportTimelineAnswer timeline, IReadOnlyList<ExportControl> candidates, IReadOnlyList<AppliedAssumption> applied,
        DateOnly reviewedThrough, DateTime knownAt, CancellationToken ct)
    {
        if (timeline.EndDate.AddDays(-1) <= reviewedThrough) return (timeline, [.. timeline.Segments.Select(_ => (IReadOnlyList<UnreviewedEvent>)[])]);
        var truces = await TrucesByTermAsync(store, reference, candidates.SelectMany(c => c.Periods.Select(p => p.TruceTermId)), knownAt, ct);
        var enacted = Enacted(candidates, applied, c => c.Id);
        var (segments, events) = HorizonTimeline.Apply(timeline.Segments, candidates.SelectMany(c => c.Periods.SelectMany(p => Dates(p, p.SuspendedUntil))),
            reviewedThrough, (answer, date) => answer with { AsOf = date }, answer => ExportEvents(answer, enacted, candidates, reviewedThrough, truces), Horizon.Mark);
        return (timeline with { Segments = segments }, events);
    }

    private static IReadOnlyList<UnreviewedEvent> DutyEvents(DutyAnswer answer, IReadOnlyList<TariffMeasure> enacted, IReadOnlyList<TariffMeasure> candidates,
        DateOnly reviewedThrough, IReadOnlyDictionary<string, Truce> truces) =>
        Horizon.ForDuty(answer, enacted, reviewedThrough, truces, measures => DutyLookup.Resolve(
            measures.Concat(candidates.Where(c => !measures.Any(m => m.Id == c.Id))), answer.Importer, answer.Origin, answer.HsCode, answer.AsOf));

    private static IReadOnlyList<UnreviewedEvent> ExportEvents(ExportAnswer answer, IReadOnlyList<ExportControl> enacted, IReadOnlyList<ExportControl> candidates,
        DateOnly reviewedThrough, IReadOnlyDictionary<string, Truce> truces) =>
        Horizon.ForExport(answer, enacted, reviewedThrough, truces, controls => ExportCheck.Resolve(
            controls.Concat(candidates.Where(c => !controls.Any(x => x.Id == c.Id))), answer.Exporter, answer.Destination, answer.Item, answer.AsOf));

    /// <summary>The dates a period can begin an unreviewed event on.</summary>
    private static IEnumerable<DateOnly> Dates(IPeriod period, DateOnly? suspendedUntil) =>
        new[] { period.StartDate, period.EndDate, suspendedUntil }.OfType<DateOnly>();

    /// <summary>The candidates no assumption of the request's scenario rewrote: their dates are the data's, not the scenario's.</summary>
    private static List<T> Enacted<T>(IReadOnlyList<T> candidates, IReadOnlyList<AppliedAssumption> applied, Func<T, string> id)
    {
        var assumed = applied.SelectMany(a => a.ChangedRecordIds).ToHashSet(StringComparer.Ordinal);
        return [.. candidates.Where(c => !assumed.Contains(id(c)))];
    }

    /// <summary>Every truce a term of the candidates belongs to, by term id, as known at the request's instant.</summary>
    private static async Task<IReadOnlyDictionary<string, Truce>> TrucesByTermAsync(IPolicyStore store, ReferenceData reference, IEnumerable<string?> termIds,
        DateTime knownAt, CancellationToken ct)
    {
        var byTerm = new Dictionary<string, Truce>(StringComparer.Ordinal);
        var truceIds = termIds.OfType<string>().Select(t => reference.TruceIdByTerm.GetValueOrDefault(t)).OfType<string>().Distinct(StringComparer.Ordinal);
        foreach (var truceId in truceIds)
        {
            if (await store.GetTruceAsync(truceId, knownAt, ct) is not { } truce) continue;
            foreach (var term in truce.Terms) byTerm[term.Id] = truce;
        }
        return byTerm;
    }
}
