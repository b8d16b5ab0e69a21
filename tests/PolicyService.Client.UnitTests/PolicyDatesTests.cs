namespace PolicyService.Client.UnitTests;

public class PolicyDatesTests
{
    [Theory]
    [InlineData(2025, 11, 15)]
    [InlineData(2024, 2, 29)]
    [InlineData(1, 1, 1)]
    [InlineData(9999, 12, 31)]
    public void Dates_round_trip(int year, int month, int day)
    {
        var date = new DateOnly(year, month, day);
        var proto = date.ToProtoDate();
        Assert.Equal((year, month, day), (proto.Year, proto.Month, proto.Day));
        Assert.Equal(date, proto.ToDateOnly());
    }

    [Theory]
    [InlineData(2025, 2, 30)]
    [InlineData(2025, 0, 1)]
    [InlineData(2025, 13, 1)]
    [InlineData(0, 5, 1)]
    [InlineData(2025, 5, 0)]
    public void Partial_or_impossible_dates_are_refused(int year, int month, int day)
    {
        var e = Assert.Throws<ArgumentException>(() => new Google.Type.Date { Year = year, Month = month, Day = day }.ToDateOnly());
        Assert.Contains("not a full calendar date", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unset_date_field_is_null()
    {
        Google.Type.Date? unset = null;
        Assert.Null(unset.ToDateOnlyOrNull());
        Assert.Equal(new DateOnly(2026, 11, 10), new Google.Type.Date { Year = 2026, Month = 11, Day = 10 }.ToDateOnlyOrNull());
    }
}
