using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>Migrators started at once on an empty database (a Job retried during a rollout) all succeed, one applying.</summary>
public class ConcurrentMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task Migrators_at_once_all_succeed_and_apply_each_migration_once(ITestDatabase database)
    {
        Assert.SkipWhen(database.Dialect is null, database.SkipReason);
        var migrators = Enumerable.Range(0, 4).Select(_ => new Migrator(database.Dialect!)).ToList();
        using var start = new Barrier(migrators.Count);
        var applied = await Task.WhenAll(migrators.Select(m => Task.Run(async () =>
        {
            start.SignalAndWait(Ct);
            return await m.MigrateAsync(Ct);
        }, Ct)));
        // Versions need not be contiguous (a number can be taken by a branch not merged yet): each script is applied once.
        Assert.Equal(migrators[0].Migrations.Count, applied.Sum());
        Assert.Equal(1, applied.Count(a => a > 0));
        Assert.Equal(migrators[0].LatestVersion, await migrators[0].CurrentVersionAsync(Ct));
    }

    [Fact]
    public async Task On_sqlite()
    {
        await using var database = new SqliteTestDatabase();
        await Migrators_at_once_all_succeed_and_apply_each_migration_once(database);
    }

    [Fact]
    public async Task On_sql_server()
    {
        await using var database = new SqlServerTestDatabase();
        await Migrators_at_once_all_succeed_and_apply_each_migration_once(database);
    }
}
