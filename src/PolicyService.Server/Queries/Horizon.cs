using System.Globalization;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>What kind of dated event an answer rests on (mirrors tradepolicy.v1.UnreviewedEventKind).</summary>
public enum UnreviewedEventKind
{
    SuspensionEnds = 1,
    TruceExpires = 2,
    PeriodStarts = 3,
    PeriodEnds = 4,
}

/// <summary>One outcome an unreviewed event could have had, and the answer's outcome under it (total, or licence and prohibition).</summary>
public sealed record UnreviewedAlternative(string Description, IReadOnlyList<ScenarioAssumption> Scenario, bool AsAnswered, Confidence Confidence,
    string ReportedBy = "", decimal? TotalAdValoremPercent = null, bool? LicenseRequired = null, bool? Prohibited = null);

/// <summary>A dated event after the reviewed horizon, on or before the answer's date, that the answer depends on.</summary>
public sealed record UnreviewedEvent(UnreviewedEventKind Kind, string ResourceType, string RecordId, string PeriodRecordId, DateOnly EventDate,
    string Description, IReadOnlyList<UnreviewedAlternative> Alternatives);

/// <summary>The first event of one history after the horizon, and the period it ends or starts.</summary>
public sealed record HistoryEvent<TPeriod>(UnreviewedEventKind Kind, DateOnly Date, TPeriod Period) where TPeriod : class, IPeriod;

/// <summary>
/// The horizon rule: the data was reviewed through a date, so a state that rests on a later event (a suspension due to
/// end, a scheduled step, a period due to end, a truce window due to expire) is not known on dates from that event on.
/// Such an answer keeps the data as recorded, marks the records UNCONFIRMED and names the alternatives, each with the
/// scenario that gives it where one exists and the outcome under it. Pure: the caller supplies the truces and the resolver.
/// </summary>
public static class Horizon
{
    /// <summary>
    /// The earliest boundary of the history in (<paramref name="reviewedThrough"/>, <paramref name="asOf"/>]: a suspension
    /// end inside its period, a period start, or a period end with nothing after it; null when the state on the date rests
    /// on reviewed dates only. On one date a suspension end comes before a start, a start before an end.
    /// </summary>
    public static HistoryEvent<T>? FirstUnreviewed<T>(IReadOnlyList<T> periods, Func<T, DateOnly?> suspendedUntilOf, DateOnly reviewedThrough, DateOnly asOf)
        where T : class, IPeriod
    {
        if (asOf <= reviewedThrough) return null;
        HistoryEvent<T>? first = null;
        foreach (var period in periods)
        {
            // A suspension end counts only where its period still runs: a period closed before it made it moot.
            if (suspendedUntilOf(period) is { } until && (period.EndDate is not { } closes || closes > until))
                Consider(UnreviewedEventKind.SuspensionEnds, until, period);
            Consider(UnreviewedEventKind.PeriodStarts, period.StartDate, period);
            if (period.EndDate is { } end && !periods.Any(p => p.StartDate == end))
                Consider(UnreviewedEventKind.PeriodEnds, end, period);
        }
        return first;

        void Consider(UnreviewedEventKind kind, DateOnly date, T period)
        {
            if (date <= reviewedThrough || date > asOf) return;
            if (first is null || date < first.Date || (date == first.Date && kind < first.Kind)) first = new(kind, date, period);
        }
    }

