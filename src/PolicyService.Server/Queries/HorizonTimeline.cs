namespace PolicyService.Server.Queries;

/// <summary>
/// Timelines past the reviewed horizon: a segment that runs over the first day of an unreviewed event (a suspension due
/// to end changes nothing in the recorded answer, so the timeline merged over it) is split there, so that every segment's
/// unreviewed events hold on all of its dates. A split-off segment has no changes: only what is known changed.
/// </summary>
public static class HorizonTimeline
{
    public static (IReadOnlyList<TimelineSegment<TAnswer, TRecord, TPeriod>> Segments, IReadOnlyList<IReadOnlyList<UnreviewedEvent>> Events) Apply<TAnswer, TRecord, TPeriod>(
        IReadOnlyList<TimelineSegment<TAnswer, TRecord, TPeriod>> segments, IEnumerable<DateOnly> eventDates, DateOnly reviewedThrough,
        Func<TAnswer, DateOnly, TAnswer> atDate, Func<TAnswer, IReadOnlyList<UnreviewedEvent>> eventsOf, Func<TAnswer, IReadOnlyList<UnreviewedEvent>, TAnswer> mark)
        where TPeriod : class, Domain.IPeriod
    {
        var dates = eventDates.Where(d => d > reviewedThrough).Distinct().Order().ToList();
        var split = new List<TimelineSegment<TAnswer, TRecord, TPeriod>>();
        var events = new List<IReadOnlyList<UnreviewedEvent>>();
        foreach (var segment in segments)
        {
            var start = segment.Start;
            foreach (var end in dates.Where(d => d > segment.Start && d < segment.End).Append(segment.End))
            {
                var first = start == segment.Start;
                var answer = first ? segment.Answer : atDate(segment.Answer, start);
                IReadOnlyList<UnreviewedEvent> found = start > reviewedThrough ? eventsOf(answer) : [];
                if (!first && SameEvents(events[^1], found)) split[^1] = split[^1] with { End = end };
                else
                {
                    split.Add(new(start, end, answer, first ? segment.Changes : []));
                    events.Add(found);
                }
                start = end;
            }
        }
        return ([.. split.Select((s, i) => s with { Answer = mark(s.Answer, events[i]) })], events);
    }

    private static bool SameEvents(IReadOnlyList<UnreviewedEvent> a, IReadOnlyList<UnreviewedEvent> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Kind == p.Second.Kind && p.First.RecordId == p.Second.RecordId && p.First.EventDate == p.Second.EventDate);
}
