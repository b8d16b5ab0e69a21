using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>What happened to one record's history at a timeline boundary (mirrors tradepolicy.v1.TimelineChangeKind).</summary>
public enum TimelineChangeKind
{
    Started = 1,
    Ended = 2,
    Suspended = 3,
    Resumed = 4,
    StatusChanged = 5,
    RateChanged = 6,
    PeriodReplaced = 7,
    ExemptionStarted = 8,
    ExemptionEnded = 9,
}

/// <summary>One record (a measure or a control) whose period on the day before a boundary differs from the one from it.</summary>
public sealed record TimelineChange<TRecord, TPeriod>(TimelineChangeKind Kind, TRecord Record, TPeriod? Before, TPeriod? After)
    where TPeriod : class, IPeriod;

/// <summary>A date range [Start, End) over which a query gives one answer, and what changed at its start.</summary>
public sealed record TimelineSegment<TAnswer, TRecord, TPeriod>(DateOnly Start, DateOnly End, TAnswer Answer, IReadOnlyList<TimelineChange<TRecord, TPeriod>> Changes)
    where TPeriod : class, IPeriod;

/// <summary>
/// The shared shape of the duty and export timelines: an answer can only change on a date where some candidate's period
/// starts, ends or is due to end its suspension (or one of its scope's dated exclusions starts or ends), so resolving once per such date and merging equal neighbours gives the
/// maximal ranges of one answer without a lookup per day.
/// </summary>
public static class Timeline
{
    /// <summary>The longest range a timeline may span (the requests say so too).</summary>
    public const int MaxYears = 20;

    public static IReadOnlyList<TimelineSegment<TAnswer, TRecord, TPeriod>> Build<TAnswer, TRecord, TPeriod>(
        IReadOnlyList<TRecord> records,
        Func<TRecord, IReadOnlyList<TPeriod>> periodsOf,
        Func<TPeriod, DateOnly?> suspendedUntilOf,
        Func<TPeriod, decimal?> rateOf,
        DateOnly start,
        DateOnly end,
        Func<DateOnly, TAnswer> resolve,
        Func<TAnswer, TAnswer, bool> sameAnswer,
        IEnumerable<DateOnly>? otherBoundaries = null)
        where TPeriod : class, IPeriod
    {
        if (start >= end) throw new ArgumentOutOfRangeException(nameof(end), "A timeline needs start < end.");

        var boundaries = new SortedSet<DateOnly> { start };
        foreach (var period in records.SelectMany(periodsOf))
        {
            AddInside(boundaries, period.StartDate, start, end);
            AddInside(boundaries, period.EndDate, start, end);
            AddInside(boundaries, suspendedUntilOf(period), start, end);
        }
        // Dates on which something other than a period moves the answer, e.g. a dated exclusion starting or ending.
        foreach (var date in otherBoundaries ?? []) AddInside(boundaries, date, start, end);

        var segments = new List<TimelineSegment<TAnswer, TRecord, TPeriod>>();
        var dates = boundaries.ToList();
        for (var i = 0; i < dates.Count; i++)
        {
            var segmentEnd = i + 1 < dates.Count ? dates[i + 1] : end;
            var answer = resolve(dates[i]);
            if (segments.Count > 0 && sameAnswer(segments[^1].Answer, answer))
            {
                segments[^1] = segments[^1] with { End = segmentEnd };
                continue;
            }
            var changes = segments.Count == 0 ? [] : ChangesAt(records, periodsOf, rateOf, dates[i]);
            segments.Add(new(dates[i], segmentEnd, answer, changes));
        }
        return segments;
    }

    /// <summary>The dates on which a dated exclusion of one of the scopes that can remove the code starts or ends.</summary>
    public static IEnumerable<DateOnly> ExclusionDates(IEnumerable<ProductScope> scopes, string? code) => code is null
        ? []
        : scopes.SelectMany(s => s.DatedExclusions)
            // The code's own exclusions, and those under a less specific code, where one of its variants changes.
            .Where(x => code.StartsWith(x.HsPrefix, StringComparison.Ordinal) || x.HsPrefix.StartsWith(code, StringComparison.Ordinal))
            .SelectMany(x => new[] { x.StartDate, x.EndDate })
            .OfType<DateOnly>();