    /// <summary>The unreviewed events of a duty answer, one per measure that can apply, with the total under each alternative.</summary>
    public static IReadOnlyList<UnreviewedEvent> ForDuty(DutyAnswer answer, IReadOnlyList<TariffMeasure> candidates, DateOnly reviewedThrough,
        IReadOnlyDictionary<string, Truce> trucesByTerm, Func<IReadOnlyList<TariffMeasure>, DutyAnswer> resolve)
    {
        var exempt = answer.Exempted.Select(x => x.Layer.Measure.Id).ToHashSet(StringComparer.Ordinal);
        var relevant = candidates.Where(m => DutyLookup.Applies(m, answer.Importer, answer.Origin)
            && (HsCode.IsCovered(m.Scope, answer.HsCode, answer.AsOf, out _) || exempt.Contains(m.Id))).ToList();
        return Events(relevant, candidates, HistoryShapes.Tariff, reviewedThrough, answer.AsOf, trucesByTerm,
            (records, assumptions) => ScenarioOverlay.Apply(records, assumptions).Measures, resolve,
            (alternative, outcome) => alternative with
            {
                TotalAdValoremPercent = outcome.TotalAdValoremPercent,
                Description = $"{alternative.Description}: {Percent.Format(outcome.TotalAdValoremPercent)}% in all",
            });
    }

    /// <summary>The unreviewed events of an export answer, one per control that can apply, with the outcome under each alternative.</summary>
    public static IReadOnlyList<UnreviewedEvent> ForExport(ExportAnswer answer, IReadOnlyList<ExportControl> candidates, DateOnly reviewedThrough,
        IReadOnlyDictionary<string, Truce> trucesByTerm, Func<IReadOnlyList<ExportControl>, ExportAnswer> resolve)
    {
        var relevant = candidates.Where(c => ExportCheck.Applies(c, answer.Exporter, answer.Destination) && ExportCheck.MatchItem(c, answer.Item, answer.AsOf) is not null).ToList();
        return Events(relevant, candidates, HistoryShapes.Control, reviewedThrough, answer.AsOf, trucesByTerm,
            (records, assumptions) => ScenarioOverlay.Apply(records, assumptions).Controls, resolve,
            (alternative, outcome) => alternative with
            {
                LicenseRequired = outcome.LicenseRequired,
                Prohibited = outcome.Prohibited,
                Description = $"{alternative.Description}: {(outcome.Prohibited ? "prohibited" : outcome.LicenseRequired ? "a licence is required" : "no licence required by the controls held")}",
            });
    }

    /// <summary>
    /// Truces between the parties whose window in force by instrument expired after the horizon and on or before the date:
    /// the answer lists no truce in force then, which the data cannot confirm.
    /// </summary>
    public static IReadOnlyList<UnreviewedEvent> ForTruces(IEnumerable<Truce> truces, string partyA, string partyB, DateOnly reviewedThrough, DateOnly asOf)
    {
        var events = new List<UnreviewedEvent>();
        foreach (var truce in truces.OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            if (!truce.Parties.Contains(partyA) || !truce.Parties.Contains(partyB)) continue;
            if (TruceStatusLookup.WindowAt(truce, asOf) is not null) continue;
            if (TruceStatusLookup.LatestInForce(truce) is not { } window || window.ExpiryDate <= reviewedThrough || window.ExpiryDate > asOf) continue;

            var expiry = window.ExpiryDate;
            var alternatives = new List<UnreviewedAlternative>
            {
                new($"The truce lapsed on {Day(expiry)}: every term ended and what the terms suspended or reduced applies again",
                    [new TruceLapse(truce.Id, TermIds(truce), expiry)], AsAnswered: true, Confidence.Unconfirmed),
            };
            alternatives.AddRange(Reported(truce, expiry, asOf).Select(r => asOf < r.Window.ExpiryDate
                ? new UnreviewedAlternative($"The truce was extended to {Day(r.Window.ExpiryDate)} as {r.Term.Id} reports (no implementing instrument found)",
                    [], AsAnswered: false, r.Term.Confidence, r.Term.Id)
                : new UnreviewedAlternative($"The truce was extended to {Day(r.Window.ExpiryDate)} as {r.Term.Id} reports, and lapsed then",
                    [new TruceLapse(truce.Id, TermIds(truce), r.Window.ExpiryDate)], AsAnswered: false, Confidence.Unconfirmed, r.Term.Id)));
            events.Add(new(UnreviewedEventKind.TruceExpires, ResourceTypes.Truce, truce.Id, window.RecordId, expiry,
                $"{truce.Title}: the window in force ({window.RecordId}) was due to expire on {Day(expiry)}, after the data's reviewed horizon " +
                $"({Day(reviewedThrough)}); whether the truce lapsed or was extended is not known.", alternatives));
        }
        return events;
    }

