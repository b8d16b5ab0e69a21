using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// The Section 232 duties (Seed/us-section232.changes.json) asked of the real server, US from CN: the twelve test cases of
/// shared/reference/us-section232/README.md with their rate, basis and condition, and the stacking rules at their dates.
/// </summary>
public abstract class Section232AnswerTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    private async Task<LookupDutyResponse> Duty(string hs, string date) =>
        await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = hs, AsOf = Date(date) }, deadline: Deadline);

    private static decimal Sum(IEnumerable<DutyLayer> layers) =>
        layers.Sum(l => decimal.Parse(l.AdValoremPercent, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The answer's Section 232 layer; the total is exactly the layers marked in_total, and every other layer has a pricing note.</summary>
    private static DutyLayer Only232(LookupDutyResponse r, string? among = null)
    {
        if (among is not null) Assert.Contains(r.Layers, l => l.MeasureId == among && l.Kind == TariffKind.Section232);
        Assert.Equal(Sum(r.Layers.Where(l => l.InTotal)), decimal.Parse(r.TotalAdValoremPercent, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(r.Layers.Count(l => !l.InTotal), r.PricingNotes.Count);
        return among is null ? Assert.Single(r.Layers, l => l.Kind == TariffKind.Section232) : r.Layers.Single(l => l.MeasureId == among);
    }

    [Theory]
    [MemberData(nameof(Section232Cases.ReferenceCases), MemberType = typeof(Section232Cases))]
    public async Task Each_reference_test_case_answers_its_232_layer(string name, string hs, string date, string measure, string rate, RateBasis basis, bool inTotal, string condition)
    {
        var layer = Only232(await Duty(hs, date));
        Assert.Equal((measure, rate, basis, inTotal), (layer.MeasureId, layer.AdValoremPercent, layer.RateBasis, layer.InTotal));
        if (condition.Length > 0) Assert.Contains(layer.Conditions, c => c.Contains(condition, StringComparison.Ordinal));
        else Assert.Empty(layer.Conditions);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Theory]
    [InlineData("8703.80.0020", "2025-04-02")]   // T08: the auto duty begins 2025-04-03
    [InlineData("8431.20.0000", "2025-08-17")]   // T04: not on the lists before the inclusions round (U8)
    public async Task Before_a_programs_date_there_is_no_232_layer(string hs, string date) =>
        Assert.DoesNotContain((await Duty(hs, date)).Layers, l => l.Kind == TariffKind.Section232);

    [Fact]
    public async Task A_road_tractor_before_the_MHD_date_pays_only_the_steel_content_duty_of_the_inclusions_list()
    {
        // T12 says 0 on 2025-10-20, but the inclusions list (steel_derivative_inclusion1) holds 8701.21.00 from 2025-08-18.
        var before = await Duty("8701.21.0015", "2025-10-20");
        var steel = Only232(before);
        Assert.Equal(("SEC-STEEL-05", RateBasis.MetalContent, false), (steel.MeasureId, steel.RateBasis, steel.InTotal));
        var after = await Duty("8701.21.0015", "2025-11-01");
        Assert.Equal("SEC-MHD-01", Only232(after).MeasureId);
        Assert.Contains(after.ExcludedLayers, x => x.Layer.MeasureId == "SEC-STEEL-05" && x.ExcludedByMeasureId == "SEC-MHD-01");   // STK-05/06
    }

    [Fact]
    public async Task An_electric_car_pays_the_auto_duty_and_no_reciprocal_duty()
    {
        var car = await Duty("8703.80.0020", "2025-11-15");
        Assert.Equal("SEC-AUTO-01", Only232(car).MeasureId);
        Assert.DoesNotContain(car.Layers, l => l.MeasureId == "TAR-US-17");
        Assert.Contains(car.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-17" && x.ExcludedByMeasureId == "SEC-AUTO-01");
        // Section 301 (TAR-US-05, 100%) and the fentanyl duty (10% from 2025-11-10) stack on the 25% (STK-01, STK-02).
        Assert.Equal("135", car.TotalAdValoremPercent);
    }

    [Fact]
    public async Task Stacking_boundaries_of_the_reciprocal_duty_section_122_and_the_forced_labour_duty_on_a_car()
    {
        Assert.Contains((await Duty("8703.80.0020", "2026-02-23")).ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-17");   // STK-03 last day
        var first122 = await Duty("8703.80.0020", "2026-02-24");
        Assert.DoesNotContain(first122.Layers, l => l.MeasureId is "TAR-US-17" or "TAR-US-24");
        Assert.Contains(first122.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-24" && x.ExcludedByMeasureId == "SEC-AUTO-01");   // STK-04
        Assert.Contains((await Duty("8703.80.0020", "2026-07-23")).ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-24");
        var forcedLabour = await Duty("8703.80.0020", "2026-07-24");
        Assert.Contains(forcedLabour.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-32" && x.ExcludedByMeasureId == "SEC-AUTO-01");   // STK-10
        Assert.DoesNotContain(forcedLabour.Layers, l => l.MeasureId is "TAR-US-24" or "TAR-US-32");
    }

    [Fact]
    public async Task On_a_metal_derivative_the_reciprocal_and_section_122_duties_apply_to_the_non_metal_part_only()
    {
        var reciprocal = (await Duty("8431.20.0000", "2025-09-01")).Layers.Single(l => l.MeasureId == "TAR-US-17");   // STK-03
        Assert.Equal((RateBasis.NonMetalContent, false), (reciprocal.RateBasis, reciprocal.InTotal));

        var before = await Duty("8431.20.0000", "2026-04-05");   // STK-04 before the annexes: non-metal part only (reported)
        Assert.Equal("SEC-STEEL-05", Only232(before).MeasureId);
        var surcharge = before.Layers.Single(l => l.MeasureId == "TAR-US-24");
        Assert.Equal(RateBasis.NonMetalContent, surcharge.RateBasis);

        var annex = await Duty("8431.20.0000", "2026-04-06");   // from the annexes: only where the 15%-of-weight test fails
        Assert.Equal("SEC-METAL-01.4", Only232(annex).MeasureId);
        var conditional = annex.Layers.Single(l => l.MeasureId == "TAR-US-24");
        Assert.Equal((RateBasis.FullValue, false), (conditional.RateBasis, conditional.InTotal));
        Assert.Contains(conditional.Conditions, c => c.StartsWith("only where SEC-METAL-01.4 does not apply", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_auto_part_of_aluminium_pays_the_parts_duty_and_no_metals_duty_from_the_parts_date()
    {
        var before = await Duty("8708.10.3010", "2025-05-02");   // STK-05: the parts duty begins 2025-05-03
        Assert.Equal(("SEC-ALU-02", "25"), (Only232(before).MeasureId, Only232(before).AdValoremPercent));
        var after = await Duty("8708.10.3010", "2025-05-03");
        Assert.Equal("SEC-AUTO-02", Only232(after).MeasureId);
        Assert.Contains(after.ExcludedLayers, x => x.Layer.MeasureId == "SEC-ALU-02" && x.ExcludedByMeasureId == "SEC-AUTO-02");
    }

    [Fact]
    public async Task A_qualifying_chip_is_conditional_and_the_fentanyl_duty_applies_only_where_it_does_not()
    {
        var chip = await Duty("8471.50.0150", "2026-02-01");   // STK-02 exception, 2026-01-15 to 2026-02-23
        Only232(chip, "TAR-US-35");
        var semis = chip.Layers.Single(l => l.MeasureId == "TAR-US-35");
        Assert.Equal(("TAR-US-35", "25", false, 2), (semis.MeasureId, semis.AdValoremPercent, semis.InTotal, semis.Conditions.Count));
        var fentanyl = chip.Layers.Single(l => l.MeasureId == "TAR-US-14");
        Assert.False(fentanyl.InTotal);
        Assert.Contains(fentanyl.Conditions, c => c.StartsWith("only where TAR-US-35 does not apply", StringComparison.Ordinal));
        // The auto parts list holds all of heading 8471 (a conditional part); STK-08 leaves it only where the chip duty does not apply.
        var parts = chip.Layers.Single(l => l.MeasureId == "SEC-AUTO-02.2");
        Assert.Contains(parts.Conditions, c => c.StartsWith("only where TAR-US-35 does not apply", StringComparison.Ordinal));

        var dayBefore = await Duty("8471.50.0150", "2026-01-14");
        Assert.Equal(("SEC-AUTO-02.2", false), (Only232(dayBefore).MeasureId, Only232(dayBefore).InTotal));
        Assert.True(dayBefore.Layers.Single(l => l.MeasureId == "TAR-US-14").InTotal);
    }

    [Fact]
    public async Task The_kitchen_cabinet_increase_is_announced_not_in_force()
    {
        var cabinet = await Duty("9403.40.9060", "2026-03-01");
        var step = Assert.Single(cabinet.AnnouncedMeasures, a => a.MeasureId == "SEC-WOOD-04.3");
        Assert.Equal("50", step.AdValoremPercent);
        Assert.DoesNotContain(cabinet.Layers, l => l.MeasureId == "SEC-WOOD-04.3");
    }
}

/// <summary>T01..T12 of shared/reference/us-section232/README.md: code, date, measure, rate, basis, in the total, condition.</summary>
public static class Section232Cases
{
    public static TheoryData<string, string, string, string, string, RateBasis, bool, string> ReferenceCases => new()
    {
        { "T01", "7208.51.0030", "2018-06-01", "SEC-STEEL-01", "25", RateBasis.FullValue, true, "" },
        { "T02", "7601.10.6030", "2019-06-01", "SEC-ALU-01", "10", RateBasis.FullValue, true, "" },
        { "T03", "7208.51.0030", "2025-06-10", "SEC-STEEL-01", "50", RateBasis.FullValue, true, "" },
        { "T04", "8431.20.0000", "2025-09-01", "SEC-STEEL-05", "50", RateBasis.MetalContent, false, "" },
        { "T05", "8431.20.0000", "2026-05-01", "SEC-METAL-01.4", "25", RateBasis.FullValue, false, "at least 15% of the article's weight" },
        { "T06", "7411.10.1030", "2025-09-01", "SEC-CU-01", "50", RateBasis.MetalContent, false, "" },
        { "T07", "7411.10.1030", "2026-05-01", "SEC-METAL-01.1", "50", RateBasis.FullValue, true, "" },
        { "T08", "8703.80.0020", "2025-05-01", "SEC-AUTO-01", "25", RateBasis.FullValue, true, "" },
        { "T09", "4009.12.0020", "2025-06-01", "SEC-AUTO-02", "25", RateBasis.FullValue, true, "" },
        { "T10", "4407.11.0001", "2025-11-01", "SEC-WOOD-01", "10", RateBasis.FullValue, true, "" },
        { "T11", "9403.40.9060", "2026-03-01", "SEC-WOOD-03", "25", RateBasis.FullValue, true, "" },
        { "T12", "8701.21.0015", "2025-11-15", "SEC-MHD-01", "25", RateBasis.FullValue, true, "" },
    };
}

public sealed class SqliteSection232AnswerTests(ServerFixture fixture) : Section232AnswerTests<ServerFixture>(fixture);

public sealed class SqlServerSection232AnswerTests(SqlServerFixture fixture) : Section232AnswerTests<SqlServerFixture>(fixture);
