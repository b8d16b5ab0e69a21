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
        // Only measures that can apply to this product (or to some line under it) and lane move its answer, so only their
        // dates are boundaries; each date is answered with its variants, and a segment ends where any variant changes.
        var applicable = candidates
            .Where(m => DutyLookup.Applies(m, importer, origin) && (HsCode.IsCoveredOnSomeDate(m.Scope, hsCode, out _) || HsDescendants.AnyUnder(m.Scope, hsCode)))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
        // A dated exclusion of this product moves the answer where it starts and ends (a cliff with no period change).
        var segments = Timeline.Build(applicable, m => m.Periods, p => p.SuspendedUntil, p => p.AdValoremPercent, start, end,
            date => DutyVariants.Resolve(applicable, importer, origin, hsCode, date), DutyVariants.SameAnswer,
            Timeline.ExclusionDates(applicable.Select(m => m.Scope), hsCode));
        return new DutyTimelineAnswer(importer, origin, hsCode, start, end, Timeline.WithExemptionChanges(segments, applicable, m => m.Periods,
            m => m.Scope, (m, date) => HsCode.IsCovered(m.Scope, hsCode, date, out _)));
    }

    /// <summary>Two dates' answers are the same when every part of them is, apart from the date itself.</summary>
    public static bool SameAnswer(DutyAnswer a, DutyAnswer b) =>
        a.TotalAdValoremPercent == b.TotalAdValoremPercent &&
        SameLayers(a.Layers, b.Layers) &&
        SameLayers(a.Announced, b.Announced) &&
        SameLayers(a.NonAdValorem, b.NonAdValorem) &&
        SameLayers(a.Excluded.Select(x => x.Layer).ToList(), b.Excluded.Select(x => x.Layer).ToList()) &&
        a.TruceEffects.SequenceEqual(b.TruceEffects) &&
        a.PricingNotes.SequenceEqual(b.PricingNotes);

    // A layer is its measure, the period its rate comes from, and what stacking made of it (its basis and conditions).
    private static bool SameLayers(IReadOnlyList<DutyLayer> a, IReadOnlyList<DutyLayer> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Measure.Id == p.Second.Measure.Id && p.First.Period == p.Second.Period &&
            p.First.Basis == p.Second.Basis && p.First.Conditions.SequenceEqual(p.Second.Conditions));
}
