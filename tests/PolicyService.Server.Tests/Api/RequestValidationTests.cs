using PolicyService.Server.Domain;
using PolicyService.Server.Api;

namespace PolicyService.Server.Tests.Api;

public class RequestValidationTests
{
    [Theory]
    [InlineData(2025, 2, 29)]
    [InlineData(2025, 13, 1)]
    [InlineData(2025, 0, 1)]
    [InlineData(0, 1, 1)]
    [InlineData(2025, 4, 31)]
    public void Impossible_dates_are_violations_of_the_field(int year, int month, int day)
    {
        var v = new RequestValidation();
        v.OptionalDate("as_of", new Google.Type.Date { Year = year, Month = month, Day = day });
        Assert.Equal("as_of", Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations).Field);
    }

    [Theory]
    [InlineData(2025, 1, 1, 2025, 1, 1, "end_date")]   // empty: the range is half-open
    [InlineData(2025, 6, 1, 2025, 1, 1, "end_date")]   // backwards
    [InlineData(2025, 1, 1, 2045, 1, 2, "end_date")]   // one day more than 20 years
    [InlineData(2025, 2, 30, 2026, 1, 1, "start_date")]
    public void A_timeline_range_that_is_empty_backwards_too_long_or_no_date_names_its_field(int y1, int m1, int d1, int y2, int m2, int d2, string field)
    {
        var v = new RequestValidation();
        v.DateRange("start_date", new Google.Type.Date { Year = y1, Month = m1, Day = d1 }, "end_date", new Google.Type.Date { Year = y2, Month = m2, Day = d2 }, 20);
        Assert.Equal(field, Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations).Field);
    }

    [Fact]
    public void A_timeline_range_of_exactly_20_years_is_accepted_and_both_ends_are_required()
    {
        var v = new RequestValidation();
        Assert.Equal((new DateOnly(2025, 1, 1), new DateOnly(2045, 1, 1)),
            v.DateRange("start_date", new Google.Type.Date { Year = 2025, Month = 1, Day = 1 }, "end_date", new Google.Type.Date { Year = 2045, Month = 1, Day = 1 }, 20));
        v.ThrowIfInvalid();

        var missing = new RequestValidation();
        missing.DateRange("start_date", null, "end_date", null, 20);
        Assert.Equal(["start_date", "end_date"], Assert.Throws<InvalidRequestException>(missing.ThrowIfInvalid).Violations.Select(x => x.Field));
    }

    [Fact]
    public void A_leap_day_is_a_date() =>
        Assert.Equal(new DateOnly(2024, 2, 29), new RequestValidation().OptionalDate("as_of", new Google.Type.Date { Year = 2024, Month = 2, Day = 29 }));

    [Fact]
    public void An_unset_date_means_today_in_utc()
    {
        var clock = new FixedClock(new DateTimeOffset(2025, 11, 15, 23, 30, 0, TimeSpan.FromHours(-5)));
        Assert.Equal(new DateOnly(2025, 11, 16), new RequestValidation().AsOf("as_of", null, DateTime.MaxValue, clock));
    }

    [Fact]
    public void An_unset_date_with_known_at_means_the_date_of_known_at() =>
        Assert.Equal(new DateOnly(2025, 11, 10),
            new RequestValidation().AsOf("as_of", null, new DateTime(2025, 11, 10, 23, 0, 0, DateTimeKind.Utc), new FixedClock(DateTimeOffset.UtcNow)));

    [Theory]
    [InlineData(0, 50)]
    [InlineData(7, 7)]
    [InlineData(1000, 1000)]
    [InlineData(5000, 1000)]
    public void Page_sizes_default_and_clamp(int requested, int expected) =>
        Assert.Equal(expected, new RequestValidation().PageSize("page_size", requested));

    [Fact]
    public void A_negative_page_size_is_a_violation()
    {
        var v = new RequestValidation();
        v.PageSize("page_size", -1);
        Assert.Equal("page_size", Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations).Field);
    }

    [Fact]
    public void Every_bad_field_of_a_request_is_reported_at_once()
    {
        var v = new RequestValidation();
        v.Jurisdiction("importer", "USA");
        v.Jurisdiction("origin", "");
        v.HsCode("hs_code", "85");
        var fields = Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations.Select(x => x.Field);
        Assert.Equal(["importer", "origin", "hs_code"], fields);
    }

    [Theory]
    [InlineData("Dysprosium", null, "dysprosium")]
    [InlineData(" 8112.92.90.10 ", "8112929010", null)]
    public void An_item_is_an_hs_code_or_a_lower_case_name(string input, string? code, string? name)
    {
        var item = new RequestValidation().Item("item", input);
        Assert.Equal(code, item.HsCode);
        Assert.Equal(name, item.Name);
    }

    [Theory]
    [InlineData("81129")]
    [InlineData("drop table; --")]
    [InlineData("")]
    public void Items_that_are_neither_codes_nor_names_are_violations(string input)
    {
        var v = new RequestValidation();
        v.Item("item", input);
        Assert.Equal("item", Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations).Field);
    }

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Google.Protobuf.WellKnownTypes.Timestamp At(DateTimeOffset instant) => Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(instant);

    [Fact]
    public void An_unset_known_at_means_everything_recorded_so_far()
    {
        var v = new RequestValidation();
        Assert.Equal(DateTime.MaxValue, v.KnownAt("known_at", null, new FixedClock(Now)));
        v.ThrowIfInvalid();
    }

    [Fact]
    public void A_known_at_in_the_past_or_now_is_that_instant()
    {
        var v = new RequestValidation();
        Assert.Equal(Now.UtcDateTime, v.KnownAt("known_at", At(Now), new FixedClock(Now)));
        Assert.Equal(new DateTime(2025, 11, 15, 8, 30, 0, DateTimeKind.Utc), v.KnownAt("known_at", At(new DateTimeOffset(2025, 11, 15, 8, 30, 0, TimeSpan.Zero)), new FixedClock(Now)));
        v.ThrowIfInvalid();
    }

    // A minute of clock skew between caller and server is tolerated; past it the instant is the future.
    [Theory]
    [InlineData(60_000_000L, false)]
    [InlineData(60_000_001L, true)]
    [InlineData(3_600_000_000L, true)]
    [InlineData(86_400_000_000L * 365, true)]
    public void A_known_at_in_the_future_is_a_violation_of_the_field(long microsecondsAhead, bool refused)
    {
        var v = new RequestValidation();
        v.KnownAt("known_at", At(Now.AddTicks(microsecondsAhead * 10)), new FixedClock(Now));
        if (!refused)
        {
            v.ThrowIfInvalid();
            return;
        }
        var violation = Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations);
        Assert.Equal("known_at", violation.Field);
        Assert.Contains("future", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-62135596801L, 0)]
    [InlineData(253402300800L, 0)]
    [InlineData(0L, -1)]
    [InlineData(0L, 1_000_000_000)]
    public void A_timestamp_out_of_range_is_a_violation_of_the_field(long seconds, int nanos)
    {
        var v = new RequestValidation();
        Assert.Equal(DateTime.MaxValue, v.KnownAt("known_at", new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = seconds, Nanos = nanos }, new FixedClock(Now)));
        Assert.Equal("known_at", Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations).Field);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