    /// <summary>A calendar entry after the horizon: as recorded, not known to have happened, so never better than UNCONFIRMED.</summary>
    public static ScheduledChange Unreviewed(ScheduledChange change, DateOnly reviewedThrough) => change.Date <= reviewedThrough ? change : change with
    {
        Confidence = Confidence.Unconfirmed,
        Description = $"{change.Description} (After the data's reviewed horizon, {Day(reviewedThrough)}: as recorded, not known to have happened.)",
    };

    /// <summary>The duty answer with the periods of the measures an event names marked UNCONFIRMED and their truce effects qualified.</summary>
    public static DutyAnswer Mark(DutyAnswer answer, IReadOnlyList<UnreviewedEvent> events)
    {
        if (events.Count == 0) return answer;
        var byRecord = events.ToDictionary(e => e.RecordId, StringComparer.Ordinal);
        DutyLayer Cap(DutyLayer l) => byRecord.ContainsKey(l.Measure.Id) ? l with { Period = l.Period with { Confidence = Confidence.Unconfirmed } } : l;
        return answer with
        {
            Layers = [.. answer.Layers.Select(Cap)],
            Announced = [.. answer.Announced.Select(Cap)],
            NonAdValorem = [.. answer.NonAdValorem.Select(Cap)],
            Excluded = [.. answer.Excluded.Select(x => x with { Layer = Cap(x.Layer) })],
            Exempted = [.. answer.Exempted.Select(x => x with { Layer = Cap(x.Layer) })],
            TruceEffects = [.. answer.TruceEffects.Select(e => byRecord.TryGetValue(e.MeasureId, out var ev)
                ? e with { Description = $"{e.Description} (as recorded; {ev.Description})" }
                : e)],
        };
    }

    /// <summary>The export answer with the periods of the controls an event names marked UNCONFIRMED.</summary>
    public static ExportAnswer Mark(ExportAnswer answer, IReadOnlyList<UnreviewedEvent> events)
    {
        if (events.Count == 0) return answer;
        var ids = events.Select(e => e.RecordId).ToHashSet(StringComparer.Ordinal);
        ControlMatch Cap(ControlMatch m) => ids.Contains(m.Control.Id) ? m with { Period = m.Period with { Confidence = Confidence.Unconfirmed } } : m;
        return answer with { InForce = [.. answer.InForce.Select(Cap)], Suspended = [.. answer.Suspended.Select(Cap)], Announced = [.. answer.Announced.Select(Cap)] };
    }

