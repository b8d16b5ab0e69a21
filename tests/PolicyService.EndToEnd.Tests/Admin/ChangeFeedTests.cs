using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>Run on every storage provider: see the concrete classes at the end of the file.</summary>
public abstract class ChangeFeedTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : AdminFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    /// <summary>Reads changes from the token until <paramref name="count"/> have arrived.</summary>
    private async Task<List<WatchChangesResponse>> Read(string token, int count)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        // A reader: who recorded each change, and why, is shown to readers only once authentication is configured.
        using var call = fixture.Feed.WatchChanges(new WatchChangesRequest { ResumeToken = token }, fixture.Reader(), cancellationToken: cts.Token);
        var received = new List<WatchChangesResponse>();
        while (received.Count < count && await call.ResponseStream.MoveNext(cts.Token)) received.Add(call.ResponseStream.Current);
        return received;
    }

    private async Task<List<WatchChangesResponse>> ReadUntil(string token, Func<WatchChangesResponse, bool> last)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        // A reader: who recorded each change, and why, is shown to readers only once authentication is configured.
        using var call = fixture.Feed.WatchChanges(new WatchChangesRequest { ResumeToken = token }, fixture.Reader(), cancellationToken: cts.Token);
        var received = new List<WatchChangesResponse>();
        while (await call.ResponseStream.MoveNext(cts.Token))
        {
            received.Add(call.ResponseStream.Current);
            if (last(call.ResponseStream.Current)) break;
        }
        return received;
    }

    [Fact]
    public async Task A_subscriber_that_reconnects_with_its_last_token_misses_nothing_and_sees_nothing_twice()
    {
        var seeded = await Read("", 63); // the seed: 39 tariff measures, 23 export controls, 1 truce
        Assert.Equal(Enumerable.Range(1, 63).Select(i => (long)i), seeded.Select(c => c.Change.Sequence));
        Assert.All(seeded, c => Assert.Equal(("seed", "CREATE"), (c.Change.RecordedBy, c.Change.ChangeKind)));

        // Disconnect after the 40th change, then commit more while away.
        var resumeAt = seeded[39].ResumeToken;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await TestRecords.CreateAsync(fixture, TestRecords.ToyDuty(TestRecords.NewId("FEED")));
            ids.Add(created.Id);
        }

        // Everything after the 40th, without a gap or a repeat, up to and including the three new changes.
        var resumed = await ReadUntil(resumeAt, c => c.Change.ResourceId == ids[^1]);
        Assert.Equal(Enumerable.Range(41, resumed.Count).Select(i => (long)i), resumed.Select(c => c.Change.Sequence));
        var mine = resumed.Where(c => ids.Contains(c.Change.ResourceId)).ToList();
        Assert.Equal(ids, mine.Select(c => c.Change.ResourceId));
        Assert.All(mine, c => Assert.Equal(("analyst-1", "test setup", 1), (c.Change.RecordedBy, c.Change.Reason, c.Change.Version)));
    }

    [Fact]
    public async Task An_anonymous_subscriber_sees_each_change_but_not_who_recorded_it_or_why()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        using var call = fixture.Feed.WatchChanges(new WatchChangesRequest(), cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var first = call.ResponseStream.Current.Change;
        Assert.Equal((1L, "CREATE", "", ""), (first.Sequence, first.ChangeKind, first.RecordedBy, first.Reason));

        var id = TestRecords.NewId("WHO");
        await TestRecords.CreateAsync(fixture, TestRecords.ToyDuty(id));
        var tariffs = fixture.Tariffs;
        var anonymous = (await tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = id }, deadline: Deadline)).TariffMeasure.Recorded;
        Assert.Equal((1, "", ""), (anonymous.Version, anonymous.RecordedBy, anonymous.Reason));
        var reader = (await tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = id }, fixture.Reader(), Deadline)).TariffMeasure.Recorded;
        Assert.Equal(("analyst-1", "test setup"), (reader.RecordedBy, reader.Reason));
        var listed = (await tariffs.ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = 1000 }, deadline: Deadline)).TariffMeasures;
        Assert.All(listed, m => Assert.Equal("", m.Recorded.RecordedBy));
    }

    [Fact]
    public async Task A_new_commit_reaches_a_live_subscriber()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        // start_at_end: no backlog, only what commits from now on (whatever other tests wrote before).
        using var call = fixture.Feed.WatchChanges(new WatchChangesRequest { StartAtEnd = true }, cancellationToken: cts.Token);
        await call.ResponseHeadersAsync; // the server has fixed its starting point
        var next = call.ResponseStream.MoveNext(cts.Token);
        var created = await TestRecords.CreateAsync(fixture, TestRecords.ToyDuty(TestRecords.NewId("LIVE")));
        Assert.True(await next);
        // Records the other tests of this class committed earlier (how many depends on the test order) come first; the new one follows.
        while (call.ResponseStream.Current.Change.ResourceId != created.Id) Assert.True(await call.ResponseStream.MoveNext(cts.Token));
    }

    [Fact]
    public async Task A_forged_resume_token_is_invalid_argument()
    {
        using var call = fixture.Feed.WatchChanges(new WatchChangesRequest { ResumeToken = "bm90LWEtdG9rZW4" }, deadline: Deadline);
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["resume_token"], e.ViolatedFields());
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_cut_off_with_resource_exhausted()
    {
        // Enough changes to fill the HTTP/2 flow-control window of a subscriber that reads nothing.
        var bulk = new ImportChangesRequest { RequestId = Guid.NewGuid().ToString(), Reason = "bulk for the slow-subscriber test" };
        for (var i = 0; i < 1500; i++) bulk.Changes.Add(new PolicyChange { CreateTariffMeasure = TestRecords.ToyDuty(TestRecords.NewId("SLOW")) });
        await fixture.Admin.ImportAsync(bulk, fixture.Editor());

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        using var call = fixture.Feed.WatchChanges(new WatchChangesRequest(), cancellationToken: cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(5), cts.Token); // the server's send timeout is 2 s

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(cts.Token))
            {
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }
}

public sealed class SqliteChangeFeedTests(AdminFixture fixture) : ChangeFeedTests<AdminFixture>(fixture);

public sealed class SqlServerChangeFeedTests(SqlServerAdminFixture fixture) : ChangeFeedTests<SqlServerAdminFixture>(fixture);
