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
    // Lock names carry the database's name: SQL Server scopes application locks to the database already, Babelfish to
    // the whole cluster (every T-SQL database is one PostgreSQL database there), where databases would block each other.
    public string TakeMigrationLock => """
        DECLARE @result INT, @resource NVARCHAR(255) = N'PolicyService.migrate:' + DB_NAME();
        EXEC @result = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 120000;
        IF @result < 0 THROW 51000, N'Could not take the PolicyService migration lock.', 1;
        """;

    public string ReleaseMigrationLock => """
        DECLARE @resource NVARCHAR(255) = N'PolicyService.migrate:' + DB_NAME();
        EXEC sp_releaseapplock @Resource = @resource, @LockOwner = N'Session';
        """;

    public string TakeWriteLock => """
        DECLARE @result INT, @resource NVARCHAR(255) = N'PolicyService.write:' + DB_NAME();
        EXEC @result = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 30000;
        IF @result < 0 THROW 51001, N'Could not take the PolicyService write lock in time.', 1;
        """;

    public string ReleaseWriteLock => """
        DECLARE @resource NVARCHAR(255) = N'PolicyService.write:' + DB_NAME();
        EXEC sp_releaseapplock @Resource = @resource, @LockOwner = N'Session';
        """;

    public void Discard(DbConnection connection) => SqlConnection.ClearPool((SqlConnection)connection);

    public DbTransaction BeginWriteTransaction(DbConnection connection) => connection.BeginTransaction(IsolationLevel.Serializable);

    // Connection failures, timeouts, deadlocks and Azure SQL's transient errors: the caller may retry later.
    private static readonly HashSet<int> TransientNumbers = [-2, 2, 53, 121, 233, 1205, 4221, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40613, 49918, 49919, 49920, 51001];

    // The server refuses the configured login or database: retrying the same settings fails the same way. 4060 (cannot
    // open the login's database) is here although Azure SQL lists it as transient during failover: a database name that
    // does not exist is far likelier, and readiness recovers by itself if it was a failover.
    private static readonly Dictionary<int, string> MisconfiguredNumbers = new()
    {
        [18456] = "login failed: check User Id and Password",
        [18452] = "login failed: the login is from an untrusted domain",
        [18470] = "login failed: the account is disabled",
        [18486] = "login failed: the account is locked out",
        [18487] = "login failed: the password has expired",
        [18488] = "login failed: the password must be changed",
        [4060] = "the database in the connection string cannot be opened: check Database (Initial Catalog)",
        [911] = "the database in the connection string does not exist: check Database (Initial Catalog)",
        [916] = "the login has no access to the database in the connection string",
        [40532] = "the server name in the login does not match the server (Azure SQL)",
    };

    public bool IsUnavailable(Exception exception) => Misconfiguration(exception) is null && exception switch
    {
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => TransientNumbers.Contains(e.Number)) || sql.Class >= 20,
        TimeoutException => true,
        _ => false,
    };

    public string? Misconfiguration(Exception exception)
    {
        if (exception is not SqlException sql) return null;
        foreach (SqlError error in sql.Errors)
        {
            if (MisconfiguredNumbers.TryGetValue(error.Number, out var reason)) return reason;
        }
        // Encrypt/TrustServerCertificate/HostNameInCertificate do not match the server's TLS: no retry will change that.
        return StoreErrors.IsTlsFailure(sql) ? "TLS failed: check Encrypt, TrustServerCertificate and the server's certificate" : null;
    }
}