    private static List<UnreviewedEvent> Events<TRecord, TPeriod, TAnswer>(IReadOnlyList<TRecord> relevant, IReadOnlyList<TRecord> candidates,
        HistoryShape<TRecord, TPeriod> shape, DateOnly reviewedThrough, DateOnly asOf, IReadOnlyDictionary<string, Truce> trucesByTerm,
        Func<IReadOnlyList<TRecord>, IReadOnlyList<ScenarioAssumption>, IReadOnlyList<TRecord>> overlay, Func<IReadOnlyList<TRecord>, TAnswer> resolve,
        Func<UnreviewedAlternative, TAnswer, UnreviewedAlternative> withOutcome)
        where TPeriod : class, IPeriod
    {
        var events = new List<UnreviewedEvent>();
        if (asOf <= reviewedThrough) return events;
        TAnswer? answered = default;
        var hasAnswered = false;

        foreach (var record in relevant)
        {
            if (FirstUnreviewed(shape.Periods(record), shape.SuspendedUntil, reviewedThrough, asOf) is not { } ev) continue;
            var title = shape.Title(record);
            var truce = shape.Term(ev.Period) is { } term ? trucesByTerm.GetValueOrDefault(term) : null;
            var reported = truce is null ? [] : Reported(truce, ev.Date, asOf);
            var alternatives = new List<(UnreviewedAlternative Alternative, Func<IReadOnlyList<TRecord>>? Records)>();

            switch (ev.Kind)
            {
                case UnreviewedEventKind.SuspensionEnds:
                {
                    // Ending is what the truce_lapses assumption computes; without a known truce the term alone is lapsed.
                    var lapse = new TruceLapse(truce?.Id ?? "", truce is null ? new HashSet<string>([shape.Term(ev.Period) ?? ""]) : TermIds(truce), ev.Date);
                    alternatives.Add((new($"The suspension ended on {Day(ev.Date)} and {shape.Resumes(record, ev.Period)}",
                        truce is null ? [] : [lapse], AsAnswered: false, Confidence.Unconfirmed), () => overlay(candidates, [lapse])));
                    alternatives.AddRange(Continued("The suspension was extended", shape.Id(record), ev, reported, asOf, truce, candidates, overlay));
                    break;
                }
                case UnreviewedEventKind.PeriodStarts when ev.Period.Status == PeriodStatus.Announced:
                {
                    var effect = new AnnouncedTakesEffect(shape.Id(record), ev.Date);
                    alternatives.Add((new($"{title} took effect on {Day(ev.Date)} as scheduled", [effect], AsAnswered: false, Confidence.Unconfirmed),
                        () => overlay(candidates, [effect])));
                    alternatives.Add((new($"{title} did not take effect on {Day(ev.Date)} (not verified; listed as announced, not in force)", [],
                        AsAnswered: true, Confidence.Unconfirmed), null));
                    break;
                }
                case UnreviewedEventKind.PeriodStarts:
                    alternatives.Add((new($"The period {shape.RecordIdOf(ev.Period)} started on {Day(ev.Date)} as scheduled", [], AsAnswered: true, Confidence.Unconfirmed), null));
                    alternatives.Add((new($"The period {shape.RecordIdOf(ev.Period)} did not start on {Day(ev.Date)} and the one before it continued", [],
                        AsAnswered: false, Confidence.Unconfirmed), () => Replace(candidates, record, shape, WithoutStart(shape.Periods(record), ev.Period, shape))));
                    break;
                default:
                    alternatives.Add((new($"The period {shape.RecordIdOf(ev.Period)} ended on {Day(ev.Date)} as recorded", [], AsAnswered: true, Confidence.Unconfirmed), null));
                    alternatives.Add((new($"The period {shape.RecordIdOf(ev.Period)} was extended past {Day(ev.Date)}" +
                        (reported.FirstOrDefault() is { } r ? $" (a truce extension to {Day(r.Window.ExpiryDate)} is reported by {r.Term.Id})" : ""), [],
                        AsAnswered: false, reported.FirstOrDefault()?.Term.Confidence ?? Confidence.Unconfirmed, reported.FirstOrDefault()?.Term.Id ?? ""),
                        () => Replace(candidates, record, shape, [.. shape.Periods(record).Select(p => ReferenceEquals(p, ev.Period) ? shape.WithDates(p, p.StartDate, null) : p)])));
                    break;
            }

            var described = alternatives.Select(a =>
            {
                if (a.Records is null)
                {
                    if (!hasAnswered) (answered, hasAnswered) = (resolve(candidates), true);
                    return withOutcome(a.Alternative, answered!);
                }
                return withOutcome(a.Alternative, resolve(a.Records()));
            }).ToList();
            events.Add(new(ev.Kind, shape.ResourceType, shape.Id(record), shape.RecordIdOf(ev.Period), ev.Date, Describe(title, ev, shape, reviewedThrough), described));
        }
        return events;
    }

