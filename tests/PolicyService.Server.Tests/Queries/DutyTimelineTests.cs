using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

public class DutyTimelineTests
{
    private const string Battery = "8507600020";

    private static readonly TariffMeasure List4A = Measure("LIST-4A", Scope("8507600020"),
        Period("2019-09-01", "2020-02-14", PeriodStatus.InForce, 15m, record: "L1"),
        Period("2020-02-14", null, PeriodStatus.InForce, 7.5m, record: "L2")) with { ExcludedBy = [new StackingExclusion("REVIEW", "the review rate replaces the list rate")] };

    private static readonly TariffMeasure Review = Measure("REVIEW", Scope("850760"),
        Period("2024-09-13", "2026-01-01", PeriodStatus.Announced, 25m, record: "V1"),
        Period("2026-01-01", null, PeriodStatus.InForce, 25m, record: "V2"));

    private static readonly TariffMeasure Reciprocal = Measure("RECIPROCAL", AllProducts(),
        Period("2025-04-10", "2025-05-14", PeriodStatus.InForce, 125m, record: "P1"),
        Period("2025-05-14", "2026-02-24", PeriodStatus.InForce, 10m, suspended: 24m, suspendedUntil: "2026-11-10", term: "TRU-X", record: "P2"),
        Period("2026-02-24", null, PeriodStatus.Revoked, null, record: "P3")) with { Kind = TariffKind.IeepaReciprocal };

    private static readonly TariffMeasure[] All = [List4A, Review, Reciprocal];

    [Fact]
    public void The_segments_are_the_ranges_of_one_total_with_the_cliffs_between_them()
    {
        var timeline = DutyTimeline.Resolve(All, "US", "CN", Battery, D("2025-01-01"), D("2026-06-01"));

        Assert.Equal(
            [("2025-01-01", "2025-04-10", 7.5m), ("2025-04-10", "2025-05-14", 132.5m), ("2025-05-14", "2026-01-01", 17.5m),
             ("2026-01-01", "2026-02-24", 35m), ("2026-02-24", "2026-06-01", 25m)],
            timeline.Segments.Select(s => (Iso(s.Start), Iso(s.End), s.Answer.TotalAdValoremPercent)));
        Assert.Empty(timeline.Segments[0].Changes);

        var geneva = Assert.Single(timeline.Segments[2].Changes);
        Assert.Equal((TimelineChangeKind.RateChanged, "RECIPROCAL", 125m, 10m), (geneva.Kind, geneva.Record.Id, geneva.Before!.AdValoremPercent, geneva.After!.AdValoremPercent));

        var review = Assert.Single(timeline.Segments[3].Changes);
        Assert.Equal((TimelineChangeKind.StatusChanged, "REVIEW"), (review.Kind, review.Record.Id));

        var revoked = Assert.Single(timeline.Segments[4].Changes);
        Assert.Equal((TimelineChangeKind.Ended, "RECIPROCAL", PeriodStatus.Revoked), (revoked.Kind, revoked.Record.Id, revoked.After!.Status));
    }

    [Fact]
    public void A_suspension_date_that_changes_nothing_is_no_boundary()
    {
        // 2026-11-10 (the TRU-X suspension's announced end) lies inside the range, but the period ended in February.
        var timeline = DutyTimeline.Resolve(All, "US", "CN", Battery, D("2026-03-01"), D("2027-01-01"));

        var only = Assert.Single(timeline.Segments);
        Assert.Equal((D("2026-03-01"), D("2027-01-01"), 25m), (only.Start, only.End, only.Answer.TotalAdValoremPercent));
    }

    [Fact]
    public void Measures_of_another_lane_or_product_add_no_boundaries()
    {
        var other = Measure("OTHER", Scope("0101"), Period("2025-03-01", "2025-03-15", PeriodStatus.InForce, 50m));

        var timeline = DutyTimeline.Resolve([List4A, other], "US", "CN", Battery, D("2025-01-01"), D("2025-06-01"));

        Assert.Single(timeline.Segments);
    }

    [Fact]
    public void An_announced_measure_starting_is_a_cliff_even_though_the_total_stays()
    {
        var threatened = Measure("THREAT", AllProducts(), Period("2025-10-10", "2025-11-01", PeriodStatus.Announced, 100m, record: "T1"));

        var timeline = DutyTimeline.Resolve([List4A, threatened], "US", "CN", Battery, D("2025-10-01"), D("2025-12-01"));

        Assert.Equal([7.5m, 7.5m, 7.5m], timeline.Segments.Select(s => s.Answer.TotalAdValoremPercent));
        Assert.Equal(TimelineChangeKind.Started, Assert.Single(timeline.Segments[1].Changes).Kind);
        Assert.Equal(["THREAT"], timeline.Segments[1].Answer.Announced.Select(l => l.Measure.Id));
        Assert.Equal(TimelineChangeKind.Ended, Assert.Single(timeline.Segments[2].Changes).Kind);
    }

