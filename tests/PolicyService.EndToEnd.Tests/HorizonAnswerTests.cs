using Google.Protobuf.WellKnownTypes;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// After the reviewed horizon (2026-10-08) nothing unreviewed reads as certain, and the horizon audit's data fixes
/// (Seed/us-china-2026-horizon-audit.changes.json), asked of the real server; known_at before the document gives the
/// answers given before it.
/// </summary>
public abstract class HorizonAnswerTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    private const string Computers = "847130";   // no Chinese duty on it but the retaliatory TAR-CN-03

    private async Task<LookupDutyResponse> Duty(string importer, string origin, string hs, string? date, Timestamp? knownAt = null) =>
        await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = importer, Origin = origin, HsCode = hs, AsOf = date is null ? null : Date(date), KnownAt = knownAt },
            deadline: Deadline);

    /// <summary>Just before the horizon audit wrote its version of TAR-US-39: known_at there gives the answers before the document.</summary>
    private async Task<Timestamp> BeforeHorizonAudit()
    {
        var m = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-39" }, deadline: Deadline)).TariffMeasure;
        Assert.Contains("Horizon audit", m.Recorded.Reason, StringComparison.Ordinal);
        return Timestamp.FromDateTime(m.Recorded.RecordedTime.ToDateTime().AddMilliseconds(-1));
    }

    [Fact]
    public async Task China_s_duty_on_US_goods_after_its_suspension_was_due_to_end_is_not_confirmed_and_names_both_alternatives()
    {
        var r = await Duty("CN", "US", Computers, "2026-12-07");
        Assert.Equal("10", r.TotalAdValoremPercent);   // the data as recorded
        var layer = Assert.Single(r.Layers, l => l.MeasureId == "TAR-CN-03");
        Assert.Equal(Confidence.Unconfirmed, layer.Confidence);

        var ev = Assert.Single(r.UnreviewedEvents, e => e.RecordId == "TAR-CN-03");
        Assert.Equal((UnreviewedEventKind.SuspensionEnds, "TAR-CN-08", Date("2026-11-10")), (ev.Kind, ev.PeriodRecordId, ev.EventDate));
        var ended = Assert.Single(ev.Alternatives, a => !a.AsAnswered && a.Scenario is not null);
        Assert.Equal("34", ended.TotalAdValoremPercent);
        var lapse = Assert.Single(ended.Scenario.Assumptions).TruceLapses;
        Assert.Equal(("TRUCE-US-CN-2025", Date("2026-11-10")), (lapse.TruceId, lapse.OnDate));
        var extended = Assert.Single(ev.Alternatives, a => a.AsAnswered);
        Assert.Equal(("10", Confidence.Reported, "TRU-21"), (extended.TotalAdValoremPercent, extended.Confidence, extended.ReportedByRecordId));
        Assert.Contains("2027-01-10", extended.Description, StringComparison.Ordinal);

        // The scenario the alternative names gives that total when a caller sends it.
        var asked = await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "CN", Origin = "US", HsCode = Computers, AsOf = Date("2026-12-07"), Scenario = ended.Scenario },
            deadline: Deadline);
        Assert.Equal("34", asked.TotalAdValoremPercent);
        Assert.DoesNotContain(asked.UnreviewedEvents, e => e.RecordId == "TAR-CN-03");   // the scenario decides what the assumption rewrote
    }

    [Fact]
    public async Task The_basic_view_keeps_the_alternatives_outcomes_without_their_sentences()
    {
        var r = await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "CN", Origin = "US", HsCode = Computers, AsOf = Date("2026-12-07"), View = DutyView.Basic },
            deadline: Deadline);
        var ev = Assert.Single(r.UnreviewedEvents, e => e.RecordId == "TAR-CN-03");
        Assert.Equal(["34", "10"], ev.Alternatives.Select(a => a.TotalAdValoremPercent));
        Assert.All(ev.Alternatives, a => Assert.Empty(a.Description));
        Assert.Empty(ev.Description);
    }

    [Fact]
    public async Task The_day_before_the_suspension_was_due_to_end_the_answer_stands_as_recorded()
    {
        var r = await Duty("CN", "US", Computers, "2026-11-09");
        Assert.Empty(r.UnreviewedEvents);
        Assert.Equal(Confidence.Confirmed, Assert.Single(r.Layers, l => l.MeasureId == "TAR-CN-03").Confidence);
    }

    [Fact]
    public async Task A_lookup_on_today_s_date_applies_the_rule()
    {
        var r = await Duty("CN", "US", Computers, null);
        var today = new DateOnly(r.AsOf.Year, r.AsOf.Month, r.AsOf.Day);
        // Today is after the suspension's end on this machine; were it not, no event could precede the date.
        Assert.Equal(today >= new DateOnly(2026, 11, 10), r.UnreviewedEvents.Any(e => e.RecordId == "TAR-CN-03"));
    }

    [Fact]
    public async Task An_export_check_after_the_October_2025_package_was_due_to_resume_is_not_suspended_as_fact()
    {
        var r = await fixture.ExportControls.CheckExportAsync(new CheckExportRequest
        {
            Exporter = "CN", Destination = "US", Item = "synthetic diamond micropowder", AsOf = Date("2026-12-07"),
        }, deadline: Deadline);
        var control = Assert.Single(r.ControlsSuspended, c => c.ControlId == "EXC-CN-07");
        Assert.Equal(Confidence.Unconfirmed, control.Confidence);
        var ev = Assert.Single(r.UnreviewedEvents, e => e.RecordId == "EXC-CN-07");
        Assert.Equal(Date("2026-11-11"), ev.EventDate);
        var resumed = Assert.Single(ev.Alternatives, a => !a.AsAnswered && a.Scenario is not null);
        Assert.True(resumed.HasLicenseRequired && resumed.LicenseRequired);
        Assert.Contains(ev.Alternatives, a => a.AsAnswered && a.ReportedByRecordId == "TRU-21" && !a.LicenseRequired);
    }

    [Fact]
    public async Task Polysilicon_on_7_December_2026_is_scheduled_not_in_force_as_certain()
    {
        var r = await Duty("US", "CN", "2804.61.00", "2026-12-07");
        Assert.DoesNotContain(r.Layers, l => l.MeasureId == "TAR-US-39");
        var announced = Assert.Single(r.AnnouncedMeasures, l => l.MeasureId == "TAR-US-39");
        Assert.Equal(Confidence.Unconfirmed, announced.Confidence);
        var ev = Assert.Single(r.UnreviewedEvents, e => e.RecordId == "TAR-US-39");
        Assert.Equal((UnreviewedEventKind.PeriodStarts, Date("2026-12-04")), (ev.Kind, ev.EventDate));
        var tookEffect = Assert.Single(ev.Alternatives, a => a.Scenario is not null);
        Assert.Equal(("TAR-US-39", Date("2026-12-04")), (tookEffect.Scenario.Assumptions[0].AnnouncedTakesEffect.MeasureId, tookEffect.Scenario.Assumptions[0].AnnouncedTakesEffect.OnDate));
        var asAnswered = Assert.Single(ev.Alternatives, a => a.AsAnswered);
        Assert.Equal(r.TotalAdValoremPercent, asAnswered.TotalAdValoremPercent);
        Assert.NotEqual(r.TotalAdValoremPercent, tookEffect.TotalAdValoremPercent);

        var before = await Duty("US", "CN", "2804.61.00", "2026-12-07", await BeforeHorizonAudit());
        Assert.Equal("15", Assert.Single(before.Layers, l => l.MeasureId == "TAR-US-39").AdValoremPercent);   // in force, as the data said before
    }

    [Fact]
    public async Task Generic_drugs_from_China_keep_the_forced_labour_duty()
    {
        var r = await Duty("US", "CN", "3004.90", "2026-08-01");
        Assert.Equal("12.5", Assert.Single(r.Layers, l => l.MeasureId == "TAR-US-32").AdValoremPercent);
        Assert.Contains(r.NonAdValoremMeasures, l => l.MeasureId == "TAR-US-38");
        Assert.DoesNotContain(r.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-32");

        var before = await Duty("US", "CN", "3004.90", "2026-08-01", await BeforeHorizonAudit());
        Assert.Contains(before.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-32" && x.ExcludedByMeasureId == "TAR-US-38");
    }

    [Fact]
    public async Task After_the_truce_window_expired_the_status_names_the_lapse_and_the_reported_extension()
    {
        var r = await fixture.Truces.GetTruceStatusAsync(new GetTruceStatusRequest { PartyA = "US", PartyB = "CN", AsOf = Date("2026-12-07") }, deadline: Deadline);
        Assert.Empty(r.Truces);
        var ev = Assert.Single(r.UnreviewedEvents);
        Assert.Equal((UnreviewedEventKind.TruceExpires, "TRUCE-US-CN-2025", Date("2026-11-10")), (ev.Kind, ev.RecordId, ev.EventDate));
        Assert.Contains(ev.Alternatives, a => a.AsAnswered && a.Scenario.Assumptions[0].TruceLapses.OnDate.Equals(Date("2026-11-10")));
        Assert.Contains(ev.Alternatives, a => a.ReportedByRecordId == "TRU-21" && a.Confidence == Confidence.Reported);
    }

    [Fact]
    public async Task The_duty_timeline_splits_where_the_suspension_was_due_to_end()
    {
        var timeline = await fixture.Tariffs.GetDutyTimelineAsync(new GetDutyTimelineRequest
        {
            Importer = "CN", Origin = "US", HsCode = Computers, StartDate = Date("2026-10-01"), EndDate = Date("2027-01-01"),
        }, deadline: Deadline);
        var at = timeline.Segments.Single(s => s.StartDate.Equals(Date("2026-11-10")));
        Assert.Contains(at.UnreviewedEvents, e => e.RecordId == "TAR-CN-03");
        Assert.Empty(timeline.Segments[0].UnreviewedEvents);
        Assert.All(timeline.Segments, s => Assert.Equal("10", s.TotalAdValoremPercent));
    }

    [Fact]
    public async Task Calendar_changes_after_the_horizon_are_marked_unreviewed()
    {
        var changes = (await new CalendarService.CalendarServiceClient(fixture.Server.Channel).ListScheduledChangesAsync(new ListScheduledChangesRequest
        {
            Jurisdiction = "US", Counterpart = "CN", StartDate = Date("2026-09-01"), EndDate = Date("2027-02-01"), PageSize = 1000,
        }, deadline: Deadline)).ScheduledChanges;
        var after = changes.Where(c => c.Date.Year > 2026 || c.Date.Month > 10 || (c.Date.Month == 10 && c.Date.Day > 8)).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, c => Assert.True(c.Unreviewed && c.Confidence == Confidence.Unconfirmed, c.RecordId));
        Assert.All(changes.Except(after), c => Assert.False(c.Unreviewed));
    }
}

public sealed class SqliteHorizonAnswerTests(ServerFixture fixture) : HorizonAnswerTests<ServerFixture>(fixture);

public sealed class SqlServerHorizonAnswerTests(SqlServerFixture fixture) : HorizonAnswerTests<SqlServerFixture>(fixture);
