using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PolicyService.Server.Storage;

public sealed class SqliteDialect(string connectionString) : ISqlDialect
{
    public string Name => "sqlite";

    public string? DatabaseFile { get; } = new SqliteConnectionStringBuilder(connectionString).DataSource is { Length: > 0 } file
        && file != ":memory:" && !file.StartsWith("file:", StringComparison.Ordinal) ? Path.GetFullPath(file) : null;

    public DbConnection CreateConnection() => new SqliteConnection(connectionString);

    public string FirstRows(string countParameter) => $"LIMIT {countParameter}";

    public string CreateMigrationJournal => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER NOT NULL PRIMARY KEY,
            name        TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        )
        """;

    // BEGIN IMMEDIATE (a non-deferred transaction) already takes the database's write lock.
    public string TakeMigrationLock => "SELECT 1";

    public string ReleaseMigrationLock => "SELECT 1";

    public string TakeWriteLock => "SELECT 1";

    public string ReleaseWriteLock => "SELECT 1";

    public void Discard(DbConnection connection) => SqliteConnection.ClearPool((SqliteConnection)connection);

    public bool KeepsPreparedReads => true;

    public DbTransaction BeginWriteTransaction(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    // CORRUPT, FULL and NOTADB are faults of the file, not of the request; plain SQLITE_ERROR only when a table is
    // missing (a replaced or emptied file), since otherwise it can be a bug in our SQL and must stay INTERNAL.
    public bool IsUnavailable(Exception exception) => exception is SqliteException
    {
        SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED or SQLitePCL.raw.SQLITE_CANTOPEN
            or SQLitePCL.raw.SQLITE_IOERR or SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_READONLY
            or SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_FULL
    } || exception is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_ERROR } error && error.Message.Contains("no such table", StringComparison.Ordinal);

    public DbConnection CreateProbeConnection() =>
        new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());

    public void ClearPools() => SqliteConnection.ClearAllPools();

    /// <summary>The embedded default: a file database, created on first use, in WAL mode for concurrent readers.</summary>
    public static SqliteDialect ForFile(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var builder = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Cache = SqliteCacheMode.Private, Pooling = true, DefaultTimeout = 30 };
        // WAL lets readers (in this and other processes) go on while one writer commits; the mode persists in the file.
        using (var connection = new SqliteConnection(builder.ToString()))
        {
            connection.Open();
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL";
            wal.ExecuteNonQuery();
        }
        // From here on the file must exist: a missing file is a fault to report, not an empty database to create silently.
        builder.Mode = SqliteOpenMode.ReadWrite;
        return new SqliteDialect(builder.ToString());
    }
}
