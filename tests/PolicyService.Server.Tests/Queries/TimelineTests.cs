using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

/// <summary>The shared timeline builder, with answers given here as plain text so that only its own rules are tested.</summary>
public class TimelineTests
{
    private static IReadOnlyList<TimelineSegment<string, TariffMeasure, TariffPeriod>> Build(TariffMeasure measure, string start, string end, Func<DateOnly, string> resolve) =>
        Timeline.Build([measure], m => m.Periods, p => p.SuspendedUntil, p => p.AdValoremPercent, D(start), D(end), resolve, string.Equals);

    private static string[] Shown(IEnumerable<TimelineSegment<string, TariffMeasure, TariffPeriod>> segments) => segments.Select(s => FormattableString.Invariant(
        $"{s.Start:yyyy-MM-dd}..{s.End:yyyy-MM-dd} {s.Answer} [{string.Join(",", s.Changes.Select(c => c.Kind))}]")).ToArray();

    [Fact]
    public void A_suspension_end_inside_the_range_is_a_boundary()
    {
        var measure = Measure("M", AllProducts(), Period("2024-01-01", null, PeriodStatus.InForce, 10m, suspended: 24m, suspendedUntil: "2025-09-01"));

        var segments = Build(measure, "2025-01-01", "2026-01-01", d => d < D("2025-09-01") ? "suspended" : "resumed");

        Assert.Equal(["2025-01-01..2025-09-01 suspended []", "2025-09-01..2026-01-01 resumed []"], Shown(segments));
    }

    [Fact]
    public void The_first_segment_has_no_changes_even_when_a_period_starts_on_its_first_day()
    {
        var measure = Measure("M", AllProducts(), Period("2024-01-01", "2025-01-01", PeriodStatus.InForce, 10m), Period("2025-01-01", null, PeriodStatus.InForce, 20m));

        var segments = Build(measure, "2025-01-01", "2026-01-01", d => "same");

        Assert.Equal(["2025-01-01..2026-01-01 same []"], Shown(segments));
    }

    [Fact]
    public void A_period_ending_on_the_last_day_of_the_range_adds_no_empty_segment()
    {
        var measure = Measure("M", AllProducts(), Period("2024-01-01", "2026-01-01", PeriodStatus.InForce, 10m));

        var segments = Build(measure, "2025-01-01", "2026-01-01", d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(["2025-01-01..2026-01-01 2025-01-01 []"], Shown(segments));
    }

    [Fact]
    public void A_range_that_is_empty_or_reversed_is_refused()
    {
        var measure = Measure("M", AllProducts(), Period("2024-01-01", null, PeriodStatus.InForce, 10m));
        foreach (var (start, end) in new[] { ("2025-01-01", "2025-01-01"), ("2025-01-02", "2025-01-01") })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => Build(measure, start, end, d => ""));
            Assert.Equal("end", error.ParamName);
            Assert.StartsWith("A timeline needs start < end.", error.Message, StringComparison.Ordinal);
        }
    }

    private static TariffPeriod P(PeriodStatus status, decimal? rate = 10m) => Period("2025-01-01", null, status, rate);

    public static TheoryData<PeriodStatus?, PeriodStatus?, TimelineChangeKind> Kinds() => new()
    {
        { null, PeriodStatus.InForce, TimelineChangeKind.Started },
        { PeriodStatus.Expired, PeriodStatus.InForce, TimelineChangeKind.Started },
        { null, PeriodStatus.Revoked, TimelineChangeKind.Ended },
        { PeriodStatus.Expired, null, TimelineChangeKind.Ended },
        { PeriodStatus.Revoked, PeriodStatus.Expired, TimelineChangeKind.Ended },
        { PeriodStatus.InForce, null, TimelineChangeKind.Ended },
        { PeriodStatus.InForce, PeriodStatus.Revoked, TimelineChangeKind.Ended },
        { PeriodStatus.InForce, PeriodStatus.Suspended, TimelineChangeKind.Suspended },
        { PeriodStatus.Announced, PeriodStatus.Suspended, TimelineChangeKind.Suspended },
        { PeriodStatus.Suspended, PeriodStatus.InForce, TimelineChangeKind.Resumed },
        { PeriodStatus.Suspended, PeriodStatus.Announced, TimelineChangeKind.StatusChanged },
        { PeriodStatus.Announced, PeriodStatus.InForce, TimelineChangeKind.StatusChanged },
        { PeriodStatus.InForce, PeriodStatus.InForce, TimelineChangeKind.PeriodReplaced },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_pair_of_periods_is_one_kind_of_change(PeriodStatus? before, PeriodStatus? after, TimelineChangeKind expected) =>
        Assert.Equal(expected, Timeline.KindOf(before is { } b ? P(b) : null, after is { } a ? P(a) : null, p => p.AdValoremPercent));

    [Fact]
    public void The_same_status_at_another_rate_is_a_rate_change() =>
        Assert.Equal(TimelineChangeKind.RateChanged, Timeline.KindOf(P(PeriodStatus.InForce, 10m), P(PeriodStatus.InForce, 20m), p => p.AdValoremPercent));
}
