using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>The calendar of scheduled changes over the seeded data, on every storage provider.</summary>
public abstract class CalendarTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    private CalendarService.CalendarServiceClient Calendar => new(fixture.Server.Channel);

    private static ListScheduledChangesRequest UsChina(string from = "2026-10-01", string to = "2027-02-01", int pageSize = 1000) =>
        new() { Jurisdiction = "US", Counterpart = "CN", StartDate = Date(from), EndDate = Date(to), PageSize = pageSize };

    private static string Iso(Google.Type.Date d) => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";

    [Fact]
    public async Task What_changes_between_the_US_and_China_from_October_2026_lists_the_truce_cliff_and_the_gallium_ban()
    {
        var page = await Calendar.ListScheduledChangesAsync(UsChina(), deadline: Deadline);
        var changes = page.ScheduledChanges;

        Assert.Equal("", page.NextPageToken);
        Assert.All(changes.Zip(changes.Skip(1)), pair => Assert.True(string.CompareOrdinal(Iso(pair.First.Date), Iso(pair.Second.Date)) <= 0));
        Assert.All(changes, c => Assert.InRange(Iso(c.Date), "2026-10-01", "2027-01-31"));

        // The truce's window in force (extended to 2026-11-10 by the November 2025 instruments) expires…
        var expiry = Assert.Single(changes, c => c.Kind == ScheduledChangeKind.TruceExpires);
        Assert.Equal(("2026-11-10", "TRUCE-US-CN-2025", "truce"), (Iso(expiry.Date), expiry.RecordId, expiry.ResourceType));
        // …and with it the suspension of 24 points of the reciprocal duty: 10 → 34.
        var reciprocal = Assert.Single(changes, c => c.RecordId == "TAR-US-17" && c.Kind == ScheduledChangeKind.SuspensionEnds);
        Assert.Equal(("2026-11-10", "10", "34", "TRU-15", "TRUCE-US-CN-2025"),
            (Iso(reciprocal.Date), reciprocal.AdValoremPercentBefore, reciprocal.AdValoremPercentAfter, reciprocal.TruceTermId, reciprocal.TruceId));
        // China's suspension of the US-specific gallium and germanium ban runs "to 2026-11-27": that day is the last
        // one covered (Seed/README.md, one end-date rule), so the ban applies again from 2026-11-28.
        var gallium = Assert.Single(changes, c => c.RecordId == "EXC-CN-04.2");
        Assert.Equal(("2026-11-28", ScheduledChangeKind.SuspensionEnds, "export_control"), (Iso(gallium.Date), gallium.Kind, gallium.ResourceType));
        Assert.All(changes, c => Assert.NotEqual(Confidence.Unspecified, c.Confidence));
        Assert.All(changes, c => Assert.NotEmpty(c.Description));

        Assert.True(page.Coverage.Covered);
        Assert.True(page.Coverage.BeyondReviewedHorizon);   // the range runs past 2026-10-08
    }

    [Fact]
    public async Task Walking_every_page_gives_the_whole_calendar_once_in_order()
    {
        var whole = (await Calendar.ListScheduledChangesAsync(UsChina("2025-01-01", "2027-02-01"), deadline: Deadline)).ScheduledChanges;
        Assert.True(whole.Count > 20, $"{whole.Count} changes");

        var walked = new List<ScheduledChange>();
        var request = UsChina("2025-01-01", "2027-02-01", pageSize: 7);
        do
        {
            var page = await Calendar.ListScheduledChangesAsync(request, deadline: Deadline);
            Assert.True(page.ScheduledChanges.Count <= 7);
            walked.AddRange(page.ScheduledChanges);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(whole, walked);
    }

    [Fact]
    public async Task A_pair_the_data_does_not_cover_lists_what_it_holds_and_says_what_it_misses()
    {
        var page = await Calendar.ListScheduledChangesAsync(new ListScheduledChangesRequest
        {
            Jurisdiction = "US", Counterpart = "VN", StartDate = Date("2026-01-01"), EndDate = Date("2027-01-01"),
        }, deadline: Deadline);

        Assert.DoesNotContain(page.ScheduledChanges, c => c.RecordId.StartsWith("TAR-CN", StringComparison.Ordinal) || c.RecordId == "TAR-US-17");
        Assert.Contains(page.ScheduledChanges, c => c.RecordId == "TAR-US-24");   // the all-origin Section 122 surcharge ends 2026-07-24
        Assert.False(page.Coverage.Covered);
        Assert.Contains("origin-specific US measures for VN", page.Coverage.Uncovered);
        Assert.Contains("truces between US and VN", page.Coverage.Uncovered);
    }

    [Fact]
    public async Task Bad_input_is_invalid_argument_naming_each_field()
    {
        async Task<IReadOnlyList<string>> Fields(ListScheduledChangesRequest request) =>
            (await Assert.ThrowsAsync<RpcException>(async () => await Calendar.ListScheduledChangesAsync(request, deadline: Deadline))).ViolatedFields();

        Assert.Equal(["counterpart", "jurisdiction"], (await Fields(new ListScheduledChangesRequest
        {
            Jurisdiction = "USA", Counterpart = "C1", StartDate = Date("2026-01-01"), EndDate = Date("2027-01-01"),
        })).Order(StringComparer.Ordinal));
        Assert.Equal(["end_date", "start_date"], (await Fields(new ListScheduledChangesRequest())).Order(StringComparer.Ordinal));
        Assert.Equal(["end_date"], await Fields(UsChina("2026-01-01", "2026-01-01")));
        Assert.Equal(["end_date"], await Fields(UsChina("2026-01-01", "2047-01-02")));
        Assert.Equal(["page_size"], await Fields(UsChina(pageSize: -1)));

        var first = await Calendar.ListScheduledChangesAsync(UsChina(pageSize: 2), deadline: Deadline);
        var otherRange = UsChina("2026-10-02", pageSize: 2);
        otherRange.PageToken = first.NextPageToken;
        Assert.Equal(["page_token"], await Fields(otherRange));   // a token is bound to its filters
    }
}

public sealed class SqliteCalendarTests(ServerFixture fixture) : CalendarTests<ServerFixture>(fixture);

public sealed class SqlServerCalendarTests(SqlServerFixture fixture) : CalendarTests<SqlServerFixture>(fixture);