    /// <summary>The alternatives in which a suspension went on: as reported by a truce extension covering its end, else unreported.</summary>
    private static IEnumerable<(UnreviewedAlternative, Func<IReadOnlyList<TRecord>>?)> Continued<TRecord, TPeriod>(string what, string recordId, HistoryEvent<TPeriod> ev,
        IReadOnlyList<ReportedExtension> reported, DateOnly asOf, Truce? truce,
        IReadOnlyList<TRecord> candidates, Func<IReadOnlyList<TRecord>, IReadOnlyList<ScenarioAssumption>, IReadOnlyList<TRecord>> overlay)
        where TPeriod : class, IPeriod
    {
        var covering = false;
        foreach (var r in reported)
        {
            var expiry = r.Window.ExpiryDate;
            // A report of the whole truce's extension does not say that each of its terms was extended with it.
            var names = r.Term.MeasureIds.Contains(recordId) ? "" : "; the report does not name this measure";
            if (asOf < expiry)
            {
                covering = true;
                yield return (new($"{what} to {Day(expiry)} with the truce, as {r.Term.Id} reports (no implementing instrument found{names}), and the answer as given applies",
                    [], AsAnswered: true, r.Term.Confidence, r.Term.Id), null);
            }
            else
            {
                var lapse = new TruceLapse(truce!.Id, TermIds(truce), expiry);
                yield return (new($"{what} to {Day(expiry)} with the truce, as {r.Term.Id} reports{names}, and ended then", [lapse], AsAnswered: false,
                    Confidence.Unconfirmed, r.Term.Id), () => overlay(candidates, [lapse]));
            }
        }
        if (!covering)
            yield return (new($"{what} past {Day(ev.Date)} (no instrument or report of it was found), and the answer as given applies", [],
                AsAnswered: true, Confidence.Unconfirmed), null);
    }

    /// <summary>Reported windows of the truce (no implementing instrument) that cover the date, announced by the answer's date.</summary>
    private static List<ReportedExtension> Reported(Truce truce, DateOnly date, DateOnly asOf) =>
        [.. truce.Extensions
            .Where(e => e.StartDate <= date && date < e.ExpiryDate)
            .Select(e => (Window: e, Term: TruceStatusLookup.ReportedTerm(truce, e)))
            .Where(x => x.Term is { } term && (term.AnnouncedDate is null || term.AnnouncedDate <= asOf))
            .Select(x => new ReportedExtension(x.Window, x.Term!))];

    private static HashSet<string> TermIds(Truce truce) => truce.Terms.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);

    private static List<TPeriod> WithoutStart<TRecord, TPeriod>(IReadOnlyList<TPeriod> periods, TPeriod started, HistoryShape<TRecord, TPeriod> shape)
        where TPeriod : class, IPeriod =>
        [.. periods.Where(p => !ReferenceEquals(p, started))
            .Select(p => p.EndDate == started.StartDate ? shape.WithDates(p, p.StartDate, started.EndDate) : p)];

    private static List<TRecord> Replace<TRecord, TPeriod>(IReadOnlyList<TRecord> records, TRecord record, HistoryShape<TRecord, TPeriod> shape, IReadOnlyList<TPeriod> periods)
        where TPeriod : class, IPeriod =>
        [.. records.Select(r => ReferenceEquals(r, record) ? shape.WithPeriods(r, periods) : r)];

    private static string Describe<TRecord, TPeriod>(string title, HistoryEvent<TPeriod> ev, HistoryShape<TRecord, TPeriod> shape, DateOnly reviewedThrough)
        where TPeriod : class, IPeriod
    {
        var what = ev.Kind switch
        {
            UnreviewedEventKind.SuspensionEnds => $"the suspension of period {shape.RecordIdOf(ev.Period)} was due to end on {Day(ev.Date)}",
            UnreviewedEventKind.PeriodStarts => $"period {shape.RecordIdOf(ev.Period)} was scheduled to start on {Day(ev.Date)}",
            _ => $"period {shape.RecordIdOf(ev.Period)} was due to end on {Day(ev.Date)} with nothing recorded after it",
        };
        return $"{title}: {what}, after the data's reviewed horizon ({Day(reviewedThrough)}); whether it did is not known.";
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
