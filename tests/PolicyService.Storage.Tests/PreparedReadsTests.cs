using System.Data.Common;
using System.Text.Json;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>
/// Lookups run one of two ways: with commands kept prepared on open connections (SQLite) or with a new command on a pooled
/// connection (SQL Server). Both bind the same parameters and read the same rows; here both run against one SQLite
/// database and must answer alike.
/// </summary>
public sealed class PreparedReadsTests : IClassFixture<SqliteTestDatabase>, IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ISqlDialect _dialect;

    public PreparedReadsTests(SqliteTestDatabase database) => _dialect = database.Dialect!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var migrator = new Migrator(_dialect);
        if (await migrator.CurrentVersionAsync(Ct) == 0)
        {
            await migrator.MigrateAsync(Ct);
            using var store = new PolicyStore(_dialect);
            await store.ApplyAsync(SeedData.ChangeSet(SeedData.Load()), Ct);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("US", "CN", "8507600020")]
    [InlineData("US", "MX", "8507600020")]
    [InlineData("CN", "US", "1201900000")]
    [InlineData("US", "CN", "0101210010")]
    public async Task Prepared_and_pooled_reads_find_the_same_tariff_candidates(string importer, string origin, string code)
    {
        Assert.True(_dialect.KeepsPreparedReads);
        using var prepared = new PolicyStore(_dialect);
        using var pooled = new PolicyStore(new PooledOnly(_dialect));

        var expected = await pooled.FindTariffCandidatesAsync(importer, origin, code, DateTime.MaxValue, Ct);
        for (var i = 0; i < 3; i++) // the first call prepares, the later ones reuse
        {
            var actual = await prepared.FindTariffCandidatesAsync(importer, origin, code, DateTime.MaxValue, Ct);
            Assert.Equal(JsonSerializer.Serialize(expected, Json), JsonSerializer.Serialize(actual, Json));
        }
        Assert.NotEmpty(expected);
    }

    [Theory]
    [InlineData("CN", "US", null, "gallium")]
    [InlineData("CN", "US", "8112929010", null)]
    [InlineData("US", "CN", null, "advanced computing chips")]
    public async Task Prepared_and_pooled_reads_find_the_same_export_candidates(string exporter, string destination, string? code, string? name)
    {
        using var prepared = new PolicyStore(_dialect);
        using var pooled = new PolicyStore(new PooledOnly(_dialect));
        var item = new ExportItem(code, name);

        var expected = await pooled.FindExportCandidatesAsync(exporter, destination, item, DateTime.MaxValue, Ct);
        for (var i = 0; i < 3; i++)
        {
            var actual = await prepared.FindExportCandidatesAsync(exporter, destination, item, DateTime.MaxValue, Ct);
            Assert.Equal(JsonSerializer.Serialize(expected, Json), JsonSerializer.Serialize(actual, Json));
        }
    }

    [Fact]
    public async Task Many_lookups_at_once_share_a_bounded_set_of_connections_and_all_answer()
    {
        using var store = new PolicyStore(_dialect);
        var lookups = Enumerable.Range(0, 64).Select(i => store.FindTariffCandidatesAsync("US", i % 2 == 0 ? "CN" : "VN", "8507600020", DateTime.MaxValue, Ct));

        var answers = await Task.WhenAll(lookups);

        Assert.All(answers.Where((_, i) => i % 2 == 0), a => Assert.Equal(answers[0].Count, a.Count));
        Assert.Equal(64, store.RoundTrips[StoreOperation.FindTariffCandidates]);
    }

    /// <summary>The same SQLite database, read the way the SQL Server dialect reads: a new command each time.</summary>
    private sealed class PooledOnly(ISqlDialect inner) : ISqlDialect
    {
        public string Name => inner.Name;
        public DbConnection CreateConnection() => inner.CreateConnection();
        public string FirstRows(string countParameter) => inner.FirstRows(countParameter);
        public string CreateMigrationJournal => inner.CreateMigrationJournal;
        public string TakeMigrationLock => inner.TakeMigrationLock;
        public string ReleaseMigrationLock => inner.ReleaseMigrationLock;
        public string TakeWriteLock => inner.TakeWriteLock;
        public string ReleaseWriteLock => inner.ReleaseWriteLock;
        public void Discard(DbConnection connection) => inner.Discard(connection);
        public DbTransaction BeginWriteTransaction(DbConnection connection) => inner.BeginWriteTransaction(connection);
        public bool IsUnavailable(Exception exception) => inner.IsUnavailable(exception);
    }
}
