using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace PolicyService.Server.Storage;

public sealed class SqlServerDialect(string connectionString) : ISqlDialect
{
    public string Name => "sqlserver";

    public DbConnection CreateConnection() => new SqlConnection(connectionString);

    public string FirstRows(string countParameter) => $"OFFSET 0 ROWS FETCH NEXT {countParameter} ROWS ONLY";

    public string CreateMigrationJournal => """
        IF OBJECT_ID(N'schema_migrations', N'U') IS NULL
        CREATE TABLE schema_migrations (
            version     INT NOT NULL PRIMARY KEY,
            name        NVARCHAR(200) NOT NULL,
            applied_at  DATETIME2(3) NOT NULL
        );
        """;

    // Two migrators (e.g. a Job retried during a rollout) queue here instead of racing; session-owned, so it is held
    // before the migration transaction (and its snapshot) begins.
    public string TakeMigrationLock => """
        DECLARE @result INT;
        EXEC @result = sp_getapplock @Resource = N'PolicyService.migrate', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 120000;
        IF @result < 0 THROW 51000, N'Could not take the PolicyService migration lock.', 1;
        """;

    public string ReleaseMigrationLock => "EXEC sp_releaseapplock @Resource = N'PolicyService.migrate', @LockOwner = N'Session';";

    public string TakeWriteLock => """
        DECLARE @result INT;
        EXEC @result = sp_getapplock @Resource = N'PolicyService.write', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000;
        IF @result < 0 THROW 51001, N'Could not take the PolicyService write lock in time.', 1;
        """;

    public DbTransaction BeginWriteTransaction(DbConnection connection) => connection.BeginTransaction(IsolationLevel.Serializable);

    // Connection failures, timeouts, deadlocks and Azure SQL's transient errors: the caller may retry later.
    private static readonly HashSet<int> TransientNumbers = [-2, 2, 53, 121, 233, 1205, 4060, 4221, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40613, 49918, 49919, 49920, 51001];

    public bool IsUnavailable(Exception exception) => exception switch
    {
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => TransientNumbers.Contains(e.Number)) || sql.Class >= 20,
        TimeoutException => true,
        _ => false,
    };
}
