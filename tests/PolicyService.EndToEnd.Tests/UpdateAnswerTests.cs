using Google.Protobuf.WellKnownTypes;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// The 2026 update (shared/reference/us-china-2026-update.md), applied by the server after the seed as a later
/// change: current answers reflect it, answers known_at before it are the ones given before it.
/// </summary>
public class UpdateAnswerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private async Task<LookupDutyResponse> Duty(string hs, string date, Timestamp? knownAt = null) =>
        await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = hs, AsOf = Date(date), KnownAt = knownAt }, deadline: Deadline);

    private async Task<GetTruceStatusResponse> Truce(string date, Timestamp? knownAt = null) =>
        await fixture.Truces.GetTruceStatusAsync(new GetTruceStatusRequest { PartyA = "US", PartyB = "CN", AsOf = Date(date), KnownAt = knownAt }, deadline: Deadline);

    private static Dictionary<string, string> Layers(LookupDutyResponse r) => r.Layers.ToDictionary(l => l.MeasureId, l => l.AdValoremPercent);

    /// <summary>The instant the seed was recorded: version 1 of TAR-US-29, found just before its version 2 (the update; no later document
    /// changes it, while TAR-US-14 gained a stacking rule in the Section 232 document).</summary>
    private async Task<(Timestamp Seed, Timestamp Update)> RecordedTimesAsync()
    {
        var current = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-29" }, deadline: Deadline)).TariffMeasure;
        Assert.Equal(2, current.Recorded.Version);
        var justBefore = Timestamp.FromDateTime(current.Recorded.RecordedTime.ToDateTime().AddMilliseconds(-1));
        var seeded = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-29", KnownAt = justBefore }, deadline: Deadline)).TariffMeasure;
        Assert.Equal(1, seeded.Recorded.Version);
        return (seeded.Recorded.RecordedTime, current.Recorded.RecordedTime);
    }

    [Fact]
    public async Task The_update_is_a_later_version_with_its_reason()
    {
        var portFees = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-29" }, deadline: Deadline)).TariffMeasure;
        Assert.Contains("us-china-2026-update", portFees.Recorded.Reason, StringComparison.Ordinal);
        Assert.Contains("2026-10-08", portFees.Recorded.Reason, StringComparison.Ordinal);
        // TAR-US-24 was changed again by the product lists and the exemptions from the U.S. notes (its exemptions) and the
        // Section 232 document (its stacking rules): the update's corrections are still there.
        var m = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-24" }, deadline: Deadline)).TariffMeasure;
        Assert.Contains("Section 232", m.Recorded.Reason, StringComparison.Ordinal);
        Assert.Contains("Proclamation 11012", m.LegalInstrument, StringComparison.Ordinal);   // CORRECTION: not an EO
        Assert.Equal(PeriodStatus.Expired, m.Periods[^1].Status);
        Assert.Equal(Date("2026-07-24"), m.Periods[^1].StartDate);
    }

    [Fact]
    public async Task An_answer_known_at_before_the_update_is_the_answer_given_before_it()
    {
        var (seed, update) = await RecordedTimesAsync();
        var justBefore = Timestamp.FromDateTime(update.ToDateTime().AddMilliseconds(-1));

        var before = await Duty("8507600020", "2026-03-01", seed);
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-06.2"] = "25", ["TAR-US-24"] = "10" }, Layers(before));
        Assert.StartsWith("EO ", before.Layers.Single(l => l.MeasureId == "TAR-US-24").LegalInstrument, StringComparison.Ordinal);
        Assert.Equal(Date("2026-06-30"), before.Coverage.ReviewedThrough);

        // Any instant before the update gives the same answer, field for field (but the instant it reflects).
        var later = await Duty("8507600020", "2026-03-01", justBefore);
        later.KnownAt = before.KnownAt;
        Assert.Equal(before, later);

        // Now the surcharge carries its corrected instrument; batteries pay it (no unconditional exemption of note 2(aa) names them).
        var now = await Duty("8507600020", "2026-03-01");
        Assert.Equal("35", now.TotalAdValoremPercent);
        Assert.Contains("Proclamation 11012", now.Layers.Single(l => l.MeasureId == "TAR-US-24").LegalInstrument, StringComparison.Ordinal);
        Assert.Equal(Date("2026-10-08"), now.Coverage.ReviewedThrough);
    }

    [Fact]
    public async Task Before_the_update_October_2026_was_beyond_the_horizon_and_the_extension_unknown()
    {
        var (seed, _) = await RecordedTimesAsync();
        var r = await Truce("2026-10-01", seed);
        Assert.True(r.Coverage.BeyondReviewedHorizon);
        var truce = Assert.Single(r.Truces);
        Assert.Empty(truce.ReportedExtensions);
        Assert.Equal(16, truce.Truce.Terms.Count);
    }

    [Fact]
    public async Task After_section_122_expired_the_forced_labour_duty_applies_to_a_battery_from_China()
    {
        var r = await Duty("8507.60.00.20", "2026-10-01");
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-06.2"] = "25", ["TAR-US-32"] = "12.5" }, Layers(r));
        Assert.Equal("37.5", r.TotalAdValoremPercent);
        Assert.False(r.Coverage.BeyondReviewedHorizon);
        Assert.Equal(Confidence.Reported, r.Layers.Single(l => l.MeasureId == "TAR-US-32").Period.Confidence);   // the China tier is reported
    }

    [Fact]
    public async Task The_agreed_30bn_cut_is_shown_as_announced_and_never_applied()
    {
        var r = await Duty("9503.00.00", "2026-10-01");
        Assert.DoesNotContain(r.Layers, l => l.MeasureId == "TAR-US-40");
        var cut = Assert.Single(r.AnnouncedMeasures, a => a.MeasureId == "TAR-US-40");
        Assert.Equal(PeriodStatus.Announced, cut.Period.Status);
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-32"] = "12.5" }, Layers(r));
        Assert.Equal("12.5", r.TotalAdValoremPercent);
    }

    [Fact]
    public async Task A_section_232_article_is_excepted_from_the_forced_labour_duty()
    {
        // The metals regime is held line by line since the Section 232 document (TAR-US-37 matches no product any more).
        var r = await Duty("7208.10", "2026-10-01");
        Assert.Equal("50", r.Layers.Single(l => l.MeasureId == "SEC-STEEL-01").AdValoremPercent);
        Assert.DoesNotContain(r.NonAdValoremMeasures, m => m.MeasureId == "TAR-US-37");
        Assert.DoesNotContain(r.Layers, l => l.MeasureId == "TAR-US-32");
        Assert.Contains(r.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-32" && x.ExcludedByMeasureId == "SEC-STEEL-01");
    }

    [Fact]
    public async Task The_truce_on_1_October_2026_expires_by_instrument_on_10_November_with_a_reported_extension_beside_it()
    {
        var r = await Truce("2026-10-01");
        Assert.False(r.Coverage.BeyondReviewedHorizon);
        var truce = Assert.Single(r.Truces);
        Assert.Equal(Date("2026-11-10"), truce.ExpiryDate);
        Assert.Equal(40, truce.DaysRemaining);
        Assert.Equal(Date("2026-11-10"), truce.Truce.ExpiryDate);   // a reported window does not move the expiry
        var reported = Assert.Single(truce.ReportedExtensions);
        Assert.Equal(("TRU-21", Date("2027-01-10"), Confidence.Reported), (reported.TruceTermId, reported.Extension.ExpiryDate, reported.Confidence));
        Assert.Equal(Date("2026-09-24"), reported.AnnouncedDate);
        Assert.NotEmpty(reported.Sources);
    }

    [Fact]
    public async Task Before_the_extension_was_announced_no_reported_window_is_shown()
    {
        var truce = Assert.Single((await Truce("2026-09-01")).Truces);
        Assert.Empty(truce.ReportedExtensions);
    }

    [Theory]
    [InlineData("2026-10-09")]
    [InlineData("2026-12-01")]
    public async Task Dates_after_2026_10_08_are_beyond_the_horizon(string date)
    {
        var r = await Duty("8507600020", date);
        Assert.True(r.Coverage.BeyondReviewedHorizon);
        Assert.Contains("2026-10-08", r.Coverage.Notice, StringComparison.Ordinal);
    }
}
