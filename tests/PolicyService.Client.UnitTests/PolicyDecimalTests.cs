using System.Globalization;
using TradePolicy.V1;

namespace PolicyService.Client.UnitTests;

public class PolicyDecimalTests
{
    [Theory]
    [InlineData("27.5", "27.5")]
    [InlineData("7.50", "7.50")]
    [InlineData("-0.25", "-0.25")]
    [InlineData("+3", "3")]
    [InlineData("0", "0")]
    [InlineData("1234567890123456789012345678", "1234567890123456789012345678")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    public void Exact_decimal_strings_parse_to_the_same_value_and_scale(string text, string expected)
    {
        Assert.Equal(expected, PolicyDecimal.Parse(text).ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 7.5")]
    [InlineData("7,5")]
    [InlineData("1,000")]
    [InlineData("1e3")]
    [InlineData("7.5%")]
    [InlineData("NaN")]
    [InlineData(".")]
    [InlineData("0x10")]
    [InlineData("1.2.3")]
    // More digits than decimal holds exactly: decimal.Parse would round these without a word.
    [InlineData("12345678901234567890123456789")]
    [InlineData("0.12345678901234567890123456789")]
    public void Anything_else_is_refused(string text)
    {
        Assert.False(PolicyDecimal.TryParse(text, out _));
        Assert.Throws<FormatException>(() => PolicyDecimal.Parse(text));
    }

    [Fact]
    public void The_current_culture_does_not_matter()
    {
        var previous = CultureInfo.CurrentCulture;
        var commaDecimal = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaDecimal.NumberFormat.NumberDecimalSeparator = ",";
        commaDecimal.NumberFormat.NumberGroupSeparator = ".";
        try
        {
            CultureInfo.CurrentCulture = commaDecimal;
            Assert.Equal(7.5m, PolicyDecimal.Parse("7.5"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Empty_optional_rates_are_null()
    {
        Assert.Null(PolicyDecimal.ParseOptional(""));
        Assert.Null(new DutyLayer { AdValoremPercent = "" }.GetAdValoremPercent());
        Assert.Null(new TariffPeriod().GetAdValoremPercent());
        Assert.Equal(25m, new TariffPeriod { AdValoremPercent = "25" }.GetAdValoremPercent());
        Assert.Throws<FormatException>(() => PolicyDecimal.ParseOptional("n/a"));
    }

    [Fact]
    public void The_total_of_a_lookup_is_read_exactly()
    {
        Assert.Equal(152.5m, new LookupDutyResponse { TotalAdValoremPercent = "152.5" }.GetTotalAdValoremPercent());
        Assert.Throws<FormatException>(() => new LookupDutyResponse().GetTotalAdValoremPercent());
        // A less specific code whose lines pay different totals has none: the exception says to read the variants.
        var varied = new LookupDutyResponse { HsCode = "85076000", TotalVaries = true, Variants = { new DutyVariant { HsPrefixes = { "8507600010" }, TotalAdValoremPercent = "45" } } };
        Assert.Contains("variants", Assert.Throws<InvalidOperationException>(() => varied.GetTotalAdValoremPercent()).Message, StringComparison.Ordinal);
        Assert.Equal(45m, varied.Variants[0].GetTotalAdValoremPercent());
    }

    [Fact]
    public void The_total_of_a_timeline_segment_is_read_exactly()
    {
        Assert.Equal(27.5m, new DutyTimelineSegment { TotalAdValoremPercent = "27.5" }.GetTotalAdValoremPercent());
        Assert.Throws<FormatException>(() => new DutyTimelineSegment().GetTotalAdValoremPercent());
        Assert.Throws<InvalidOperationException>(() => new DutyTimelineSegment { TotalVaries = true }.GetTotalAdValoremPercent());
    }
}