    /// <summary>
    /// Adds what the periods cannot show: a record whose period goes on while a dated exclusion of the product starts or
    /// ends on a segment's first day (an exemption begins or ends). A record whose period changed there already has its change.
    /// </summary>
    public static IReadOnlyList<TimelineSegment<TAnswer, TRecord, TPeriod>> WithExemptionChanges<TAnswer, TRecord, TPeriod>(
        IReadOnlyList<TimelineSegment<TAnswer, TRecord, TPeriod>> segments,
        IReadOnlyList<TRecord> records,
        Func<TRecord, IReadOnlyList<TPeriod>> periodsOf,
        Func<TRecord, ProductScope> scopeOf,
        Func<TRecord, DateOnly, bool> coversOn)
        where TPeriod : class, IPeriod
    {
        var result = new List<TimelineSegment<TAnswer, TRecord, TPeriod>>(segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (i == 0)
            {
                result.Add(segment);   // the first segment has no boundary before it
                continue;
            }
            var date = segment.Start;
            var added = new List<TimelineChange<TRecord, TPeriod>>();
            foreach (var record in records)
            {
                if (scopeOf(record).DatedExclusions.Count == 0 || segment.Changes.Any(c => ReferenceEquals(c.Record, record))) continue;
                if (AsOf.PeriodAt(periodsOf(record), date) is not { } period) continue;
                var coveredBefore = coversOn(record, date.AddDays(-1));
                var coveredNow = coversOn(record, date);
                if (coveredBefore != coveredNow)
                    added.Add(new(coveredNow ? TimelineChangeKind.ExemptionEnded : TimelineChangeKind.ExemptionStarted, record, period, period));
            }
            result.Add(added.Count == 0 ? segment : segment with { Changes = [.. segment.Changes, .. added] });
        }
        return result;
    }

    /// <summary>Every record whose period on the day before <paramref name="date"/> is not the one covering it.</summary>
    public static IReadOnlyList<TimelineChange<TRecord, TPeriod>> ChangesAt<TRecord, TPeriod>(
        IReadOnlyList<TRecord> records, Func<TRecord, IReadOnlyList<TPeriod>> periodsOf, Func<TPeriod, decimal?> rateOf, DateOnly date)
        where TPeriod : class, IPeriod
    {
        var changes = new List<TimelineChange<TRecord, TPeriod>>();
        foreach (var record in records)
        {
            var periods = periodsOf(record);
            var before = AsOf.PeriodAt(periods, date.AddDays(-1));
            var after = AsOf.PeriodAt(periods, date);
            if (ReferenceEquals(before, after)) continue;
            changes.Add(new(KindOf(before, after, rateOf), record, before, after));
        }
        return changes;
    }

    public static TimelineChangeKind KindOf<TPeriod>(TPeriod? before, TPeriod? after, Func<TPeriod, decimal?> rateOf) where TPeriod : class, IPeriod
    {
        if (before is null || Ends(before.Status)) return after is null || Ends(after.Status) ? TimelineChangeKind.Ended : TimelineChangeKind.Started;
        if (after is null || Ends(after.Status)) return TimelineChangeKind.Ended;
        if (after.Status == PeriodStatus.Suspended && before.Status != PeriodStatus.Suspended) return TimelineChangeKind.Suspended;
        if (before.Status == PeriodStatus.Suspended && after.Status == PeriodStatus.InForce) return TimelineChangeKind.Resumed;
        if (before.Status != after.Status) return TimelineChangeKind.StatusChanged;
        if (rateOf(before) != rateOf(after)) return TimelineChangeKind.RateChanged;
        // Points suspended within an in-force period change what applies only through the rate, checked above.
        return TimelineChangeKind.PeriodReplaced;
    }

    private static bool Ends(PeriodStatus status) => status is PeriodStatus.Expired or PeriodStatus.Revoked;

    private static void AddInside(SortedSet<DateOnly> boundaries, DateOnly? date, DateOnly start, DateOnly end)
    {
        if (date is { } d && d > start && d < end) boundaries.Add(d);
    }
}
