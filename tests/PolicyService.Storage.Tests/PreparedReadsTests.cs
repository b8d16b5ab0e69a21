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
    [InlineData("US", "CN", "85076000")]   // a less specific code: its own prefixes and the longer ones under it
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
    [InlineData("CN", "US", "811292", null)]
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
    public async Task Past_the_bound_a_read_waits_for_a_connection_to_come_back_instead_of_opening_another()
    {
        var counting = new CountingDialect(_dialect);
        using (var reads = new PreparedReads(counting))
        {
            var rented = new List<PreparedReads.Session>();
            for (var i = 0; i < PreparedReads.MaxOpen; i++) rented.Add(await reads.RentAsync(Ct));
            Assert.Equal(PreparedReads.MaxOpen, counting.Open);

            // Every connection is in use: the next rent cannot be served until one comes back.
            var waiting = reads.RentAsync(Ct);
            Assert.False(waiting.IsCompleted, "a rent past the bound was served at once");
            Assert.Equal(PreparedReads.MaxOpen, counting.Open);

            reads.Return(rented[0]);
            var served = await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.Same(rented[0], served); // the connection given back, not a new one
            Assert.Equal(PreparedReads.MaxOpen, counting.Opened);

            reads.Return(served);
            foreach (var session in rented.Skip(1)) reads.Return(session);
            Assert.Equal(PreparedReads.MaxOpen, counting.Open); // idle, kept open for the next reads
        }
        Assert.Equal(0, counting.Open); // disposing closes them all
    }

    [Fact]
    public async Task Many_lookups_at_once_never_hold_more_connections_than_the_bound_and_all_answer_alike()
    {
        var counting = new CountingDialect(_dialect);
        using var store = new PolicyStore(counting);
        using var reference = new PolicyStore(new PooledOnly(_dialect));
        var expected = JsonSerializer.Serialize(await reference.FindTariffCandidatesAsync("US", "CN", "8507600020", DateTime.MaxValue, Ct), Json);

        // From the thread pool, so the lookups overlap (each one alone finishes in microseconds).
        using var start = new ManualResetEventSlim();
        var lookups = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            start.Wait(Ct);
            return JsonSerializer.Serialize(await store.FindTariffCandidatesAsync("US", "CN", "8507600020", DateTime.MaxValue, Ct), Json);
        }, Ct)).ToList();
        start.Set();
        var answers = await Task.WhenAll(lookups);

        Assert.All(answers, a => Assert.Equal(expected, a));
        Assert.Contains("TAR-US-14", expected, StringComparison.Ordinal);
        Assert.InRange(counting.Peak, 1, PreparedReads.MaxOpen);
        Assert.Equal(64, store.RoundTrips[StoreOperation.FindTariffCandidates]);
    }

    /// <summary>The real dialect, counting the connections it hands out as they open and close.</summary>
    private sealed class CountingDialect(ISqlDialect inner) : ISqlDialect
    {
        private int _open, _opened, _peak;

        public int Open => Volatile.Read(ref _open);

        public int Opened => Volatile.Read(ref _opened);

        public int Peak => Volatile.Read(ref _peak);

        public DbConnection CreateConnection()
        {
            var connection = inner.CreateConnection();
            connection.StateChange += (_, e) =>
            {
                if (e.CurrentState == System.Data.ConnectionState.Open && e.OriginalState != System.Data.ConnectionState.Open)
                {
                    Interlocked.Increment(ref _opened);
                    var now = Interlocked.Increment(ref _open);
                    for (var peak = Peak; now > peak && Interlocked.CompareExchange(ref _peak, now, peak) != peak; peak = Peak)
                    {
                    }
                }
                else if (e.OriginalState == System.Data.ConnectionState.Open && e.CurrentState == System.Data.ConnectionState.Closed)
                {
                    Interlocked.Decrement(ref _open);
                }
            };
            return connection;
        }

        public bool KeepsPreparedReads => inner.KeepsPreparedReads;
        public string Name => inner.Name;
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
