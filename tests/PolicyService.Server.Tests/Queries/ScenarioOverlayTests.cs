using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

public class ScenarioOverlayTests
{
    private const string Battery = "8507600020";

    private static readonly TariffMeasure List4A = Measure("LIST-4A", Scope("8507600020"),
        Period("2020-02-14", null, PeriodStatus.InForce, 7.5m, record: "L2")) with { ExcludedBy = [new StackingExclusion("REVIEW", "the review rate replaces the list rate")] };

    private static readonly TariffMeasure Review = Measure("REVIEW", Scope("850760"),
        Period("2024-09-13", "2026-01-01", PeriodStatus.Announced, 25m, record: "V1"),
        Period("2026-01-01", null, PeriodStatus.InForce, 25m, record: "V2"));

    // 24 points suspended by a term of the truce until the truce's end, then struck down in February 2026.
    private static readonly TariffMeasure Reciprocal = Measure("RECIPROCAL", AllProducts(),
        Period("2025-04-10", "2025-05-14", PeriodStatus.InForce, 125m, record: "P1"),
        Period("2025-05-14", "2026-02-24", PeriodStatus.InForce, 10m, suspended: 24m, suspendedUntil: "2026-11-10", term: "TRU-S", record: "P2"),
        Period("2026-02-24", null, PeriodStatus.Revoked, null, record: "P3"));

    // A rate the truce reduced from 20 to 10.
    private static readonly TariffMeasure Fentanyl = Measure("FENTANYL", AllProducts(),
        Period("2025-03-04", "2025-11-10", PeriodStatus.InForce, 20m, record: "F1"),
        Period("2025-11-10", "2026-02-24", PeriodStatus.InForce, 10m, term: "TRU-R", record: "F2"));

    private static readonly TariffMeasure[] Enacted = [List4A, Review, Reciprocal, Fentanyl];

    private static readonly TruceLapse LapseOnDecember1 = new("TRUCE", new HashSet<string>(["TRU-S", "TRU-R"]), D("2025-12-01"));

    private static decimal Total(IEnumerable<TariffMeasure> measures, string date) =>
        DutyLookup.Resolve(measures, "US", "CN", Battery, D(date)).TotalAdValoremPercent;

    [Fact]
    public void A_lapsed_truce_restores_suspended_points_and_reduced_rates_from_the_lapse_date_only()
    {
        var (measures, applied) = ScenarioOverlay.Apply(Enacted, [LapseOnDecember1]);

        Assert.Equal(27.5m, Total(measures, "2025-11-30"));             // 7.5 + 10 + 10, as enacted
        Assert.Equal(61.5m, Total(measures, "2025-12-01"));             // 7.5 + 34 + 20
        Assert.Equal(79m, Total(measures, "2026-01-15"));               // 25 (review) + 34 + 20
        Assert.Equal(25m, Total(measures, "2026-03-01"));               // what ended for other reasons stays ended
        Assert.Equal(["RECIPROCAL", "FENTANYL"], Assert.Single(applied).ChangedRecordIds);
        var resumed = AsOf.PeriodAt(measures.Single(m => m.Id == "RECIPROCAL").Periods, D("2025-12-01"))!;
        Assert.Equal((34m, (decimal?)null, (string?)null), (resumed.AdValoremPercent!.Value, resumed.SuspendedPercent, resumed.TruceTermId));
        Assert.StartsWith("hypothetical", resumed.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void The_enacted_records_are_never_changed_by_a_scenario()
    {
        ScenarioOverlay.Apply(Enacted, [LapseOnDecember1, new AnnouncedTakesEffect("REVIEW", D("2025-06-01"))]);

        Assert.Equal(45m, Total(Enacted, "2026-01-15"));     // 25 (review) + 10 (reciprocal) + 10 (fentanyl), as enacted
        Assert.Equal(3, Reciprocal.Periods.Count);
        Assert.Equal(2, Fentanyl.Periods.Count);
    }

    [Fact]
    public void An_announced_measure_taking_effect_applies_at_its_announced_rate_until_it_is_enacted()
    {
        var (measures, applied) = ScenarioOverlay.Apply(Enacted, [new AnnouncedTakesEffect("REVIEW", D("2025-06-01"))]);

        var onJuly1 = DutyLookup.Resolve(measures, "US", "CN", Battery, D("2025-07-01"));
        Assert.Contains(onJuly1.Layers, l => l.Measure.Id == "REVIEW" && l.Period.AdValoremPercent == 25m);
        Assert.Equal("LIST-4A", Assert.Single(onJuly1.Excluded).Layer.Measure.Id);  // its stacking rule acts as enacted
        Assert.Equal(["REVIEW"], Assert.Single(applied).ChangedRecordIds);
        Assert.Equal(37.5m, Total(measures, "2025-05-31"));                         // the day before: as enacted (7.5 + 10 + 20)
        Assert.Equal("V2", AsOf.PeriodAt(measures.Single(m => m.Id == "REVIEW").Periods, D("2026-02-01"))!.RecordId);
    }

    [Fact]
    public void Assumptions_that_touch_none_of_the_candidates_change_nothing_and_say_so()
    {
        var (measures, applied) = ScenarioOverlay.Apply(Enacted, [new TruceLapse("OTHER", new HashSet<string>(["TRU-Z"]), D("2025-12-01")), new AnnouncedTakesEffect("LIST-4A", D("2025-06-01"))]);

        Assert.All(applied, a => Assert.Empty(a.ChangedRecordIds));
        Assert.Equal(Enacted.Select(m => m.Periods.Count), measures.Select(m => m.Periods.Count));
    }

    [Fact]
    public void A_lapsed_truce_resumes_the_export_bans_it_suspended()
    {
        var ban = Control("BAN", ExportControlType.Prohibited, Scope("280530"), [],
            new ControlPeriod("B1", D("2024-12-03"), D("2025-11-09"), PeriodStatus.InForce, "", null, null, "", Confidence.Confirmed),
            new ControlPeriod("B2", D("2025-11-09"), null, PeriodStatus.Suspended, "", D("2026-11-27"), "TRU-S", "", Confidence.Confirmed));
        var item = new ExportItem("2805300000", null);

        var (controls, applied) = ScenarioOverlay.Apply([ban], [LapseOnDecember1]);

        Assert.False(ExportCheck.Resolve(controls, "CN", "US", item, D("2025-11-30")).Prohibited);
        Assert.True(ExportCheck.Resolve(controls, "CN", "US", item, D("2025-12-01")).Prohibited);
        Assert.Equal(["BAN"], Assert.Single(applied).ChangedRecordIds);

        var timeline = ExportTimeline.Resolve(controls, "CN", "US", item, D("2025-10-01"), D("2026-01-01"));
        Assert.Equal([true, false, true], timeline.Segments.Select(s => s.Answer.Prohibited));
        Assert.Equal(TimelineChangeKind.Resumed, Assert.Single(timeline.Segments[2].Changes).Kind);
    }
}
