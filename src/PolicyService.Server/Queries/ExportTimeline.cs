using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

public sealed record ExportTimelineAnswer(
    string Exporter,
    string Destination,
    ExportItem Item,
    DateOnly StartDate,
    DateOnly EndDate,
    IReadOnlyList<TimelineSegment<ExportAnswer, ExportControl, ControlPeriod>> Segments);

/// <summary>The export outcome for an item between two dates: the ranges over which <see cref="ExportCheck"/> answers the same.</summary>
public static class ExportTimeline
{
    public static ExportTimelineAnswer Resolve(IEnumerable<ExportControl> candidates, string exporter, string destination, ExportItem item, DateOnly start, DateOnly end)
    {
        // Only controls that can apply to this item (or to some line under its code) and lane move its answer, so only
        // their dates are boundaries; each date is answered with its variants.
        var applicable = candidates
            .Where(c => ExportCheck.Applies(c, exporter, destination)
                && (ExportCheck.MatchItem(c, item, asOf: null) is not null || item.HsCode is { } code && HsDescendants.AnyUnder(c.Scope, code)))
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        // Controls carry no rate: a new period with the same status is a replacement.
        var segments = Timeline.Build(applicable, c => c.Periods, p => p.SuspendedUntil, _ => null, start, end,
            date => ExportVariants.Resolve(applicable, exporter, destination, item, date), ExportVariants.SameAnswer,
            Timeline.ExclusionDates(applicable.Select(c => c.Scope), item.HsCode));
        return new ExportTimelineAnswer(exporter, destination, item, start, end, Timeline.WithExemptionChanges(segments, applicable, c => c.Periods,
            c => c.Scope, (c, date) => ExportCheck.MatchItem(c, item, date) is not null));
    }

    /// <summary>Two dates' answers are the same when the outcome and every matched control's period are.</summary>
    public static bool SameAnswer(ExportAnswer a, ExportAnswer b) =>
        a.LicenseRequired == b.LicenseRequired && a.Prohibited == b.Prohibited &&
        SameMatches(a.InForce, b.InForce) && SameMatches(a.Suspended, b.Suspended) && SameMatches(a.Announced, b.Announced);

    private static bool SameMatches(IReadOnlyList<ControlMatch> a, IReadOnlyList<ControlMatch> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Control.Id == p.Second.Control.Id && p.First.Period == p.Second.Period && p.First.MatchedBy == p.Second.MatchedBy);
}
