using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

/// <summary>The horizon rule: what rests on an event after the reviewed date is not certain, and the answer names the alternatives.</summary>
public class HorizonTests
{
    private const string Code = "8471300100";
    private static readonly DateOnly Reviewed = D("2026-10-08");

    // A truce in force by instrument to 2026-11-10, with an extension to 2027-01-10 reported on 2026-09-24 and never implemented.
    private static readonly Truce Truce = new("TRUCE", ["US", "CN"], "the truce", D("2025-05-12"), D("2025-05-14"), Confidence.Confirmed, "", ["S01"],
        [
            new TruceExtension("TRU-15", D("2025-11-10"), D("2026-11-10"), "", ""),
            new TruceExtension("TRU-21", D("2026-11-10"), D("2027-01-10"), "", "reported"),
        ],
        [
            new TruceTerm("TRU-15", ["US"], TruceTermType.SuspendMeasure, "", "", "", D("2025-11-01"), D("2025-11-10"), "", ["RETALIATION", "CONTROL"], [], ["S01"], Confidence.Confirmed),
            new TruceTerm("TRU-21", ["US", "CN"], TruceTermType.SuspendMeasure, "", "", "", D("2026-09-24"), null, "no instrument", [], [], ["S01"], Confidence.Reported),
        ],
        []);

    private static readonly Dictionary<string, Truce> TrucesByTerm = new(StringComparer.Ordinal) { ["TRU-15"] = Truce, ["TRU-21"] = Truce };

    // 10% applies, 24 points suspended by the truce until 2026-11-10 (the first day no longer covered), nothing after.
    private static readonly TariffMeasure Retaliation = Measure("RETALIATION", AllProducts(),
        Period("2025-04-10", "2025-11-10", PeriodStatus.InForce, 34m, record: "R1"),
        Period("2025-11-10", null, PeriodStatus.InForce, 10m, suspended: 24m, suspendedUntil: "2026-11-10", term: "TRU-15", record: "R2"));

    private static DutyAnswer Duty(IReadOnlyList<TariffMeasure> measures, string date) => DutyLookup.Resolve(measures, "US", "CN", Code, D(date));

    private static IReadOnlyList<UnreviewedEvent> Events(IReadOnlyList<TariffMeasure> measures, string date) =>
        Horizon.ForDuty(Duty(measures, date), measures, Reviewed, TrucesByTerm, m => Duty(m, date));

