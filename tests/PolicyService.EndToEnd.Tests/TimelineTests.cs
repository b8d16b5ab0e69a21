using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>Duty and export timelines of the seeded data, asked of the real server over HTTP/2.</summary>
/// <summary>Run on every storage provider: see the concrete classes at the end of the file.</summary>
public abstract class TimelineTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    private static GetDutyTimelineRequest Batteries(string from, string to) =>
        new() { Importer = "US", Origin = "CN", HsCode = "8507.60.00.20", StartDate = Date(from), EndDate = Date(to) };

    private static string Iso(Google.Type.Date d) => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";

    [Fact]
    public async Task The_battery_duty_from_2025_to_october_2026_steps_through_its_cliffs_and_each_total_is_the_lookup_of_its_dates()
    {
        var timeline = await fixture.Tariffs.GetDutyTimelineAsync(Batteries("2025-01-01", "2026-10-01"), deadline: Deadline);

        Assert.Equal("8507600020", timeline.HsCode);
        Assert.Equal("2025-01-01", Iso(timeline.Segments[0].StartDate));
        Assert.Equal("2026-10-01", Iso(timeline.Segments[^1].EndDate));
        Assert.All(timeline.Segments.Zip(timeline.Segments.Skip(1)), p => Assert.Equal(p.First.EndDate, p.Second.StartDate));

        // The totals as they step: the fentanyl duty's rises, the reciprocal duty (10, 84, 125, Geneva's 10), the November truce,
        // the review rate, the end of IEEPA and Section 122 in its place, the forced-labour duty as Section 122 ends. No U.S.
        // note exempts Li-ion batteries from the reciprocal duty or Section 122 (Seed/README.md), so both layers are here.
        var steps = timeline.Segments.Select(s => s.TotalAdValoremPercent).Aggregate(new List<string>(), (list, t) => { if (list.Count == 0 || list[^1] != t) list.Add(t); return list; });
        Assert.Equal(["7.5", "17.5", "27.5", "37.5", "111.5", "152.5", "37.5", "27.5", "45", "35", "37.5"], steps);
        Assert.Contains(timeline.Segments.SelectMany(s => s.Layers), l => l.MeasureId == "TAR-US-17");
        Assert.Contains(timeline.Segments.SelectMany(s => s.Layers), l => l.MeasureId == "TAR-US-24");

        // Geneva's cut of the reciprocal rate, on a product that pays it (wooden furniture, List 3).
        var furnitureRequest = Batteries("2025-01-01", "2026-10-01");
        furnitureRequest.HsCode = "9403.60.80.81";
        var furniture = await fixture.Tariffs.GetDutyTimelineAsync(furnitureRequest, deadline: Deadline);
        var geneva = Assert.Single(furniture.Segments, s => Iso(s.StartDate) == "2025-05-14");
        var reciprocal = Assert.Single(geneva.Changes, c => c.MeasureId == "TAR-US-17");
        Assert.Equal((TimelineChangeKind.RateChanged, "125", "10", "TRU-01"), (reciprocal.Kind, reciprocal.AdValoremPercentBefore, reciprocal.AdValoremPercentAfter, reciprocal.TruceTermId));

        foreach (var segment in timeline.Segments.Where(s => Iso(s.StartDate) is "2025-03-04" or "2025-11-10" or "2026-07-24"))
        {
            var lookup = await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "8507600020", AsOf = segment.StartDate }, deadline: Deadline);
            Assert.Equal(lookup.TotalAdValoremPercent, segment.TotalAdValoremPercent);
            Assert.Equal(lookup.Layers.Select(l => l.MeasureId), segment.Layers.Select(l => l.MeasureId));
        }
        Assert.Equal("850760", timeline.Product.HsCode);
        Assert.False(timeline.Coverage.BeyondReviewedHorizon);

        // Answered from the snapshot like the lookups, with the change token it reflects; asking for at least that token answers the same.
        Assert.NotEmpty(timeline.ChangeToken);
        var request = Batteries("2025-01-01", "2026-10-01");
        request.MinChangeToken = timeline.ChangeToken;
        var again = await fixture.Tariffs.GetDutyTimelineAsync(request, deadline: Deadline);
        Assert.Equal(timeline.Segments.Select(s => s.TotalAdValoremPercent), again.Segments.Select(s => s.TotalAdValoremPercent));
    }

    [Fact]
    public async Task A_range_past_the_reviewed_horizon_says_so()
    {
        var timeline = await fixture.Tariffs.GetDutyTimelineAsync(Batteries("2026-06-01", "2027-01-01"), deadline: Deadline);

        Assert.True(timeline.Coverage.BeyondReviewedHorizon);
        Assert.Contains("2026-10-08", timeline.Coverage.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gallium_ban_on_the_US_is_suspended_from_9_november_2025_by_a_truce_term()
    {
        var timeline = await fixture.ExportControls.GetExportTimelineAsync(new GetExportTimelineRequest
        {
            Exporter = "CN", Destination = "US", Item = "gallium", StartDate = Date("2025-01-01"), EndDate = Date("2026-01-01"),
        }, deadline: Deadline);

        Assert.Equal([(true, true), (true, false)], timeline.Segments.Select(s => (s.LicenseRequired, s.Prohibited)));
        var suspended = timeline.Segments[1];
        Assert.Equal("2025-11-09", Iso(suspended.StartDate));
        var change = Assert.Single(suspended.Changes, c => c.Kind == TimelineChangeKind.Suspended);
        Assert.Equal(("EXC-CN-04.2", "TRU-09"), (change.ControlId, change.TruceTermId));
        // The military end-use ban goes on, from here as an inference (audit): a new period, not a new outcome.
        Assert.Contains(suspended.Changes, c => c.ControlId == "EXC-CN-04.1" && c.Kind == TimelineChangeKind.PeriodReplaced);
        Assert.Contains(suspended.ControlsSuspended, c => c.ControlId == "EXC-CN-04.2");
    }

    [Fact]
    public async Task A_backwards_range_and_a_bad_code_are_each_named_in_the_error()
    {
        var request = Batteries("2026-01-01", "2025-01-01");
        request.HsCode = "85";

        var e = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Tariffs.GetDutyTimelineAsync(request, deadline: Deadline));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["hs_code", "end_date"], e.ViolatedFields());

        var tooLong = await Assert.ThrowsAsync<RpcException>(async () => await fixture.ExportControls.GetExportTimelineAsync(new GetExportTimelineRequest
        {
            Exporter = "CN", Destination = "US", Item = "gallium", StartDate = Date("2025-01-01"), EndDate = Date("2045-01-02"),
        }, deadline: Deadline));
        Assert.Equal(["end_date"], tooLong.ViolatedFields());
    }

    [Fact]
    public async Task The_basic_view_sends_the_same_segments_and_totals_in_a_fraction_of_the_bytes()
    {
        var full = await fixture.Tariffs.GetDutyTimelineAsync(Batteries("2024-10-01", "2026-10-01"), deadline: Deadline);
        var request = Batteries("2024-10-01", "2026-10-01");
        request.View = DutyView.Basic;
        var basic = await fixture.Tariffs.GetDutyTimelineAsync(request, deadline: Deadline);

        Assert.Equal(full.Segments.Select(s => (Iso(s.StartDate), s.TotalAdValoremPercent)), basic.Segments.Select(s => (Iso(s.StartDate), s.TotalAdValoremPercent)));
        Assert.All(basic.Segments.SelectMany(s => s.Layers), l => Assert.True(l.Title == "" && l.Sources.All(source => source.Title == "" && source.Id != "")));
        Assert.True(basic.CalculateSize() * 4 < full.CalculateSize(), $"BASIC {basic.CalculateSize()} B against FULL {full.CalculateSize()} B");
    }

    private static Scenario TruceLapses(string truceId, string on) =>
        new() { Assumptions = { new ScenarioAssumption { TruceLapses = new TruceLapse { TruceId = truceId, OnDate = Date(on) } } } };

    [Fact]
    public async Task If_the_truce_lapsed_on_1_december_2025_the_battery_duty_on_15_january_2026_would_be_79_not_45()
    {
        var request = Batteries("2025-11-01", "2026-03-01");
        request.Scenario = TruceLapses("TRUCE-US-CN-2025", "2025-12-01");

        var hypothetical = await fixture.Tariffs.GetDutyTimelineAsync(request, deadline: Deadline);

        var january = Assert.Single(hypothetical.Segments, s => Iso(s.StartDate) == "2026-01-01");
        Assert.Equal("79", january.TotalAdValoremPercent);   // the fentanyl duty back to 20 and the reciprocal duty's 34%, which batteries pay
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-06.2"] = "25", ["TAR-US-14"] = "20", ["TAR-US-17"] = "34" },
            january.Layers.ToDictionary(l => l.MeasureId, l => l.AdValoremPercent));
        var applied = Assert.Single(hypothetical.Scenario.Assumptions);
        Assert.Equal("TRUCE-US-CN-2025", applied.Assumption.TruceLapses.TruceId);
        Assert.Equal(["TAR-US-14", "TAR-US-17"], applied.ChangedRecordIds);

        // An enacted request right after answers exactly as before: nothing of the scenario was kept.
        var enacted = await fixture.Tariffs.GetDutyTimelineAsync(Batteries("2025-11-01", "2026-03-01"), deadline: Deadline);
        Assert.Null(enacted.Scenario);
        Assert.Equal("45", Assert.Single(enacted.Segments, s => Iso(s.StartDate) == "2026-01-01").TotalAdValoremPercent);
        var lookup = await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "8507600020", AsOf = Date("2026-01-15") }, deadline: Deadline);
        Assert.Equal("45", lookup.TotalAdValoremPercent);
        Assert.True(hypothetical.Coverage.Hypothetical);
        Assert.False(enacted.Coverage.Hypothetical);
    }

    [Fact]
    public async Task LookupDuty_under_the_same_lapse_answers_79_marked_hypothetical_and_the_enacted_lookup_after_it_45()
    {
        LookupDutyRequest Lookup(Scenario? scenario) => new()
        {
            Importer = "US", Origin = "CN", HsCode = "8507600020", AsOf = Date("2026-01-15"), Scenario = scenario,
        };
        var hypothetical = await fixture.Tariffs.LookupDutyAsync(Lookup(TruceLapses("TRUCE-US-CN-2025", "2025-12-01")), deadline: Deadline);

        Assert.Equal("79", hypothetical.TotalAdValoremPercent);   // batteries pay the reciprocal duty: 34% once the truce lapsed
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-06.2"] = "25", ["TAR-US-14"] = "20", ["TAR-US-17"] = "34" },
            hypothetical.Layers.ToDictionary(l => l.MeasureId, l => l.AdValoremPercent));
        Assert.Empty(hypothetical.TruceEffects);   // the lapsed truce no longer reduces or suspends anything
        Assert.True(hypothetical.Coverage.Hypothetical);
        Assert.Equal(["TAR-US-14", "TAR-US-17"], Assert.Single(hypothetical.Scenario.Assumptions).ChangedRecordIds);

        var enacted = await fixture.Tariffs.LookupDutyAsync(Lookup(null), deadline: Deadline);
        Assert.Equal("45", enacted.TotalAdValoremPercent);
        Assert.Contains("TRU-10", enacted.TruceEffects.Select(e => e.TruceTermId));
        Assert.False(enacted.Coverage.Hypothetical);
        Assert.Null(enacted.Scenario);

        // An announced measure taking effect early: the 100% EV review rate (TAR-US-05) is already in force, so use the
        // announced battery rate before its date — on 2025-11-15 it would replace List 4A's 7.5 by 25 (with the fentanyl and reciprocal 10s).
        var early = await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest
        {
            Importer = "US", Origin = "CN", HsCode = "8507600020", AsOf = Date("2025-11-15"),
            Scenario = new Scenario { Assumptions = { new ScenarioAssumption { AnnouncedTakesEffect = new AnnouncedTakesEffect { MeasureId = "TAR-US-06.2", OnDate = Date("2025-11-01") } } } },
        }, deadline: Deadline);
        Assert.Equal("45", early.TotalAdValoremPercent);
        Assert.Contains(early.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-04" && x.ExcludedByMeasureId == "TAR-US-06.2");
    }

    [Fact]
    public async Task CheckExport_under_a_lapse_finds_the_gallium_ban_back_in_force()
    {
        CheckExportRequest Check(Scenario? scenario) => new()
        {
            Exporter = "CN", Destination = "US", Item = "gallium", AsOf = Date("2026-01-15"), Scenario = scenario,
        };
        var hypothetical = await fixture.ExportControls.CheckExportAsync(Check(TruceLapses("TRUCE-US-CN-2025", "2025-12-01")), deadline: Deadline);
        var enacted = await fixture.ExportControls.CheckExportAsync(Check(null), deadline: Deadline);

        Assert.True(hypothetical.Prohibited);
        Assert.Contains(hypothetical.ControlsInForce, c => c.ControlId == "EXC-CN-04.2");
        Assert.True(hypothetical.Coverage.Hypothetical);
        Assert.Equal(["EXC-CN-04.2"], Assert.Single(hypothetical.Scenario.Assumptions).ChangedRecordIds);
        Assert.False(enacted.Prohibited);
        Assert.Contains(enacted.ControlsSuspended, c => c.ControlId == "EXC-CN-04.2");
        Assert.False(enacted.Coverage.Hypothetical);
    }

    [Fact]
    public async Task Unknown_ids_in_a_lookup_scenario_are_invalid_argument_naming_the_field()
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest
        {
            Importer = "US", Origin = "CN", HsCode = "8507600020", Scenario = TruceLapses("TRUCE-XX-YY", "2025-12-01"),
        }, deadline: Deadline));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["scenario.assumptions[0].truce_lapses.truce_id"], e.ViolatedFields());

        var export = await Assert.ThrowsAsync<RpcException>(async () => await fixture.ExportControls.CheckExportAsync(new CheckExportRequest
        {
            Exporter = "CN", Destination = "US", Item = "gallium",
            Scenario = new Scenario { Assumptions = { new ScenarioAssumption { TruceLapses = new TruceLapse { TruceId = "TRUCE-US-CN-2025" } } } },
        }, deadline: Deadline));
        Assert.Equal(["scenario.assumptions[0].truce_lapses.on_date"], export.ViolatedFields());
    }

    [Fact]
    public async Task A_lapsed_truce_ends_the_suspension_of_the_gallium_ban()
    {
        var timeline = await fixture.ExportControls.GetExportTimelineAsync(new GetExportTimelineRequest
        {
            Exporter = "CN", Destination = "US", Item = "gallium", StartDate = Date("2025-10-01"), EndDate = Date("2026-01-01"),
            Scenario = TruceLapses("TRUCE-US-CN-2025", "2025-12-01"),
        }, deadline: Deadline);

        Assert.Equal([("2025-10-01", true), ("2025-11-09", false), ("2025-12-01", true)], timeline.Segments.Select(s => (Iso(s.StartDate), s.Prohibited)));
        Assert.Contains("EXC-CN-04.2", Assert.Single(timeline.Scenario.Assumptions).ChangedRecordIds);
    }

    [Fact]
    public async Task Unknown_ids_in_a_scenario_are_invalid_argument_naming_the_assumptions_field()
    {
        var request = Batteries("2025-11-01", "2026-03-01");
        request.Scenario = TruceLapses("TRUCE-XX-YY", "2025-12-01");
        request.Scenario.Assumptions.Add(new ScenarioAssumption { AnnouncedTakesEffect = new AnnouncedTakesEffect { MeasureId = "TAR-US-99", OnDate = Date("2025-12-01") } });

        var e = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Tariffs.GetDutyTimelineAsync(request, deadline: Deadline));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["scenario.assumptions[0].truce_lapses.truce_id", "scenario.assumptions[1].announced_takes_effect.measure_id"], e.ViolatedFields());
    }
}

public sealed class SqliteTimelineTests(ServerFixture fixture) : TimelineTests<ServerFixture>(fixture);

public sealed class SqlServerTimelineTests(SqlServerFixture fixture) : TimelineTests<SqlServerFixture>(fixture);
