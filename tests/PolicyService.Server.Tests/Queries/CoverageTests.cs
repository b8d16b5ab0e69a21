using PolicyService.Server.Domain;
using PolicyService.Server.Queries;

namespace PolicyService.Server.Tests.Queries;

/// <summary>The coverage of an answer, from a coverage model written out here, case by case.</summary>
public class CoverageTests
{
    private static readonly DateOnly DataReviewed = new(2026, 10, 8);

    private static readonly CoverageModel Model = new(
        [
            new TariffCoverage("US", ["CN"], true, [TariffKind.Section301, TariffKind.IeepaReciprocal], null, ""),
            new TariffCoverage("CN", ["US"], false, [TariffKind.Retaliatory], new DateOnly(2026, 6, 30), ""),
            new TariffCoverage("EU", ["CN"], true, [TariffKind.Mfn, TariffKind.Antidumping], null, ""),
        ],
        [
            new ExportCoverage("CN", ["US"], true, null, ""),
            new ExportCoverage("US", ["CN", "RU"], false, null, ""),
        ],
        [new TruceCoverage("US", "CN", new DateOnly(2026, 9, 1), "")]);

    private static readonly DateOnly InRange = new(2025, 11, 15);

    [Fact]
    public void A_reviewed_pair_is_covered_with_only_the_MFN_sentence()
    {
        var c = Coverage.ForDuty(Model, DataReviewed, "US", "CN", InRange);
        Assert.True(c.Covered);
        Assert.Empty(c.Uncovered);
        Assert.False(c.MfnIncluded);
        Assert.False(c.BeyondReviewedHorizon);
        Assert.Equal(DataReviewed, c.ReviewedThrough);   // the part has no date of its own
        Assert.Equal("MFN base rates are not in the data: total_ad_valorem_percent adds up the additional duties covered, not the whole duty.", c.Notice);
    }