    [Theory]
    [InlineData("2026-10-08", null)]              // the horizon day: everything before it was reviewed
    [InlineData("2026-11-09", null)]              // the day before the suspension ends: the suspension is reviewed fact
    [InlineData("2026-11-10", "2026-11-10")]      // the event day
    [InlineData("2027-03-01", "2026-11-10")]
    public void A_suspension_end_after_the_horizon_is_unreviewed_from_its_day_on(string date, string? expected)
    {
        var ev = Horizon.FirstUnreviewed(Retaliation.Periods, p => p.SuspendedUntil, Reviewed, D(date));
        Assert.Equal(expected, ev?.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (ev is not null) Assert.Equal((UnreviewedEventKind.SuspensionEnds, "R2"), (ev.Kind, ev.Period.RecordId));
    }

    [Theory]
    [InlineData("2026-10-08", false)]   // an event on the horizon day was reviewed
    [InlineData("2026-10-09", true)]    // the day after it was not
    public void An_event_on_the_horizon_day_is_reviewed_the_day_after_is_not(string until, bool unreviewed)
    {
        TariffPeriod[] periods = [Period("2025-11-10", null, PeriodStatus.InForce, 10m, suspended: 24m, suspendedUntil: until, term: "TRU-15")];
        Assert.Equal(unreviewed, Horizon.FirstUnreviewed(periods, p => p.SuspendedUntil, Reviewed, D("2026-12-07")) is not null);
    }

    [Fact]
    public void A_suspension_end_after_its_period_closed_is_moot()
    {
        // Struck down in February 2026, long before the suspension was due to end.
        TariffPeriod[] periods = [Period("2025-11-10", "2026-02-24", PeriodStatus.InForce, 10m, suspended: 24m, suspendedUntil: "2026-11-10", term: "TRU-15"),
            Period("2026-02-24", null, PeriodStatus.Revoked, null)];
        Assert.Null(Horizon.FirstUnreviewed(periods, p => p.SuspendedUntil, Reviewed, D("2026-12-07")));
    }

    [Fact]
    public void After_the_suspension_was_due_to_end_the_duty_names_both_alternatives_with_their_totals()
    {
        var ev = Assert.Single(Events([Retaliation], "2026-12-07"));
        Assert.Equal((UnreviewedEventKind.SuspensionEnds, "RETALIATION", "R2", D("2026-11-10")), (ev.Kind, ev.RecordId, ev.PeriodRecordId, ev.EventDate));
        Assert.Contains("2026-10-08", ev.Description, StringComparison.Ordinal);

        var ended = ev.Alternatives[0];
        Assert.Equal((34m, false, Confidence.Unconfirmed), (ended.TotalAdValoremPercent!.Value, ended.AsAnswered, ended.Confidence));
        var lapse = Assert.IsType<TruceLapse>(Assert.Single(ended.Scenario));
        Assert.Equal(("TRUCE", D("2026-11-10")), (lapse.TruceId, lapse.OnDate));
        Assert.Contains("24 suspended points", ended.Description, StringComparison.Ordinal);

        var extended = ev.Alternatives[1];
        Assert.Equal((10m, true, Confidence.Reported, "TRU-21"), (extended.TotalAdValoremPercent!.Value, extended.AsAnswered, extended.Confidence, extended.ReportedBy));
        Assert.Empty(extended.Scenario);
        Assert.Contains("2027-01-10", extended.Description, StringComparison.Ordinal);
        Assert.Contains("does not name this measure", extended.Description, StringComparison.Ordinal);   // TRU-21 reports the truce, not each term
        Assert.Equal(2, ev.Alternatives.Count);
    }

    [Fact]
    public void The_answer_keeps_the_recorded_layer_but_no_longer_confirms_it()
    {
        var answer = Duty([Retaliation], "2026-12-07");
        var marked = Horizon.Mark(answer, Events([Retaliation], "2026-12-07"));
        Assert.Equal(10m, marked.TotalAdValoremPercent);
        Assert.Equal(Confidence.Unconfirmed, Assert.Single(marked.Layers).Period.Confidence);
        Assert.Equal(Confidence.Confirmed, Assert.Single(answer.Layers).Period.Confidence);   // the answer as resolved is not changed
        Assert.Contains("not known", Assert.Single(marked.TruceEffects).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void The_day_before_the_event_the_answer_is_as_confirmed_as_its_data()
    {
        Assert.Empty(Events([Retaliation], "2026-11-09"));
        var answer = Duty([Retaliation], "2026-11-09");
        Assert.Same(answer, Horizon.Mark(answer, []));
    }

    [Fact]
    public void Once_the_reported_extension_ran_out_too_the_suspension_going_on_is_nobody_s_report()
    {
        var ev = Assert.Single(Events([Retaliation], "2027-02-01"));
        Assert.Equal([34m, 34m, 10m], ev.Alternatives.Select(a => a.TotalAdValoremPercent!.Value));
        Assert.Equal([false, false, true], ev.Alternatives.Select(a => a.AsAnswered));
        Assert.Equal(D("2027-01-10"), Assert.IsType<TruceLapse>(Assert.Single(ev.Alternatives[1].Scenario)).OnDate);
        Assert.All(ev.Alternatives, a => Assert.Equal(Confidence.Unconfirmed, a.Confidence));
    }

    // Signed, scheduled to take effect 2026-12-04 (after the horizon): announced, not known to be in force.
    private static readonly TariffMeasure Scheduled = Measure("SCHEDULED", AllProducts(),
        Period("2026-08-06", "2026-12-04", PeriodStatus.Announced, 15m, record: "S1"),
        Period("2026-12-04", null, PeriodStatus.Announced, 15m, record: "S2"));

    [Fact]
    public void A_scheduled_start_after_the_horizon_names_the_scenario_in_which_it_took_effect()
    {
        Assert.Empty(Events([Retaliation with { Periods = [Retaliation.Periods[0] with { EndDate = null }] }, Scheduled], "2026-12-03"));

        var measures = new[] { Retaliation with { Periods = [Retaliation.Periods[0] with { EndDate = null }] }, Scheduled };
        var ev = Assert.Single(Events(measures, "2026-12-07"));
        Assert.Equal((UnreviewedEventKind.PeriodStarts, "SCHEDULED", D("2026-12-04")), (ev.Kind, ev.RecordId, ev.EventDate));
        var tookEffect = ev.Alternatives[0];
        Assert.Equal((49m, false), (tookEffect.TotalAdValoremPercent!.Value, tookEffect.AsAnswered));   // 34 + 15
        var effect = Assert.IsType<AnnouncedTakesEffect>(Assert.Single(tookEffect.Scenario));
        Assert.Equal(("SCHEDULED", D("2026-12-04")), (effect.RecordId, effect.OnDate));
        Assert.Equal((34m, true), (ev.Alternatives[1].TotalAdValoremPercent!.Value, ev.Alternatives[1].AsAnswered));
        Assert.Equal(Confidence.Unconfirmed, Assert.Single(Horizon.Mark(Duty(measures, "2026-12-07"), [ev]).Announced).Period.Confidence);
    }

    [Fact]
    public void A_rate_step_after_the_horizon_names_the_answer_without_it()
    {
        var step = Measure("STEP", AllProducts(),
            Period("2025-01-01", "2027-01-01", PeriodStatus.InForce, 25m, record: "T1"),
            Period("2027-01-01", null, PeriodStatus.InForce, 50m, record: "T2"));
        var ev = Assert.Single(Events([step], "2027-02-01"));
        Assert.Equal((UnreviewedEventKind.PeriodStarts, "T2"), (ev.Kind, ev.PeriodRecordId));
        Assert.Equal([(50m, true), (25m, false)], ev.Alternatives.Select(a => (a.TotalAdValoremPercent!.Value, a.AsAnswered)));
        Assert.All(ev.Alternatives, a => Assert.Empty(a.Scenario));   // no assumption says "a step did not happen"
    }

    [Fact]
    public void A_period_due_to_end_after_the_horizon_names_the_answer_had_it_gone_on()
    {
        var ending = Measure("ENDING", AllProducts(), Period("2025-11-30", "2026-11-10", PeriodStatus.InForce, 5m, term: "TRU-15", record: "E1"));
        var ev = Assert.Single(Events([ending], "2026-12-07"));
        Assert.Equal((UnreviewedEventKind.PeriodEnds, D("2026-11-10")), (ev.Kind, ev.EventDate));
        Assert.Equal([(0m, true), (5m, false)], ev.Alternatives.Select(a => (a.TotalAdValoremPercent!.Value, a.AsAnswered)));
        Assert.Equal(("TRU-21", Confidence.Reported), (ev.Alternatives[1].ReportedBy, ev.Alternatives[1].Confidence));
    }

    private static readonly ExportControl Control = Build.Control("CONTROL", ExportControlType.LicenseRequired, AllProducts(), [new ControlledItem("holmium", "", [])],
        ControlPeriod("2025-10-09", "2025-11-07", PeriodStatus.Announced),
        ControlPeriod("2025-11-07", null, PeriodStatus.Suspended, "2026-11-11", "TRU-15"));

    private static ExportAnswer Export(IReadOnlyList<ExportControl> controls, string date) =>
        ExportCheck.Resolve(controls, "CN", "US", new ExportItem(null, "holmium"), D(date));

    [Fact]
    public void An_export_check_after_a_suspension_was_due_to_end_is_not_suspended_as_fact()
    {
        Assert.Empty(Horizon.ForExport(Export([Control], "2026-11-10"), [Control], Reviewed, TrucesByTerm, c => Export(c, "2026-11-10")));

        var answer = Export([Control], "2026-12-07");
        var ev = Assert.Single(Horizon.ForExport(answer, [Control], Reviewed, TrucesByTerm, c => Export(c, "2026-12-07")));
        Assert.Equal((UnreviewedEventKind.SuspensionEnds, D("2026-11-11")), (ev.Kind, ev.EventDate));
        Assert.Equal([(true, false, false), (false, false, true)], ev.Alternatives.Select(a => (a.LicenseRequired!.Value, a.Prohibited!.Value, a.AsAnswered)));
        Assert.Null(ev.Alternatives[0].TotalAdValoremPercent);
        Assert.Equal(Confidence.Unconfirmed, Assert.Single(Horizon.Mark(answer, [ev]).Suspended).Period.Confidence);
    }

    [Theory]
    [InlineData("2026-11-09", 0)]   // the window in force still covers the date
    [InlineData("2026-11-10", 1)]   // the day it expired, after the horizon
    public void A_truce_window_that_expired_after_the_horizon_names_the_lapse_and_the_reported_extension(string date, int count)
    {
        var events = Horizon.ForTruces([Truce], "CN", "US", Reviewed, D(date));
        Assert.Equal(count, events.Count);
        if (count == 0) return;
        var ev = events[0];
        Assert.Equal((UnreviewedEventKind.TruceExpires, "TRUCE", "TRU-15", D("2026-11-10")), (ev.Kind, ev.RecordId, ev.PeriodRecordId, ev.EventDate));
        var lapsed = Assert.IsType<TruceLapse>(Assert.Single(ev.Alternatives[0].Scenario));
        Assert.Equal(D("2026-11-10"), lapsed.OnDate);
        Assert.True(ev.Alternatives[0].AsAnswered);
        Assert.Equal(("TRU-21", Confidence.Reported, false), (ev.Alternatives[1].ReportedBy, ev.Alternatives[1].Confidence, ev.Alternatives[1].AsAnswered));
    }

    [Fact]
    public void A_truce_that_expired_before_the_horizon_is_reviewed_history()
    {
        var reviewedLater = D("2026-12-31");
        Assert.Empty(Horizon.ForTruces([Truce], "US", "CN", reviewedLater, D("2027-02-01")));
    }

    [Fact]
    public void Calendar_entries_after_the_horizon_are_marked_unconfirmed()
    {
        ScheduledChange At(string date) => new(D(date), ScheduledChangeKind.SuspensionEnds, ResourceTypes.TariffMeasure, "RETALIATION", "t", "R2",
            null, null, null, 34m, "TRU-15", Confidence.Confirmed, "the suspension ends.");
        var onHorizon = At("2026-10-08");
        Assert.Same(onHorizon, Horizon.Unreviewed(onHorizon, Reviewed));
        var after = Horizon.Unreviewed(At("2026-11-10"), Reviewed);
        Assert.Equal(Confidence.Unconfirmed, after.Confidence);
        Assert.Contains("not known to have happened", after.Description, StringComparison.Ordinal);
    }
    [Fact]
    public void A_timeline_segment_is_split_where_an_unreviewed_event_begins()
    {
        var timeline = DutyTimeline.Resolve([Retaliation], "US", "CN", Code, D("2026-10-01"), D("2027-01-01"));
        Assert.Single(timeline.Segments);   // the recorded answer does not change on 2026-11-10

        var (segments, events) = HorizonTimeline.Apply(timeline.Segments, [D("2026-11-10"), D("2025-11-10")], Reviewed,
            (answer, date) => answer with { AsOf = date }, answer => Horizon.ForDuty(answer, [Retaliation], Reviewed, TrucesByTerm, m => Duty(m, "2026-11-10")),
            Horizon.Mark);
        Assert.Equal([(D("2026-10-01"), D("2026-11-10")), (D("2026-11-10"), D("2027-01-01"))], segments.Select(s => (s.Start, s.End)));
        Assert.Empty(events[0]);
        Assert.Equal("RETALIATION", Assert.Single(events[1]).RecordId);
        Assert.Empty(segments[1].Changes);
        Assert.Equal([Confidence.Confirmed, Confidence.Unconfirmed], segments.Select(s => Assert.Single(s.Answer.Layers).Period.Confidence));
    }
}
