using PolicyService.Server.Domain;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

public sealed class VersionCacheTests
{
    [Fact]
    public void A_version_added_is_found_and_another_version_of_the_same_record_is_not()
    {
        var cache = new VersionCache<string>(10);
        cache.Add("M-1", 1, "first");

        Assert.True(cache.TryGet("M-1", 1, out var found));
        Assert.Equal("first", found);
        Assert.False(cache.TryGet("M-1", 2, out _));
        Assert.False(cache.TryGet("M-2", 1, out _));
    }

    [Fact]
    public void It_holds_at_most_two_generations_and_keeps_what_is_asked_for()
    {
        var cache = new VersionCache<string>(100);
        cache.Add("HOT", 1, "hot");
        for (var i = 0; i < 1000; i++)
        {
            cache.Add($"M-{i}", 1, "cold");
            Assert.True(cache.TryGet("HOT", 1, out _)); // asked for all the time: carried into each new generation
        }

        Assert.InRange(cache.Count, 1, 200);
        Assert.False(cache.TryGet("M-0", 1, out _));    // aged out
        Assert.True(cache.TryGet("M-999", 1, out _));
    }
}

/// <summary>The store's cache of parsed versions never hides a change: lookups see each new version, and old ones as known at.</summary>
public sealed class CachedLookupTests : IClassFixture<SqliteTestDatabase>, IAsyncLifetime
{
    private readonly ISqlDialect _dialect;
    private readonly PolicyStore _store;

    public CachedLookupTests(SqliteTestDatabase database)
    {
        _dialect = database.Dialect!;
        _store = new PolicyStore(_dialect);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var migrator = new Migrator(_dialect);
        if (await migrator.CurrentVersionAsync(Ct) == 0)
        {
            await migrator.MigrateAsync(Ct);
            await _store.ApplyAsync(SeedData.ChangeSet(SeedData.Load()), Ct);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_lookup_after_a_change_sees_the_new_version_and_known_at_still_sees_the_old()
    {
        var measure = new TariffMeasure("TEST-CACHE-1", "US", ["VN"], false, "Cache test duty", TariffKind.Antidumping,
            new ProductScope(false, ["940161"], [], "seats"), "test", Confidence.Confirmed, "", ["S01"],
            [new TariffPeriod("TEST-CACHE-1", new(2020, 1, 1), null, PeriodStatus.InForce, 10m, "+10%", "", null, null, null, "", Confidence.Confirmed)], []);
        await _store.ApplyAsync(Change(measure, ""), Ct);
        var first = await Candidate();                       // parsed and cached
        Assert.Same(first, await Candidate());               // the second lookup is served the parsed version
        var change = await _store.ApplyAsync(Change(measure with { Periods = [measure.Periods[0] with { AdValoremPercent = 35m }] }, first.Recorded!.Etag), Ct);

        var second = await Candidate();
        Assert.Equal(2, second.Recorded!.Version);
        Assert.Equal(35m, second.Periods[0].AdValoremPercent);
        // Known a tick before the change was recorded: the first version, however close the two writes were.
        var asKnownBefore = await Candidate(change.RecordedTime.AddTicks(-1));
        Assert.Equal(1, asKnownBefore.Recorded!.Version);
        Assert.Equal(10m, asKnownBefore.Periods[0].AdValoremPercent);
    }

    private async Task<TariffMeasure> Candidate(DateTime? knownAt = null) =>
        Assert.Single(await _store.FindTariffCandidatesAsync("US", "VN", "9401610000", knownAt ?? DateTime.MaxValue, Ct), m => m.Id == "TEST-CACHE-1");

    private static ChangeSet Change(TariffMeasure m, string etag) =>
        new(new ChangeContext("test", "cache test", ""), [], null, [new RecordChange(m, RecordChange.Update, etag)]);
}
