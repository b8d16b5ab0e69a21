using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

public sealed record DutyTimelineAnswer(
    string Importer,
    string Origin,
    string HsCode,
    DateOnly StartDate,
    DateOnly EndDate,
    IReadOnlyList<TimelineSegment<DutyAnswer, TariffMeasure, TariffPeriod>> Segments);

/// <summary>The duty on a product between two dates: the ranges over which <see cref="DutyLookup"/> answers the same.</summary>
public static class DutyTimeline
{
    public static DutyTimelineAnswer Resolve(IEnumerable<TariffMeasure> candidates, string importer, string origin, string hsCode, DateOnly start, DateOnly end)
    {
        // Only measures that can apply to this product and lane move its answer, so only their dates are boundaries.
        var applicable = candidates
            .Where(m => DutyLookup.Applies(m, importer, origin) && HsCode.IsCoveredOnSomeDate(m.Scope, hsCode, out _))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
        // A dated exclusion of this product moves the answer where it starts and ends (a cliff with no period change).
        var exclusionDates = applicable
            .SelectMany(m => m.Scope.DatedExclusions)
            .Where(x => hsCode.StartsWith(x.HsPrefix, StringComparison.Ordinal))
            .SelectMany(x => new[] { x.StartDate, x.EndDate })
            .OfType<DateOnly>();
        var segments = Timeline.Build(applicable, m => m.Periods, p => p.SuspendedUntil, p => p.AdValoremPercent, start, end,
            date => DutyLookup.Resolve(applicable, importer, origin, hsCode, date), SameAnswer, exclusionDates);
        return new DutyTimelineAnswer(importer, origin, hsCode, start, end,
            [.. segments.Select((s, i) => i == 0 ? s : WithExemptionChanges(s, applicable, hsCode))]);
    }

    /// <summary>
    /// Adds what the periods cannot show: a measure whose period goes on while a dated exclusion of the product starts or
    /// ends on the segment's first day. A measure whose period changed on the same date already has its change.
    /// </summary>
    private static TimelineSegment<DutyAnswer, TariffMeasure, TariffPeriod> WithExemptionChanges(
        TimelineSegment<DutyAnswer, TariffMeasure, TariffPeriod> segment, IReadOnlyList<TariffMeasure> applicable, string hsCode)
    {
        var date = segment.Start;
        var added = new List<TimelineChange<TariffMeasure, TariffPeriod>>();
        foreach (var measure in applicable)
        {
            if (measure.Scope.DatedExclusions.Count == 0 || segment.Changes.Any(c => c.Record.Id == measure.Id)) continue;
            if (AsOf.PeriodAt(measure.Periods, date) is not { } period) continue;
            var coveredBefore = HsCode.IsCovered(measure.Scope, hsCode, date.AddDays(-1), out _);
            var coveredNow = HsCode.IsCovered(measure.Scope, hsCode, date, out _);
            if (coveredBefore == coveredNow) continue;
            added.Add(new(coveredNow ? TimelineChangeKind.ExemptionEnded : TimelineChangeKind.ExemptionStarted, measure, period, period));
        }
        return added.Count == 0 ? segment : segment with { Changes = [.. segment.Changes, .. added] };
    }

    /// <summary>Two dates' answers are the same when every part of them is, apart from the date itself.</summary>
    public static bool SameAnswer(DutyAnswer a, DutyAnswer b) =>
        a.TotalAdValoremPercent == b.TotalAdValoremPercent &&
        SameLayers(a.Layers, b.Layers) &&
        SameLayers(a.Announced, b.Announced) &&
        SameLayers(a.NonAdValorem, b.NonAdValorem) &&
        SameLayers(a.Excluded.Select(x => x.Layer).ToList(), b.Excluded.Select(x => x.Layer).ToList()) &&
        a.TruceEffects.SequenceEqual(b.TruceEffects);

    // A layer is its measure and the period its rate comes from; periods are plain value records.
    private static bool SameLayers(IReadOnlyList<DutyLayer> a, IReadOnlyList<DutyLayer> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Measure.Id == p.Second.Measure.Id && p.First.Period == p.Second.Period);
}
