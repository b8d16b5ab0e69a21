using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>A fresh, empty database of one dialect, removed when the test class is done.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    /// <summary>Null when this database is not available here (the suite then reports its tests as skipped).</summary>
    ISqlDialect? Dialect { get; }

    string SkipReason { get; }
}

public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"policyservice-test-{Guid.NewGuid():N}.db");

    public SqliteTestDatabase() => Dialect = SqliteDialect.ForFile(_path);

    public ISqlDialect? Dialect { get; }

    public string SkipReason => "";

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) File.Delete(_path + suffix);
        foreach (var snapshot in Directory.EnumerateFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + ".snapshot.*")) File.Delete(snapshot);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Runs against the SQL Server in POLICYSERVICE_TEST_SQLSERVER: creates a database of its own there and drops it after.
/// </summary>
public sealed class SqlServerTestDatabase : ITestDatabase
{
    public const string Variable = "POLICYSERVICE_TEST_SQLSERVER";

    private readonly string? _server;
    private readonly string _name = $"policyservice_test_{Guid.NewGuid():N}";

    public SqlServerTestDatabase()
    {
        _server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(_server)) return;

        using (var master = new SqlConnection(new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" }.ConnectionString))
        {
            master.Open();
            using var create = master.CreateCommand();
            create.CommandText = $"CREATE DATABASE [{_name}]";
            // Babelfish can refuse CREATE DATABASEs run at once ("tuple concurrently updated"): test classes run in parallel.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    create.ExecuteNonQuery();
                    break;
                }
                catch (SqlException e) when (attempt < 10 && e.Message.Contains("concurrently", StringComparison.OrdinalIgnoreCase))
                {
                    Thread.Sleep(200 * attempt);
                }
            }
        }
        Dialect = new SqlServerDialect(new SqlConnectionStringBuilder(_server) { InitialCatalog = _name }.ConnectionString);
    }

    public ISqlDialect? Dialect { get; }

    public string SkipReason => $"{Variable} is not set: no SQL Server to run the storage suite against.";

    /// <summary>The database this instance created (empty when there is no server).</summary>
    public string Name => Dialect is null ? "" : _name;

    /// <summary>A connection to master on the same server, e.g. to look the database up.</summary>
    public SqlConnection Master() => new(new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" }.ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (Dialect is null) return;
        // Closing every pooled connection leaves none open in the database, so a plain DROP works on every engine
        // (Babelfish has no ALTER DATABASE … SET SINGLE_USER).
        SqlConnection.ClearAllPools();
        await using var master = Master();
        await master.OpenAsync();
        await using var drop = master.CreateCommand();
        drop.CommandText = $"DROP DATABASE [{_name}]";
        await drop.ExecuteNonQueryAsync();
    }
}