    /// <summary>
    /// The property the RPC promises: for random histories, every segment's answer is DutyLookup's for every date inside
    /// it, the segments tile the range, and no two neighbours answer alike (so they are maximal).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Every_segment_answers_as_the_lookup_on_any_date_inside_it(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 25; round++)
        {
            var measures = RandomPolicy.Measures(random);
            var start = RandomPolicy.Epoch.AddDays(random.Next(0, 900));
            var end = start.AddDays(random.Next(1, 1500));

            var timeline = DutyTimeline.Resolve(measures, "US", "CN", Battery, start, end);

            Assert.Equal(start, timeline.Segments[0].Start);
            Assert.Equal(end, timeline.Segments[^1].End);
            for (var i = 0; i < timeline.Segments.Count; i++)
            {
                var segment = timeline.Segments[i];
                Assert.True(segment.Start < segment.End);
                if (i > 0)
                {
                    Assert.Equal(timeline.Segments[i - 1].End, segment.Start);
                    Assert.False(DutyTimeline.SameAnswer(timeline.Segments[i - 1].Answer, segment.Answer), $"seed {seed} round {round}: segments {i - 1} and {i} answer alike");
                    Assert.NotEmpty(segment.Changes);
                }
                var span = segment.End.DayNumber - segment.Start.DayNumber;
                foreach (var date in new[] { segment.Start, segment.End.AddDays(-1), segment.Start.AddDays(random.Next(span)) })
                {
                    var lookup = DutyLookup.Resolve(measures, "US", "CN", Battery, date);
                    Assert.Equal(lookup.TotalAdValoremPercent, segment.Answer.TotalAdValoremPercent);
                    Assert.True(DutyTimeline.SameAnswer(lookup, segment.Answer), $"seed {seed} round {round}: {date} differs from its segment {segment.Start}..{segment.End}");
                }
            }
        }
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Shown(DutyTimelineAnswer timeline) => timeline.Segments.Select(s => FormattableString.Invariant(
        $"{s.Start:yyyy-MM-dd}..{s.End:yyyy-MM-dd} {s.Answer.TotalAdValoremPercent} [{string.Join(",", s.Answer.Layers.Select(l => $"{l.Measure.Id}/{l.Period.RecordId}"))}] changes=[{string.Join(",", s.Changes.Select(c => $"{c.Record.Id} {c.Kind}"))}]")).ToArray();

