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

    // The rewritten histories, period by period: record, dates, status, rate, suspended points and date, term, note.
    private static string[] Shown(IEnumerable<TariffPeriod> periods) => periods.Select(p => FormattableString.Invariant(
        $"{p.RecordId} {p.StartDate:yyyy-MM-dd}..{p.EndDate:yyyy-MM-dd} {p.Status} {p.AdValoremPercent} s={p.SuspendedPercent} u={p.SuspendedUntil:yyyy-MM-dd} t={p.TruceTermId} n={p.Note}")).ToArray();

    private static string[] Shown(IEnumerable<ControlPeriod> periods) => periods.Select(p => FormattableString.Invariant(
        $"{p.RecordId} {p.StartDate:yyyy-MM-dd}..{p.EndDate:yyyy-MM-dd} {p.Status} u={p.SuspendedUntil:yyyy-MM-dd} t={p.TruceTermId} n={p.Note}")).ToArray();

    private static ControlPeriod CPeriod(string record, string start, string? end, PeriodStatus status, string? suspendedUntil = null, string? term = null) =>
        ControlPeriod(start, end, status, suspendedUntil, term) with { RecordId = record };

    [Fact]
    public void A_lapse_keeps_what_ended_by_then_and_resumes_each_later_period_of_the_truce_from_its_own_start()
    {
        var measure = Measure("M", AllProducts(),
            Period("2025-01-01", "2025-03-01", PeriodStatus.InForce, 20m, record: "R1"),
            Period("2025-03-01", "2025-06-01", PeriodStatus.InForce, 10m, term: "TRU-R", record: "R2"),
            // An explicit 0 points suspended is a reduced rate, not a suspension.
            Period("2025-06-01", "2025-09-01", PeriodStatus.InForce, 12m, suspended: 0m, term: "TRU-R", record: "R3"),
            Period("2025-09-01", "2026-01-01", PeriodStatus.Suspended, 15m, suspendedUntil: "2026-01-01", term: "TRU-S", record: "R4"),
            Period("2026-01-01", null, PeriodStatus.InForce, 30m, record: "R5"));
        var lapse = new TruceLapse("TRUCE", new HashSet<string>(["TRU-R", "TRU-S"]), D("2025-06-01"));

        var (measures, applied) = ScenarioOverlay.Apply([measure], [lapse]);

        Assert.Equal(
        [
            "R1 2025-01-01..2025-03-01 InForce 20 s= u= t= n=",
            "R2 2025-03-01..2025-06-01 InForce 10 s= u= t=TRU-R n=",                                      // ended on the lapse date
            "R3 2025-06-01..2025-09-01 InForce 20 s= u= t= n=hypothetical: TRUCE lapses on 2025-06-01",   // the rate before any term
            "R4 2025-09-01..2026-01-01 InForce 15 s= u= t= n=hypothetical: TRUCE lapses on 2025-06-01",   // what it suspended
            "R5 2026-01-01.. InForce 30 s= u= t= n=",
        ], Shown(Assert.Single(measures).Periods));
        Assert.Equal(["M"], Assert.Single(applied).ChangedRecordIds);
    }

    [Fact]
    public void A_reduced_rate_with_no_earlier_rate_in_its_history_keeps_its_rate_when_the_truce_lapses()
    {
        var measure = Measure("SOLO", AllProducts(), Period("2025-03-01", null, PeriodStatus.InForce, 10m, term: "TRU-R", record: "S1"));

        var (measures, _) = ScenarioOverlay.Apply([measure], [LapseOnDecember1]);

        Assert.Equal(
        [
            "S1 2025-03-01..2025-12-01 InForce 10 s= u= t=TRU-R n=",
            "S1 2025-12-01.. InForce 10 s= u= t= n=hypothetical: TRUCE lapses on 2025-12-01",
        ], Shown(Assert.Single(measures).Periods));
    }

    [Fact]
    public void A_lapse_cuts_a_suspended_export_ban_at_the_lapse_date_and_leaves_other_controls_alone()
    {
        var ban = Control("BAN", ExportControlType.Prohibited, Scope("280530"), [],
            CPeriod("B1", "2024-12-03", "2025-11-09", PeriodStatus.InForce),
            CPeriod("B2", "2025-11-09", null, PeriodStatus.Suspended, "2026-11-27", "TRU-S"));
        var other = Control("OTHER", ExportControlType.LicenseRequired, Scope("8112"), [], CPeriod("O1", "2023-08-01", null, PeriodStatus.InForce));

        var (controls, applied) = ScenarioOverlay.Apply([ban, other], [LapseOnDecember1]);

        Assert.Equal(
        [
            "B1 2024-12-03..2025-11-09 InForce u= t= n=",
            "B2 2025-11-09..2025-12-01 Suspended u=2026-11-27 t=TRU-S n=",
            "B2 2025-12-01.. InForce u= t= n=hypothetical: TRUCE lapses on 2025-12-01",
        ], Shown(controls[0].Periods));
        Assert.Same(other, controls[1]);
        Assert.Equal(["BAN"], Assert.Single(applied).ChangedRecordIds);
    }

    [Fact]
    public void An_announced_control_taking_effect_is_in_force_until_it_is_enacted()
    {
        var licensing = Control("LICENSING", ExportControlType.LicenseRequired, Scope("8541"), [],
            CPeriod("A1", "2025-09-01", "2026-01-01", PeriodStatus.Announced),
            CPeriod("E1", "2026-01-01", null, PeriodStatus.InForce));
        var other = Control("OTHER", ExportControlType.LicenseRequired, Scope("8112"), [], CPeriod("O1", "2025-09-01", null, PeriodStatus.Announced));

        var (controls, applied) = ScenarioOverlay.Apply([licensing, other], [new AnnouncedTakesEffect("LICENSING", D("2025-10-01"))]);

        Assert.Equal(
        [
            "A1 2025-09-01..2025-10-01 Announced u= t= n=",
            "A1 2025-10-01..2026-01-01 InForce u= t= n=hypothetical: LICENSING takes effect on 2025-10-01",
            "E1 2026-01-01.. InForce u= t= n=",
        ], Shown(controls[0].Periods));
        Assert.Same(other, controls[1]);
        Assert.Equal(["LICENSING"], Assert.Single(applied).ChangedRecordIds);
    }

    // The announcement used is the one covering the date, else the latest before it, else the first after it; it applies
    // until the earliest enacted in-force period after the date, and the enacted history from then on is kept as it is.
    [Fact]
    public void Before_any_announcement_the_first_one_takes_effect_until_the_earliest_enacted_start()
    {
        var measure = Measure("PLANNED", AllProducts(),
            Period("2024-01-01", "2025-01-01", PeriodStatus.InForce, 5m, record: "X1"),
            Period("2025-09-01", "2025-12-01", PeriodStatus.Announced, 25m, record: "A1"),
            Period("2026-03-01", "2026-06-01", PeriodStatus.InForce, 25m, record: "E1"),
            Period("2026-06-01", null, PeriodStatus.InForce, 30m, record: "E2"));

        var (measures, _) = ScenarioOverlay.Apply([measure], [new AnnouncedTakesEffect("PLANNED", D("2025-06-01"))]);

        Assert.Equal(
        [
            "X1 2024-01-01..2025-01-01 InForce 5 s= u= t= n=",
            "A1 2025-06-01..2026-03-01 InForce 25 s= u= t= n=hypothetical: PLANNED takes effect on 2025-06-01",
            "E1 2026-03-01..2026-06-01 InForce 25 s= u= t= n=",
            "E2 2026-06-01.. InForce 30 s= u= t= n=",
        ], Shown(Assert.Single(measures).Periods));
    }

    [Fact]
    public void After_the_announcements_the_latest_one_takes_effect_and_the_period_covering_the_date_is_cut_there()
    {
        var measure = Measure("RENEWED", AllProducts(),
            Period("2025-01-01", "2025-03-01", PeriodStatus.Announced, 10m, record: "A1"),
            Period("2025-03-01", "2025-05-01", PeriodStatus.Announced, 15m, record: "A2"),
            Period("2025-05-01", null, PeriodStatus.Revoked, null, record: "W1"));

        var (measures, _) = ScenarioOverlay.Apply([measure], [new AnnouncedTakesEffect("RENEWED", D("2025-06-01"))]);

        Assert.Equal(
        [
            "A1 2025-01-01..2025-03-01 Announced 10 s= u= t= n=",
            "A2 2025-03-01..2025-05-01 Announced 15 s= u= t= n=",
            "W1 2025-05-01..2025-06-01 Revoked  s= u= t= n=",
            "A2 2025-06-01.. InForce 15 s= u= t= n=hypothetical: RENEWED takes effect on 2025-06-01",
        ], Shown(Assert.Single(measures).Periods));
    }

    [Fact]
    public void An_announcement_taking_effect_on_its_own_start_date_replaces_it_whole()
    {
        var (measures, _) = ScenarioOverlay.Apply([Review], [new AnnouncedTakesEffect("REVIEW", D("2024-09-13"))]);

        Assert.Equal(
        [
            "V1 2024-09-13..2026-01-01 InForce 25 s= u= t= n=hypothetical: REVIEW takes effect on 2024-09-13",
            "V2 2026-01-01.. InForce 25 s= u= t= n=",
        ], Shown(Assert.Single(measures).Periods));
    }

    [Fact]
    public void A_measure_that_never_announced_anything_is_left_as_it_is()
    {
        var ended = Measure("ENDED", AllProducts(), Period("2020-01-01", "2021-01-01", PeriodStatus.InForce, 5m, record: "X1"));

        var (measures, applied) = ScenarioOverlay.Apply([ended], [new AnnouncedTakesEffect("ENDED", D("2025-06-01"))]);

        Assert.Same(ended, Assert.Single(measures));
        Assert.Empty(Assert.Single(applied).ChangedRecordIds);
    }
}
