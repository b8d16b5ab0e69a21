using Dapper;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>
/// Migration 0002 fills tariff_lane_scope from the rows version 1 wrote; the store writes the same rows for every new
/// version. Both must agree, or lookups on a migrated database would miss or invent candidates.
/// </summary>
public sealed class LaneScopeMigrationTests : IClassFixture<SqliteTestDatabase>
{
    private readonly ISqlDialect _dialect;

    public LaneScopeMigrationTests(SqliteTestDatabase database) => _dialect = database.Dialect!;

    [Fact]
    public async Task The_backfill_of_migration_2_produces_exactly_the_rows_the_store_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        await new Migrator(_dialect).MigrateAsync(ct);
        using var store = new PolicyStore(_dialect);
        await store.ApplyAsync(SeedData.ChangeSet(SeedData.Load()), ct);

        await using var db = _dialect.CreateConnection();
        await db.OpenAsync(ct);
        const string all = "SELECT importer || '|' || origin || '|' || prefix || '|' || measure_id || '|' || version FROM tariff_lane_scope ORDER BY 1";
        var written = (await db.QueryAsync<string>(all)).ToList();

        var script = Migrator.Load(_dialect.Name).Single(m => m.Version == 2).Script;
        await db.ExecuteAsync("DELETE FROM tariff_lane_scope");
        await db.ExecuteAsync(script[script.IndexOf("INSERT INTO", StringComparison.Ordinal)..]);
        var backfilled = (await db.QueryAsync<string>(all)).ToList();

        Assert.NotEmpty(written);
        Assert.Contains(written, r => r.StartsWith("US||", StringComparison.Ordinal)); // measures for all origins
        Assert.Contains(written, r => r.StartsWith("US|CN|", StringComparison.Ordinal));
        Assert.Equal(written, backfilled);
    }
}
