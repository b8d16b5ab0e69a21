using PolicyService.Server.Api;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Tests.Api;

/// <summary>
/// Each reader of a request field: what it accepts at its bounds, what it refuses, and the words the caller reads.
/// Written against the mutants Stryker found alive in RequestValidation and ReadContext.
/// </summary>
public class RequestFieldTests
{
    private static FieldViolation Refused(RequestValidation v) => Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations);

    private static void Accepted(RequestValidation v) => v.ThrowIfInvalid();

    [Theory]
    [InlineData("", "is required: an ISO 3166-1 alpha-2 country code such as \"US\"")]
    [InlineData("   ", "is required: an ISO 3166-1 alpha-2 country code such as \"US\"")]
    [InlineData("USA", "\"USA\" is not an ISO 3166-1 alpha-2 country code")]
    public void A_missing_or_unknown_country_is_told_apart(string value, string description)
    {
        var v = new RequestValidation();
        v.Jurisdiction("origin", value);
        Assert.Equal(new FieldViolation("origin", description), Refused(v));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData(" cn ", "CN")]
    public void An_optional_country_left_empty_is_no_filter(string value, string? expected)
    {
        var v = new RequestValidation();
        Assert.Equal(expected, v.OptionalJurisdiction("party", value));
        Accepted(v);
    }

    [Fact]
    public void An_optional_country_given_must_still_be_one()
    {
        var v = new RequestValidation();
        v.OptionalJurisdiction("party", "XX");
        Assert.Equal("party", Refused(v).Field);
    }

    [Theory]
    [InlineData("", "is required: an HS code of 6 to 10 digits")]
    [InlineData(" ", "is required: an HS code of 6 to 10 digits")]
    [InlineData("8507", "\"8507\" is not an HS code: give 6 to 10 digits (dots and spaces are ignored)")]
    public void A_missing_or_malformed_code_is_told_apart(string value, string description)
    {
        var v = new RequestValidation();
        v.HsCode("hs_code", value);
        Assert.Equal(new FieldViolation("hs_code", description), Refused(v));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData(" ", null)]
    [InlineData("8507.60", "850760")]
    public void An_optional_code_left_empty_is_no_filter(string value, string? expected)
    {
        var v = new RequestValidation();
        Assert.Equal(expected, v.OptionalHsCode("hs_code", value));
        Accepted(v);
    }

    [Fact]
    public void An_optional_code_given_must_still_be_one()
    {
        var v = new RequestValidation();
        v.OptionalHsCode("hs_code", "85");
        Assert.Equal("hs_code", Refused(v).Field);
    }

    [Theory]
    [InlineData("rare earth", "rare earth")]
    [InlineData("Rare-Earth", "rare-earth")]
    [InlineData("o'brien alloy", "o'brien alloy")]
    public void An_item_name_may_hold_letters_spaces_hyphens_and_apostrophes(string value, string name)
    {
        var v = new RequestValidation();
        Assert.Equal(new ExportItem(null, name), v.Item("item", value));
        Accepted(v);
    }

    [Fact]
    public void An_item_name_of_100_characters_is_accepted_and_one_of_101_is_not()
    {
        var v = new RequestValidation();
        Assert.Equal(new string('a', 100), v.Item("item", new string('a', 100)).Name);
        Accepted(v);
        v.Item("item", new string('a', 101));
        Assert.Equal("item", Refused(v).Field);
    }

    [Theory]
    [InlineData("gallium!")]
    [InlineData("gallium_nitride")]
    [InlineData("a.b")]
    public void An_item_name_with_other_characters_is_refused_with_the_rule(string value)
    {
        var v = new RequestValidation();
        v.Item("item", value);
        Assert.Equal(new FieldViolation("item", $"\"{value}\" is neither an HS code nor an item name (letters, spaces and hyphens)"), Refused(v));
    }

    [Fact]
    public void A_missing_item_is_required()
    {
        var v = new RequestValidation();
        Assert.Equal(new ExportItem(null, ""), v.Item("item", "  "));
        Assert.Equal(new FieldViolation("item", "is required: an HS code of 6 to 10 digits or a named item such as \"gallium\""), Refused(v));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(" ", true)]
    [InlineData("gallium", false)]
    public void An_optional_item_left_empty_is_no_filter(string value, bool none)
    {
        var v = new RequestValidation();
        Assert.Equal(none, v.OptionalItem("item", value) is null);
        Accepted(v);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(9999, 12, 31)]
    [InlineData(2025, 12, 1)]
    [InlineData(2025, 1, 31)]
    public void The_first_and_last_calendar_dates_are_dates(int year, int month, int day)
    {
        var v = new RequestValidation();
        Assert.Equal(new DateOnly(year, month, day), v.OptionalDate("as_of", new Google.Type.Date { Year = year, Month = month, Day = day }));
        Accepted(v);
    }

    [Fact]
    public void An_impossible_date_is_echoed_in_the_violation()
    {
        var v = new RequestValidation();
        v.OptionalDate("as_of", new Google.Type.Date { Year = 2025, Month = 2, Day = 30 });
        Assert.Equal(new FieldViolation("as_of", "2025-02-30 is not a calendar date (year, month and day are all required)"), Refused(v));
    }

    [Theory]
    [InlineData(-62135596800L, 0)]
    [InlineData(0L, 999_999_999)]
    public void The_first_instant_and_the_last_nanosecond_of_a_second_are_valid_timestamps(long seconds, int nanos)
    {
        var v = new RequestValidation();
        var at = v.KnownAt("known_at", new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = seconds, Nanos = nanos }, new FixedClock(DateTimeOffset.UnixEpoch.AddYears(60)));
        Assert.NotEqual(DateTime.MaxValue, at);
        Accepted(v);
    }

    [Fact]
    public void The_last_second_of_year_9999_is_a_timestamp_but_in_the_future()
    {
        var v = new RequestValidation();
        v.KnownAt("known_at", new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 253402300799 }, new FixedClock(DateTimeOffset.UnixEpoch.AddYears(60)));
        Assert.Contains("future", Refused(v).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_out_of_range_says_so()
    {
        var v = new RequestValidation();
        v.KnownAt("known_at", new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 253402300800 }, new FixedClock(DateTimeOffset.UnixEpoch));
        Assert.Equal(new FieldViolation("known_at", "is not a valid timestamp"), Refused(v));
    }

    [Fact]
    public void A_given_as_of_date_wins_over_the_date_of_known_at()
    {
        var v = new RequestValidation();
        var asOf = v.AsOf("as_of", new Google.Type.Date { Year = 2025, Month = 5, Day = 14 }, new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc), new FixedClock(DateTimeOffset.UnixEpoch));
        Assert.Equal(new DateOnly(2025, 5, 14), asOf);
        Accepted(v);
    }

    [Theory]
    [InlineData(0, 50)]
    [InlineData(1, 1)]
    [InlineData(999, 999)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1000)]
    public void A_page_size_of_zero_or_more_is_accepted_and_clamped(int requested, int expected)
    {
        var v = new RequestValidation();
        Assert.Equal(expected, v.PageSize("page_size", requested));
        Accepted(v);
    }

    [Fact]
    public void A_negative_page_size_says_what_zero_means()
    {
        var v = new RequestValidation();
        v.PageSize("page_size", -1);
        Assert.Equal(new FieldViolation("page_size", "must not be negative (0 means the default of 50)"), Refused(v));
    }

    [Fact]
    public void A_view_the_contract_defines_is_accepted_and_another_number_is_not()
    {
        var v = new RequestValidation();
        Assert.Equal(TradePolicy.V1.DutyView.Basic, v.View("view", TradePolicy.V1.DutyView.Basic));
        Assert.Equal(TradePolicy.V1.DutyView.Unspecified, v.View("view", TradePolicy.V1.DutyView.Unspecified));
        Accepted(v);
        v.View("view", (TradePolicy.V1.DutyView)42);
        Assert.Equal(new FieldViolation("view", "42 is not a view: use BASIC or FULL"), Refused(v));
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345", "is longer than any id (64 characters)")]
    public void An_id_is_required_and_at_most_64_characters(string value, string description)
    {
        var v = new RequestValidation();
        v.Id("id", value);
        Assert.Equal(new FieldViolation("id", description), Refused(v));
    }

    [Fact]
    public void An_id_of_64_characters_is_accepted_trimmed()
    {
        var v = new RequestValidation();
        var id = new string('x', 64);
        Assert.Equal(id, v.Id("id", $" {id} "));
        Accepted(v);
    }

    [Fact]
    public void A_range_without_dates_names_both_ends_with_what_each_is()
    {
        var v = new RequestValidation();
        v.DateRange("start_date", null, "end_date", null, 20);
        var error = Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid);
        Assert.Equal([new FieldViolation("start_date", "is required: the first day of the range"), new FieldViolation("end_date", "is required: the first day after the range")], error.Violations);
    }

    [Fact]
    public void A_range_may_end_on_the_first_day_of_year_9999_and_no_later_than_its_length_allows()
    {
        static Google.Type.Date D(int y, int m, int d) => new() { Year = y, Month = m, Day = d };
        var v = new RequestValidation();
        Assert.Equal((new DateOnly(9979, 1, 1), new DateOnly(9999, 1, 1)), v.DateRange("start_date", D(9979, 1, 1), "end_date", D(9999, 1, 1), 20));
        Accepted(v);
        v.DateRange("start_date", D(9990, 1, 1), "end_date", D(9999, 12, 31), 20);
        Assert.Equal(new FieldViolation("end_date", "9999-12-31 is more than 20 years after start_date 9990-01-01"), Refused(v));
    }

    // ---- ReadContext: the instant and snapshot time an answer reports -------------------------------------------------

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_answer_of_current_knowledge_is_answered_now_and_one_known_at_an_instant_at_that_instant()
    {
        Assert.Equal(Now.UtcDateTime, ReadContext.Answered(DateTime.MaxValue, new FixedClock(Now)));
        var then = ReadContext.Answered(new DateTime(2025, 11, 15, 8, 0, 0, DateTimeKind.Unspecified), new FixedClock(Now));
        Assert.Equal(new DateTime(2025, 11, 15, 8, 0, 0), then);
        Assert.Equal(DateTimeKind.Utc, then.Kind);
    }

    [Fact]
    public void Only_an_answer_from_the_snapshot_carries_its_time_to_the_second()
    {
        var snapshot = new PolicyService.Server.Storage.ReadSource(null!, 7, Now.AddMilliseconds(900));
        Assert.Equal(Now.ToUnixTimeSeconds(), ReadContext.SnapshotTime(snapshot, DateTime.MaxValue)!.Seconds);
        Assert.Null(ReadContext.SnapshotTime(snapshot, Now.UtcDateTime));
        Assert.Null(ReadContext.SnapshotTime(new PolicyService.Server.Storage.ReadSource(null!, 7, null), DateTime.MaxValue));

        var coverage = new TradePolicy.V1.Coverage().WithSnapshotTime(ReadContext.SnapshotTime(snapshot, DateTime.MaxValue));
        Assert.Equal(Now.ToUnixTimeSeconds(), coverage.SnapshotTime.Seconds);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