    [Fact]
    public void An_origin_not_reviewed_misses_the_origin_specific_measures_when_the_all_origin_ones_are_held()
    {
        var c = Coverage.ForDuty(Model, DataReviewed, "US", "VN", InRange);
        Assert.False(c.Covered);
        Assert.Equal(["origin-specific US measures for VN"], c.Uncovered);
        Assert.StartsWith("Only measures applying to all origins are held for US imports from VN; origin-specific measures are not covered. MFN",
            c.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void An_origin_not_reviewed_misses_everything_when_the_all_origin_measures_are_not_held()
    {
        var c = Coverage.ForDuty(Model, DataReviewed, "CN", "DE", InRange);
        Assert.Equal(["CN measures for DE"], c.Uncovered);
        Assert.StartsWith("CN measures are held only for goods from US; CN imports from DE are not covered.", c.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void An_importer_not_in_the_model_is_not_covered_at_all()
    {
        var c = Coverage.ForDuty(Model, DataReviewed, "JP", "CN", InRange);
        Assert.False(c.Covered);
        Assert.Equal(["tariff measures of JP"], c.Uncovered);
        Assert.StartsWith("The data holds no tariff measures of JP: this answer lists none because none are covered, not because no duty applies.",
            c.Notice, StringComparison.Ordinal);
        Assert.Equal(DataReviewed, c.ReviewedThrough);
        Assert.Equal(["tariff measures of JP"], Coverage.ForDuty(CoverageModel.Empty, DataReviewed, "JP", "CN", InRange).Uncovered);
    }

    [Fact]
    public void MFN_is_included_only_where_the_importer_holds_the_MFN_kind()
    {
        var eu = Coverage.ForDuty(Model, DataReviewed, "EU", "CN", InRange);
        Assert.True(eu.MfnIncluded);
        Assert.Equal("", eu.Notice);
        Assert.False(Coverage.ForDuty(Model, DataReviewed, "JP", "CN", InRange).MfnIncluded);
    }

    [Fact]
    public void A_part_reviewed_earlier_than_the_data_sets_the_horizon_on_the_day_after_it()
    {
        var onTheDay = Coverage.ForDuty(Model, DataReviewed, "CN", "US", new DateOnly(2026, 6, 30));
        Assert.Equal(new DateOnly(2026, 6, 30), onTheDay.ReviewedThrough);
        Assert.False(onTheDay.BeyondReviewedHorizon);
        var after = Coverage.ForDuty(Model, DataReviewed, "CN", "US", new DateOnly(2026, 7, 1));
        Assert.True(after.BeyondReviewedHorizon);
        Assert.True(after.Covered);   // past the horizon is a separate limit from the scope
        Assert.StartsWith("The data was reviewed through 2026-06-30; changes that took effect after that date, and before 2026-07-01, may be missing",
            after.Notice, StringComparison.Ordinal);
        Assert.EndsWith("not the whole duty.", after.Notice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CN", "US", true, "")]
    [InlineData("CN", "JP", false, "destination-specific CN controls for JP")]
    [InlineData("US", "RU", true, "")]
    [InlineData("US", "DE", false, "US controls for DE")]
    [InlineData("DE", "US", false, "export controls of DE")]
    public void Export_answers_follow_the_exporter_part(string exporter, string destination, bool covered, string uncovered)
    {
        var c = Coverage.ForExport(Model, DataReviewed, exporter, destination, InRange);
        Assert.Equal(covered, c.Covered);
        Assert.Equal(covered ? [] : [uncovered], c.Uncovered);
        Assert.False(c.MfnIncluded);
        Assert.DoesNotContain("MFN", c.Notice, StringComparison.Ordinal);
        Assert.Equal(covered, c.Notice.Length == 0);
    }

    [Fact]
    public void Truce_parties_match_in_either_order_and_carry_their_part_date()
    {
        var reversed = Coverage.ForTruce(Model, DataReviewed, "CN", "US", InRange);
        Assert.True(reversed.Covered);
        Assert.Equal(new DateOnly(2026, 9, 1), reversed.ReviewedThrough);
        var other = Coverage.ForTruce(Model, DataReviewed, "US", "VN", InRange);
        Assert.Equal(["truces between US and VN"], other.Uncovered);
        Assert.Equal(DataReviewed, other.ReviewedThrough);
        Assert.StartsWith("The data holds no truces between US and VN", other.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Notices_name_the_origins_and_destinations_that_are_held()
    {
        Assert.Equal("CN measures are held only for goods from US; CN imports from VN are not covered. "
            + "MFN base rates are not in the data: total_ad_valorem_percent adds up the additional duties covered, not the whole duty.",
            Coverage.ForDuty(Model, DataReviewed, "CN", "VN", InRange).Notice);
        Assert.Equal("US controls are held only for exports to CN, RU; US exports to VN are not covered.",
            Coverage.ForExport(Model, DataReviewed, "US", "VN", InRange).Notice);
        var twoOrigins = new CoverageModel([new TariffCoverage("JP", ["CN", "KR"], false, [TariffKind.Mfn], null, "")], [], []);
        Assert.Equal("JP measures are held only for goods from CN, KR; JP imports from VN are not covered.",
            Coverage.ForDuty(twoOrigins, DataReviewed, "JP", "VN", InRange).Notice);
    }

    [Fact]
    public void An_export_part_follows_the_whole_data_unless_it_has_a_date_of_its_own()
    {
        var c = Coverage.ForExport(Model, DataReviewed, "CN", "US", InRange);
        Assert.Equal((DataReviewed, true, false, ""), (c.ReviewedThrough, c.Covered, c.MfnIncluded, c.Notice));

        var dated = new CoverageModel([], [new ExportCoverage("CN", ["US"], false, new DateOnly(2026, 5, 1), "")], []);
        Assert.Equal(new DateOnly(2026, 5, 1), Coverage.ForExport(dated, DataReviewed, "CN", "US", InRange).ReviewedThrough);
    }

    [Fact]
    public void A_truce_pair_in_the_model_is_covered_through_its_own_date_in_either_order()
    {
        var c = Coverage.ForTruce(Model, DataReviewed, "CN", "US", InRange);
        Assert.Equal((new DateOnly(2026, 9, 1), true, false, ""), (c.ReviewedThrough, c.Covered, c.MfnIncluded, c.Notice));
        Assert.Empty(c.Uncovered);

        var missing = Coverage.ForTruce(Model, DataReviewed, "US", "JP", InRange);
        Assert.Equal((DataReviewed, false, false), (missing.ReviewedThrough, missing.Covered, missing.MfnIncluded));
        Assert.Equal(["truces between US and JP"], missing.Uncovered);
        Assert.Equal("The data holds no truces between US and JP: an answer without one is not a statement that none exists.", missing.Notice);
    }

    [Fact]
    public void A_scope_lists_what_it_misses_in_one_sentence_and_nothing_when_it_misses_nothing()
    {
        var c = Coverage.ForScope(new DateOnly(2026, 6, 30), InRange, ["tariff measures of JP", "export controls of JP"]);
        Assert.Equal((new DateOnly(2026, 6, 30), false, false, false), (c.ReviewedThrough, c.BeyondReviewedHorizon, c.Covered, c.MfnIncluded));
        Assert.Equal(["tariff measures of JP", "export controls of JP"], c.Uncovered);
        Assert.Equal("Only what the data holds is listed; not covered: tariff measures of JP; export controls of JP.", c.Notice);

        var all = Coverage.ForScope(new DateOnly(2026, 6, 30), InRange, []);
        Assert.Equal((true, ""), (all.Covered, all.Notice));
    }

    [Theory]
    [InlineData("7.5", "7.5")]
    [InlineData("45.000", "45")]
    [InlineData("0", "0")]
    [InlineData("0.125", "0.125")]
    [InlineData("1234567.0000000001", "1234567.0000000001")]
    public void Percents_are_written_exactly_without_trailing_zeros(string value, string expected)
    {
        var d = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Percent.Format(d));
        Assert.Equal(expected, Percent.Format((decimal?)d));
    }

    [Fact]
    public void No_percent_is_written_as_empty() => Assert.Equal("", Percent.Format((decimal?)null));
}
