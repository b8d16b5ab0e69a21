using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>Dated answers taken from shared/reference/us-china-2025.md, asked of the real server over HTTP/2.</summary>
/// <summary>Run on every storage provider: see the concrete classes at the end of the file.</summary>
public abstract class DatedAnswerTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    private async Task<LookupDutyResponse> Duty(string importer, string origin, string hs, string date) =>
        await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = importer, Origin = origin, HsCode = hs, AsOf = Date(date) }, deadline: Deadline);

    private const string Furniture = "9403608081";   // wooden furniture, List 3: pays the reciprocal duty

    private static Dictionary<string, string> Layers(LookupDutyResponse r) => r.Layers.ToDictionary(l => l.MeasureId, l => l.AdValoremPercent);

    [Fact]
    public async Task Li_ion_battery_from_China_before_the_2025_escalation_pays_only_section_301()
    {
        var r = await Duty("US", "CN", "8507.60.00.20", "2025-01-15");
        Assert.Equal("8507600020", r.HsCode);
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-04"] = "7.5" }, Layers(r));
        Assert.Equal("7.5", r.TotalAdValoremPercent);
        Assert.Contains(r.AnnouncedMeasures, a => a.MeasureId == "TAR-US-06.2" && a.AdValoremPercent == "25");
        Assert.False(r.Coverage.BeyondReviewedHorizon);
    }

    [Fact]
    public async Task At_the_peak_of_the_April_2025_escalation_the_layers_reach_170_percent_on_List_3_furniture()
    {
        // Wooden furniture (List 3): Li-ion batteries, the earlier example, are on the reciprocal exemption list (Seed/README.md).
        var r = await Duty("US", "CN", Furniture, "2025-04-15");
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-03"] = "25", ["TAR-US-14"] = "20", ["TAR-US-17"] = "125" }, Layers(r));
        Assert.Equal("170", r.TotalAdValoremPercent);
        Assert.Equal("TAR-US-19", r.Layers.Single(l => l.MeasureId == "TAR-US-17").Period.RecordId);
        Assert.All(r.Layers, l => Assert.NotEmpty(l.Sources));
    }

    [Fact]
    public async Task On_the_day_before_and_the_day_of_the_Geneva_truce()
    {
        var before = await Duty("US", "CN", Furniture, "2025-05-13");
        Assert.Equal("170", before.TotalAdValoremPercent);

        var on = await Duty("US", "CN", Furniture, "2025-05-14");
        Assert.Equal("55", on.TotalAdValoremPercent);
        var effect = Assert.Single(on.TruceEffects, e => e.MeasureId == "TAR-US-17");
        Assert.Equal("TRU-01", effect.TruceTermId);
        Assert.Equal("TRUCE-US-CN-2025", effect.TruceId);
        Assert.Equal("24", effect.SuspendedPercent);
        Assert.Equal(Date("2025-08-12"), effect.Until);
    }

    [Fact]
    public async Task After_Busan_the_fentanyl_duty_is_10_percent_and_24_points_stay_suspended_to_November_2026()
    {
        var r = await Duty("US", "CN", Furniture, "2025-11-15");
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-03"] = "25", ["TAR-US-14"] = "10", ["TAR-US-17"] = "10" }, Layers(r));
        Assert.Equal("45", r.TotalAdValoremPercent);
        Assert.Equal("TAR-US-16", r.Layers.Single(l => l.MeasureId == "TAR-US-14").Period.RecordId);
        Assert.Contains(r.TruceEffects, e => e.TruceTermId == "TRU-10" && e.MeasureId == "TAR-US-14");
        var reciprocal = Assert.Single(r.TruceEffects, e => e.MeasureId == "TAR-US-17");
        Assert.Equal(("TRU-15", "24", Date("2026-11-10")), (reciprocal.TruceTermId, reciprocal.SuspendedPercent, reciprocal.Until));
    }

    [Fact]
    public async Task The_day_before_the_fentanyl_cut_it_is_still_20_percent()
    {
        var r = await Duty("US", "CN", Furniture, "2025-11-09");
        Assert.Equal("20", Layers(r)["TAR-US-14"]);
        Assert.Equal("55", r.TotalAdValoremPercent);
    }

    [Fact]
    public async Task From_2026_the_review_rate_replaces_list_4A_by_a_stacking_rule()
    {
        var r = await Duty("US", "CN", "8507600020", "2026-01-15");
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-06.2"] = "25", ["TAR-US-14"] = "10", ["TAR-US-17"] = "10" }, Layers(r));
        Assert.Equal("45", r.TotalAdValoremPercent);   // batteries pay the reciprocal duty: no U.S. note exempts them
        var excluded = Assert.Single(r.ExcludedLayers);
        Assert.Equal(("TAR-US-04", "TAR-US-06.2"), (excluded.Layer.MeasureId, excluded.ExcludedByMeasureId));
    }

    [Fact]
    public async Task After_the_IEEPA_ruling_the_section_122_surcharge_replaces_the_IEEPA_duties()
    {
        var r = await Duty("US", "CN", Furniture, "2026-03-01");
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-03"] = "25", ["TAR-US-24"] = "10" }, Layers(r));
        Assert.Equal("35", r.TotalAdValoremPercent);
        // Batteries appear only in Section 122's civil-aircraft list (conditional on use), so they pay the surcharge.
        var battery = await Duty("US", "CN", "8507600020", "2026-03-01");
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-06.2"] = "25", ["TAR-US-24"] = "10" }, Layers(battery));
        Assert.Empty(battery.ExemptedLayers);
        var coffee = await Duty("US", "CN", "0901210000", "2026-03-01");   // on Annex II (note 2(aa)(ii)): no surcharge, and the answer says why
        Assert.DoesNotContain(coffee.Layers, l => l.MeasureId == "TAR-US-24");
        Assert.Contains("annex-ii-9903.03.03", Assert.Single(coffee.ExemptedLayers, x => x.Layer.MeasureId == "TAR-US-24").Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(r.TruceEffects, e => e.MeasureId == "TAR-US-17");
    }

    [Fact]
    public async Task The_100_percent_threat_of_October_2025_is_reported_as_announced_not_applied()
    {
        var r = await Duty("US", "CN", Furniture, "2025-10-20");
        var threat = Assert.Single(r.AnnouncedMeasures, a => a.MeasureId == "TAR-US-28");
        Assert.Equal("100", threat.AdValoremPercent);
        Assert.DoesNotContain(r.Layers, l => l.MeasureId == "TAR-US-28");
        Assert.Equal("55", r.TotalAdValoremPercent);
    }

    [Theory]
    [InlineData("2025-03-20", "10")]    // Ann. No. 2 retaliation on soybeans
    [InlineData("2025-04-20", "135")]   // plus the 125 % counter-tariff
    [InlineData("2025-06-01", "20")]    // Geneva: 10 % kept, 24 suspended
    [InlineData("2025-11-15", "10")]    // Ann. No. 2 stopped; 10 % kept
    public async Task Chinese_duty_on_US_soybeans_through_2025(string date, string total)
    {
        var r = await Duty("CN", "US", "1201.90.11", date);
        Assert.Equal(total, r.TotalAdValoremPercent);
    }

    [Fact]
    public async Task An_answer_past_the_reviewed_horizon_says_so()
    {
        var r = await Duty("US", "CN", "8507600020", "2026-11-20");
        Assert.True(r.Coverage.BeyondReviewedHorizon);
        Assert.Equal(Date("2026-10-08"), r.Coverage.ReviewedThrough);   // the 2026 update moved the horizon
        Assert.Contains("2026-10-08", r.Coverage.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unset_date_means_today()
    {
        var before = DateTime.UtcNow;
        var r = await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "us", Origin = " cn ", HsCode = "850760" }, deadline: Deadline);
        var after = DateTime.UtcNow;
        // "Today" is the UTC date of the instant the server answered at (its known_at), which lies within the call: so the
        // test holds when the call straddles midnight too. The date rule itself is unit-tested on a fixed clock.
        var answered = r.KnownAt.ToDateTime();
        Assert.InRange(answered, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.Equal(Date(answered.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), r.AsOf);
        Assert.Equal(("US", "CN"), (r.Importer, r.Origin));
    }

    private async Task<CheckExportResponse> Export(string item, string date) =>
        await fixture.ExportControls.CheckExportAsync(new CheckExportRequest { Exporter = "CN", Destination = "US", Item = item, AsOf = Date(date) }, deadline: Deadline);

    [Fact]
    public async Task Gallium_to_the_US_was_banned_in_principle_then_the_ban_was_suspended_until_November_2026()
    {
        var banned = await Export("gallium", "2025-01-15");
        Assert.True(banned.Prohibited);
        Assert.True(banned.LicenseRequired);
        Assert.Contains(banned.ControlsInForce, c => c.ControlId == "EXC-CN-04.2");

        var suspended = await Export("Gallium", "2025-12-01");
        Assert.False(suspended.Prohibited);
        Assert.True(suspended.LicenseRequired); // the worldwide licence requirement of 2023 stays
        Assert.Contains(suspended.ControlsInForce, c => c.ControlId == "EXC-CN-01");
        var ban = Assert.Single(suspended.ControlsSuspended, c => c.ControlId == "EXC-CN-04.2");
        Assert.Equal(Date("2026-11-28"), ban.Period.SuspendedUntil);   // "to 2026-11-27" covers the 27th (one rule, Seed/README.md)
        Assert.Equal("TRU-09", ban.Period.TruceTermId);
    }

    [Theory]
    [InlineData("2025-01-15", false)]   // before MOFCOM Ann. 2025 No. 18
    [InlineData("2025-04-04", true)]    // in force on issuance
    [InlineData("2025-12-01", true)]    // never suspended
    public async Task Dysprosium_needs_a_licence_from_4_April_2025(string date, bool licence)
    {
        var r = await Export("dysprosium", date);
        Assert.Equal(licence, r.LicenseRequired);
        Assert.Equal(licence, r.ControlsInForce.Any(c => c.ControlId == "EXC-CN-06"));
    }

    [Fact]
    public async Task The_October_2025_rare_earth_package_was_announced_then_suspended_before_it_applied()
    {
        var announced = await Export("holmium", "2025-10-20");
        Assert.Contains(announced.ControlsAnnounced, c => c.ControlId == "EXC-CN-09");
        Assert.False(announced.LicenseRequired);

        var suspended = await Export("holmium", "2025-12-01");
        var control = Assert.Single(suspended.ControlsSuspended, c => c.ControlId == "EXC-CN-09");
        Assert.Equal(Date("2026-11-11"), control.Period.SuspendedUntil);   // "to 2026-11-10" covers the 10th
        Assert.False(suspended.LicenseRequired);

        var battery = await Export("8507.60.00", "2025-12-01");
        Assert.Contains(battery.ControlsSuspended, c => c.ControlId == "EXC-CN-10" && c.MatchedBy == "hs:85076000");
    }

    private async Task<GetTruceStatusResponse> Truce(string date) =>
        await fixture.Truces.GetTruceStatusAsync(new GetTruceStatusRequest { PartyA = "US", PartyB = "CN", AsOf = Date(date) }, deadline: Deadline);

    [Theory]
    [InlineData("2025-05-13", null, 0)]
    [InlineData("2025-06-01", "2025-08-12", 72)]
    [InlineData("2025-09-01", "2025-11-10", 70)]
    [InlineData("2025-11-15", "2026-11-10", 360)]
    public async Task The_truce_in_force_and_its_expiry(string date, string? expiry, int days)
    {
        var r = await Truce(date);
        if (expiry is null)
        {
            Assert.Empty(r.Truces);
            return;
        }
        var truce = Assert.Single(r.Truces);
        Assert.Equal(Date(expiry), truce.ExpiryDate);
        Assert.Equal(days, truce.DaysRemaining);
        Assert.Equal("TRUCE-US-CN-2025", truce.Truce.Id);
        Assert.Equal(22, truce.Truce.Terms.Count);   // 16 of the 2025 reference, TRU-17 to TRU-22 of the 2026 update
    }

    [Fact]
    public async Task What_resumes_when_the_truce_expires()
    {
        var truce = Assert.Single((await Truce("2025-11-15")).Truces);
        var resuming = truce.ResumingMeasures.ToDictionary(r => r.MeasureId, r => r.ResumesOn);
        Assert.Equal(Date("2026-11-10"), resuming["TAR-US-17"]);      // 24 points of the reciprocal tariff
        Assert.Equal(Date("2026-11-10"), resuming["TAR-CN-03"]);      // China's 24 points
        Assert.Equal(Date("2026-11-11"), resuming["EXC-CN-09"]);      // October 2025 rare-earth package ("to 2026-11-10")
        Assert.Equal(Date("2026-11-28"), resuming["EXC-CN-04.2"]);    // the US-specific gallium/germanium/antimony ban ("to 2026-11-27")
        Assert.Contains("EXC-US-01", resuming.Keys);                   // BIS affiliates rule
    }

    [Fact]
    public async Task After_the_last_known_expiry_no_truce_is_in_force_and_the_horizon_is_stated()
    {
        var r = await Truce("2026-11-26");
        Assert.Empty(r.Truces);
        Assert.True(r.Coverage.BeyondReviewedHorizon);
    }
}

public sealed class SqliteDatedAnswerTests(ServerFixture fixture) : DatedAnswerTests<ServerFixture>(fixture);

public sealed class SqlServerDatedAnswerTests(SqlServerFixture fixture) : DatedAnswerTests<SqlServerFixture>(fixture);
