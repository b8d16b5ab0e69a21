using System.Data.Common;

namespace PolicyService.Server.Storage;

/// <summary>The seam between the two databases: everything that differs between SQLite and SQL Server is here.</summary>
public interface ISqlDialect
{
    /// <summary>"sqlite" or "sqlserver": also the folder of this dialect's migrations.</summary>
    string Name { get; }

    DbConnection CreateConnection();

    /// <summary>The clause that keeps the first rows of an ordered query.</summary>
    string FirstRows(string countParameter);

    /// <summary>Creates the migration journal if it is missing (idempotent).</summary>
    string CreateMigrationJournal { get; }

    /// <summary>Serialises concurrent migrators for the life of the transaction (no-op where the transaction itself locks).</summary>
    string TakeMigrationLock { get; }

    /// <summary>Serialises writers for the life of the transaction, so commits happen in change-log order.</summary>
    string TakeWriteLock { get; }

    /// <summary>Opens a transaction that excludes other writers from the start.</summary>
    DbTransaction BeginWriteTransaction(DbConnection connection);

    /// <summary>True when the exception means the database cannot be reached or is busy, not that the request was wrong.</summary>
    bool IsUnavailable(Exception exception);

    /// <summary>
    /// Whether the store keeps its lookup commands prepared on open connections (see <see cref="PreparedReads"/>): worth it
    /// where the driver compiles every new command (SQLite); SQL Server caches plans on the server, so it keeps pooling.
    /// </summary>
    bool KeepsPreparedReads => false;

    // Storage-fault recovery (issue 15): how the refresher sees the database as a new connection would, and starts over.

    /// <summary>A connection that bypasses any pool, so a probe finds a replaced or missing database that pooled connections hide.</summary>
    DbConnection CreateProbeConnection() => CreateConnection();

    /// <summary>Closes idle pooled connections, so the next ones reopen the database (e.g. a file restored under a new inode).</summary>
    void ClearPools()
    {
    }
}
