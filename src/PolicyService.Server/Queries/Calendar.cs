using System.Globalization;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

public enum ScheduledChangeKind
{
    PeriodStarts = 1,
    PeriodEnds = 2,
    RateSteps = 3,
    StatusChanges = 4,
    SuspensionEnds = 5,
    AnnouncedStart = 6,
    TruceExpires = 7,
}

/// <summary>One dated change of one record; <see cref="Key"/> orders the calendar and is what its pages continue after.</summary>
public sealed record ScheduledChange(DateOnly Date, ScheduledChangeKind Kind, string ResourceType, string RecordId, string Title,
    string PeriodRecordId, PeriodStatus? StatusBefore, PeriodStatus? StatusAfter, decimal? RateBefore, decimal? RateAfter,
    string? TruceTermId, Confidence Confidence, string Description)
{
    public string Key { get; } = string.Join('\u001f', Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), RecordId,
        ((int)Kind).ToString("D2", CultureInfo.InvariantCulture), PeriodRecordId);
}

/// <summary>
/// The calendar of scheduled changes: every boundary of every period history, suspension and truce window between two
/// jurisdictions, read from the records themselves (no second copy of the dates to drift from them).
/// </summary>
public static class Calendar
{
    /// <summary>The changes in [<paramref name="start"/>, <paramref name="end"/>) of the records touching the pair, in key order.</summary>
    public static List<ScheduledChange> Resolve(IEnumerable<TariffMeasure> measures, IEnumerable<ExportControl> controls, IEnumerable<Truce> truces,
        string? jurisdiction, string? counterpart, DateOnly start, DateOnly end)
    {
        bool Between(string sideA, IReadOnlyList<string> sideB, bool allB) =>
            (Is(jurisdiction, sideA) && In(counterpart, sideB, allB)) || (Is(counterpart, sideA) && In(jurisdiction, sideB, allB));

        var changes = new List<ScheduledChange>();
        foreach (var m in measures.Where(m => Between(m.Importer, m.Origins, m.AllOrigins)))
            changes.AddRange(OfHistory(ResourceTypes.TariffMeasure, m.Id, m.Title, m.Periods, p => p.AdValoremPercent, p => p.SuspendedPercent,
                p => p.RecordId, p => p.SuspendedUntil, p => p.TruceTermId, p => p.Confidence));
        foreach (var c in controls.Where(c => Between(c.Exporter, c.Destinations, c.AllDestinations)))
            changes.AddRange(OfHistory<ControlPeriod>(ResourceTypes.ExportControl, c.Id, c.Title, c.Periods, _ => null, _ => null,
                p => p.RecordId, p => p.SuspendedUntil, p => p.TruceTermId, p => p.Confidence));
        foreach (var t in truces.Where(t => Is(jurisdiction, t.Parties) && Is(counterpart, t.Parties)))
        {
            if (TruceStatusLookup.LatestInForce(t) is { } window)
                changes.Add(new(window.ExpiryDate, ScheduledChangeKind.TruceExpires, ResourceTypes.Truce, t.Id, t.Title, window.RecordId,
                    null, null, null, null, null, t.Confidence, $"{t.Title}: the window in force ({window.RecordId}) expires unless extended."));
        }
        return [.. changes.Where(c => c.Date >= start && c.Date < end).OrderBy(c => c.Key, StringComparer.Ordinal)];
    }

    private static bool Is(string? wanted, string side) => wanted is null || wanted == side;

    private static bool Is(string? wanted, IReadOnlyList<string> parties) => wanted is null || parties.Contains(wanted);

    private static bool In(string? wanted, IReadOnlyList<string> side, bool all) => wanted is null || all || side.Contains(wanted);

    private static IEnumerable<ScheduledChange> OfHistory<TPeriod>(string resourceType, string id, string title, IReadOnlyList<TPeriod> periods,
        Func<TPeriod, decimal?> rate, Func<TPeriod, decimal?> suspended, Func<TPeriod, string> recordId, Func<TPeriod, DateOnly?> suspendedUntil, Func<TPeriod, string?> term,
        Func<TPeriod, Confidence> confidence) where TPeriod : IPeriod
    {
        var ordered = periods.OrderBy(p => p.StartDate).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var p = ordered[i];
            var before = i > 0 && ordered[i - 1].EndDate == p.StartDate ? ordered[i - 1] : default;
            var after = i + 1 < ordered.Count && p.EndDate == ordered[i + 1].StartDate ? ordered[i + 1] : default;
            ScheduledChange At(DateOnly date, ScheduledChangeKind kind, TPeriod? from, TPeriod? to, TPeriod about, string description) =>
                new(date, kind, resourceType, id, title, recordId(about), from?.Status, to?.Status, from is null ? null : rate(from),
                    to is null ? null : rate(to), term(about), confidence(about), description);

            if (p.Status == PeriodStatus.Announced)
                yield return At(p.StartDate, ScheduledChangeKind.AnnouncedStart, before, p, p, $"{title}: announced to take effect{Rate(rate(p))} (not enacted).");
            else if (before is null)
                yield return At(p.StartDate, ScheduledChangeKind.PeriodStarts, default, p, p, $"{title}: {Name(p.Status)} from this date{Rate(rate(p))}.");
            else if (before.Status != p.Status)
                yield return At(p.StartDate, ScheduledChangeKind.StatusChanges, before, p, p, $"{title}: {Name(before.Status)} → {Name(p.Status)}{Rate(rate(p))}.");
            else if (rate(before) != rate(p))
                yield return At(p.StartDate, ScheduledChangeKind.RateSteps, before, p, p,
                    $"{title}: the rate steps from {Percent.Format(rate(before))}% to {Percent.Format(rate(p))}%.");

            if (p.EndDate is { } endDate && after is null)
                yield return At(endDate, ScheduledChangeKind.PeriodEnds, p, default, p, $"{title}: the {Name(p.Status)} period ends, with nothing recorded after it.");
            if (suspendedUntil(p) is { } until)
            {
                // The suspended points come back on top of the rate that applied while they were suspended.
                var resumed = suspended(p) is { } points ? (rate(p) ?? 0) + points : (decimal?)null;
                yield return At(until, ScheduledChangeKind.SuspensionEnds, p, default, p,
                    $"{title}: the suspension{(term(p) is { } t ? $" by truce term {t}" : "")} ends; what it suspended applies again unless extended{Rate(resumed)}.")
                    with { RateAfter = resumed };
            }
        }
    }

    private static string Rate(decimal? rate) => rate is { } r ? $" at {Percent.Format(r)}%" : "";

    private static string Name(PeriodStatus status) => status switch
    {
        PeriodStatus.InForce => "in force",
        PeriodStatus.Announced => "announced",
        PeriodStatus.Suspended => "suspended",
        PeriodStatus.Expired => "expired",
        PeriodStatus.Revoked => "revoked",
        _ => status.ToString(),
    };
}
