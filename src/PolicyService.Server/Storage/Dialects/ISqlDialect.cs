using System.Data.Common;

namespace PolicyService.Server.Storage;

/// <summary>The seam between the two databases: everything that differs between SQLite and SQL Server is here.</summary>
public interface ISqlDialect
{
    /// <summary>The database's file, for an embedded database (beside it go the snapshot files); null for a server.</summary>
    string? DatabaseFile => null;

    /// <summary>"sqlite" or "sqlserver": also the folder of this dialect's migrations.</summary>
    string Name { get; }

    DbConnection CreateConnection();

    /// <summary>The clause that keeps the first rows of an ordered query.</summary>
    string FirstRows(string countParameter);

    /// <summary>Creates the migration journal if it is missing (idempotent).</summary>
    string CreateMigrationJournal { get; }

    /// <summary>
    /// Serialises concurrent migrators: run on the connection before the migration transaction begins, held by the session
    /// until <see cref="ReleaseMigrationLock"/> (no-op where the transaction itself locks). Taken outside the transaction so
    /// that a snapshot-isolation engine takes the transaction's snapshot after the previous migrator committed.
    /// </summary>
    string TakeMigrationLock { get; }

    /// <summary>Releases <see cref="TakeMigrationLock"/>, after the migration transaction has ended.</summary>
    string ReleaseMigrationLock { get; }

    /// <summary>
    /// Serialises writers, so commits happen in change-log order: taken on the connection before the write transaction
    /// begins (as <see cref="TakeMigrationLock"/>, for the same snapshot reason), held until <see cref="ReleaseWriteLock"/>.
    /// </summary>
    string TakeWriteLock { get; }

    /// <summary>Releases <see cref="TakeWriteLock"/>, after the write transaction has ended.</summary>
    string ReleaseWriteLock { get; }

    /// <summary>Keeps a connection out of the pool once it is closed (its session, and any lock it still holds, ends).</summary>
    void Discard(DbConnection connection);

    /// <summary>Opens a transaction that excludes other writers from the start.</summary>
    DbTransaction BeginWriteTransaction(DbConnection connection);

    /// <summary>True when the exception means the database cannot be reached or is busy, not that the request was wrong.</summary>
    bool IsUnavailable(Exception exception);

    /// <summary>
    /// What is wrong with the configuration when the exception means the database refuses it (a login failure, an unknown
    /// database, a TLS or certificate error), so retrying cannot help; null otherwise. See <see cref="StoreMisconfiguredException"/>.
    /// </summary>
    string? Misconfiguration(Exception exception) => null;

    /// <summary>
    /// Whether the store keeps its lookup commands prepared on open connections (see <see cref="PreparedReads"/>): worth it
    /// where the driver compiles every new command (SQLite); SQL Server caches plans on the server, so it keeps pooling.
    /// </summary>
    bool KeepsPreparedReads => false;

    // Storage-fault recovery: how the refresher sees the database as a new connection would, and starts over.

    /// <summary>A connection that bypasses any pool, so a probe finds a replaced or missing database that pooled connections hide.</summary>
    DbConnection CreateProbeConnection() => CreateConnection();

    /// <summary>Closes idle pooled connections, so the next ones reopen the database (e.g. a file restored under a new inode).</summary>
    void ClearPools()
    {
    }
}
