using System.Data;
using Dapper;

namespace PolicyService.Server.Storage;

/// <summary>
/// The Dapper store: its reads (PolicyStore.Reads.cs) and its one write transaction (PolicyStore.Writes.cs). Its SQL is
/// shared by both databases (<see cref="PolicySql"/>); <see cref="ISqlDialect"/> carries the differences and
/// <see cref="StoreExecutor"/> runs every call.
/// </summary>
public sealed partial class PolicyStore : IPolicyStore, IDisposable
{
    /// <summary>Parsed versions kept per kind of record (two generations of this many; see <see cref="VersionCache{T}"/>).</summary>
    public const int VersionCacheCapacity = 20_000;

    private readonly ISqlDialect _dialect;

    /// <summary>The database's file when it is embedded (SQLite); null for SQL Server.</summary>
    public string? DatabaseFile => _dialect.DatabaseFile;
    private readonly StoreExecutor _db;

    static PolicyStore()
    {
        DateOnlyHandler.Register();
        // DATETIME2, not DATETIME: full precision, and room for DateTime.MaxValue ("known now").
        SqlMapper.AddTypeMap(typeof(DateTime), DbType.DateTime2);
        SqlMapper.AddTypeMap(typeof(DateTime?), DbType.DateTime2);
    }

    public PolicyStore(ISqlDialect dialect)
    {
        _dialect = dialect;
        _db = new StoreExecutor(dialect);
        Sql = new PolicySql(dialect);
    }

    /// <summary>Closes the connections kept for prepared reads.</summary>
    public void Dispose() => _db.Dispose();

    /// <summary>Every command this store has sent to the database, by operation.</summary>
    public StoreRoundTrips RoundTrips => _db.RoundTrips;

    /// <summary>The SQL this store runs, for tests that parse it.</summary>
    public PolicySql Sql { get; }

    public Task PingAsync(CancellationToken ct) =>
        _db.RunAsync(StoreOperation.Ping, db => db.ExecuteScalarAsync<int>(_db.Command(StoreOperation.Ping, Sql.ChangeLog.Ping, null, ct)), ct);

    public Task<long> ProbeLatestChangeAsync(CancellationToken ct) =>
        _db.ProbeAsync(StoreOperation.LatestChange, async db =>
            await db.ExecuteScalarAsync<long?>(_db.Command(StoreOperation.LatestChange, Sql.ChangeLog.LatestChange, null, ct)) ?? 0, ct);

    public void ResetConnections() => _db.ResetConnections();
}