    [Fact]
    public void A_dated_exemption_is_a_cliff_where_it_starts_and_ends_with_the_measure_named()
    {
        // Exempt from 2025-06-01 to 2025-08-31 (end 2025-09-01 is the first day the duty applies again); the period runs on.
        var exempt = new ScopeExclusion("850760", D("2025-06-01"), D("2025-09-01"), "test-basis rev6 L1");
        var reciprocal = Measure("RECIPROCAL", AllProducts() with { DatedExclusions = [exempt] },
            Period("2025-01-01", null, PeriodStatus.InForce, 10m, record: "R1"));

        var timeline = DutyTimeline.Resolve([reciprocal], "US", "CN", Battery, D("2025-01-01"), D("2026-01-01"));

        Assert.Equal(
        [
            "2025-01-01..2025-06-01 10 [RECIPROCAL/R1] changes=[]",
            "2025-06-01..2025-09-01 0 [] changes=[RECIPROCAL ExemptionStarted]",
            "2025-09-01..2026-01-01 10 [RECIPROCAL/R1] changes=[RECIPROCAL ExemptionEnded]",
        ], Shown(timeline));
        var exempted = Assert.Single(timeline.Segments[1].Answer.Exempted);
        Assert.Contains("test-basis rev6 L1", exempted.Reason, StringComparison.Ordinal);
        Assert.Contains("from 2025-06-01 to 2025-08-31", exempted.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dated_exclusion_of_another_product_is_no_boundary()
    {
        var reciprocal = Measure("RECIPROCAL", AllProducts() with { DatedExclusions = [new("0202", D("2025-06-01"), null, "beef")] },
            Period("2025-01-01", null, PeriodStatus.InForce, 10m, record: "R1"));
        var timeline = DutyTimeline.Resolve([reciprocal], "US", "CN", Battery, D("2025-01-01"), D("2026-01-01"));
        Assert.Equal(["2025-01-01..2026-01-01 10 [RECIPROCAL/R1] changes=[]"], Shown(timeline));
    }

    // The total stays at 10 across each boundary below; which layer makes it up does not, so each is a new segment.
    [Fact]
    public void A_layer_replaced_by_another_at_the_same_rate_is_a_new_segment_with_both_changes_in_id_order()
    {
        var a = Measure("A", AllProducts(), Period("2024-01-01", "2025-06-01", PeriodStatus.InForce, 10m, record: "A1"));
        var b = Measure("B", AllProducts(), Period("2025-06-01", null, PeriodStatus.InForce, 10m, record: "B1"));

        var timeline = DutyTimeline.Resolve([b, a], "US", "CN", Battery, D("2025-01-01"), D("2026-01-01"));

        Assert.Equal(
        [
            "2025-01-01..2025-06-01 10 [A/A1] changes=[]",
            "2025-06-01..2026-01-01 10 [B/B1] changes=[A Ended,B Started]",
        ], Shown(timeline));
    }

    [Fact]
    public void A_period_replaced_by_one_at_the_same_rate_is_a_new_segment()
    {
        var a = Measure("A", AllProducts(), Period("2024-01-01", "2025-06-01", PeriodStatus.InForce, 10m, record: "A1"),
            Period("2025-06-01", null, PeriodStatus.InForce, 10m, record: "A2"));
        var otherLane = Measure("VN", AllProducts(), Period("2025-06-01", null, PeriodStatus.InForce, 5m, record: "V1")) with { Origins = ["VN"] };
        var otherProduct = Measure("STEEL", Scope("7208"), Period("2025-06-01", null, PeriodStatus.InForce, 25m, record: "S1"));

        var timeline = DutyTimeline.Resolve([a, otherLane, otherProduct], "US", "CN", Battery, D("2025-01-01"), D("2026-01-01"));

        Assert.Equal(
        [
            "2025-01-01..2025-06-01 10 [A/A1] changes=[]",
            "2025-06-01..2026-01-01 10 [A/A2] changes=[A PeriodReplaced]",
        ], Shown(timeline));
    }
}

/// <summary>Seeded random tariff histories: contiguous or gapped periods of every status, scopes that do and do not cover the product, stacking rules.</summary>
internal static class RandomPolicy
{
    public static readonly DateOnly Epoch = new(2018, 1, 1);

    private static readonly string[] Prefixes = ["85", "8507", "850760", "8507600020", "850780", "0101"];
    private static readonly PeriodStatus[] Statuses = [PeriodStatus.InForce, PeriodStatus.InForce, PeriodStatus.Announced, PeriodStatus.Suspended, PeriodStatus.Expired, PeriodStatus.Revoked];
    private static readonly decimal[] Rates = [0m, 7.5m, 10m, 12.5m, 25m, 34m, 125m];

    public static IReadOnlyList<TariffMeasure> Measures(Random random)
    {
        var count = random.Next(1, 7);
        var ids = Enumerable.Range(0, count).Select(i => $"M{i}").ToArray();
        return [.. ids.Select(id => RandomMeasure(random, id, ids))];
    }

    private static TariffMeasure RandomMeasure(Random random, string id, string[] ids)
    {
        var periods = new List<TariffPeriod>();
        var date = Epoch.AddDays(random.Next(0, 400));
        var periodCount = random.Next(1, 6);
        for (var i = 0; i < periodCount; i++)
        {
            if (random.Next(4) == 0) date = date.AddDays(random.Next(1, 200)); // a gap in the history
            var length = random.Next(1, 400);
            DateOnly? end = i == periodCount - 1 && random.Next(2) == 0 ? null : date.AddDays(length);
            var status = Statuses[random.Next(Statuses.Length)];
            decimal? rate = random.Next(6) == 0 ? null : Rates[random.Next(Rates.Length)];
            var suspendedUntil = random.Next(3) == 0 ? date.AddDays(random.Next(1, 900)) : (DateOnly?)null;
            periods.Add(new TariffPeriod($"{id}.{i}", date, end, status, rate, "", "instrument",
                suspendedUntil is null ? null : 24m, suspendedUntil, suspendedUntil is null ? null : "TRU-R", "", Confidence.Confirmed));
            if (end is not { } e) break;
            date = e;
        }
        var scope = random.Next(5) == 0 ? new ProductScope(true, [], random.Next(3) == 0 ? ["8507"] : [], "all") : Build.Scope(Prefixes[random.Next(Prefixes.Length)]);
        // Dated exclusions of the product (or of another), some sharing a prefix, some open at either end.
        scope = scope with { DatedExclusions = [.. Enumerable.Range(0, random.Next(3)).Select(_ => RandomExclusion(random))] };
        var excludedBy = random.Next(3) == 0 ? new[] { new StackingExclusion(ids[random.Next(ids.Length)], "replaced") } : [];
        return Build.Measure(id, scope, [.. periods]) with
        {
            Origins = random.Next(6) == 0 ? ["JP"] : ["CN"],
            ExcludedBy = [.. excludedBy.Where(r => r.MeasureId != id)],
        };
    }

    private static ScopeExclusion RandomExclusion(Random random)
    {
        DateOnly? start = random.Next(4) == 0 ? null : Epoch.AddDays(random.Next(0, 1500));
        DateOnly? end = random.Next(4) == 0 ? null : (start ?? Epoch).AddDays(random.Next(1, 600));
        return new ScopeExclusion(Prefixes[random.Next(Prefixes.Length)], start, end, "random");
    }

}
