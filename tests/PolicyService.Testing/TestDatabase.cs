using System.Diagnostics;
using System.Text;
using Microsoft.Data.SqlClient;

namespace PolicyService.Testing;

/// <summary>The storage providers the end-to-end cases run on: the same cases, each against its own fresh database.</summary>
public enum StorageProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>
/// A fresh, empty database for real server processes: a SQLite file in a scratch directory, or a database created on the
/// SQL Server in POLICYSERVICE_TEST_SQLSERVER and dropped on disposal (stop the servers first).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string SqlServerVariable = "POLICYSERVICE_TEST_SQLSERVER";

    private readonly string? _server;
    private readonly string _directory;

    private TestDatabase(StorageProvider provider, string? server, string name)
    {
        Provider = provider;
        _server = server;
        Name = name;
        _directory = Directory.CreateTempSubdirectory("policyservice-db-").FullName;
    }

    public StorageProvider Provider { get; }

    /// <summary>The SQL Server database name, or the SQLite file's name.</summary>
    public string Name { get; }

    /// <summary>Why this provider cannot run here, or null when it can.</summary>
    public static string? SkipReason(StorageProvider provider) =>
        provider == StorageProvider.SqlServer && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SqlServerVariable))
            ? $"{SqlServerVariable} is not set: no SQL Server to run the server against (.ci/run starts Babelfish when ../shared/tools/babelfish exists)."
            : null;

    /// <summary>The connection string of this database (SQL Server only).</summary>
    public string ConnectionString => new SqlConnectionStringBuilder(_server) { InitialCatalog = Name }.ConnectionString;

    /// <summary>Server settings that point a server (or <c>migrate</c>) at this database.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings => Provider == StorageProvider.Sqlite
        ? [new("Storage:SqlitePath", Path.Combine(_directory, Name))]
        : [new("Storage:Provider", "SqlServer"), new("ConnectionStrings:Policy", ConnectionString)];

    /// <summary>Creates the database (check <see cref="SkipReason"/> first: the caller's test framework reports the skip).</summary>
    public static async Task<TestDatabase> CreateAsync(StorageProvider provider, CancellationToken ct = default)
    {
        if (SkipReason(provider) is { } reason) throw new InvalidOperationException(reason);
        if (provider == StorageProvider.Sqlite) return new TestDatabase(provider, null, "policy.db");

        var server = Environment.GetEnvironmentVariable(SqlServerVariable)!;
        var database = new TestDatabase(provider, server, $"policyservice_e2e_{Guid.NewGuid():N}");
        await using var master = database.Master();
        await master.OpenAsync(ct);
        await using var create = master.CreateCommand();
        create.CommandText = $"CREATE DATABASE [{database.Name}]";
        // Babelfish can refuse CREATE DATABASEs run at once ("tuple concurrently updated"): test classes run in parallel.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await create.ExecuteNonQueryAsync(ct);
                return database;
            }
            catch (SqlException e) when (attempt < 10 && e.Message.Contains("concurrently", StringComparison.OrdinalIgnoreCase))
            {
                await Task.Delay(200 * attempt, ct);
            }
        }
    }

    /// <summary>The database brought to the current schema and seeded, as a release does before starting servers.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        var (exitCode, output) = await RunMigrateAsync(ct);
        if (exitCode != 0) throw new InvalidOperationException($"migrate exited with {exitCode}:\n{output}");
    }

    /// <summary>Runs the server's <c>migrate</c> command against this database: its exit code and everything it printed.</summary>
    public Task<(int ExitCode, string Output)> RunMigrateAsync(CancellationToken ct = default) => RunMigrateAsync(Settings, ct);

    /// <summary>Runs the server's <c>migrate</c> command with the given settings.</summary>
    public static async Task<(int ExitCode, string Output)> RunMigrateAsync(IEnumerable<KeyValuePair<string, string>> settings, CancellationToken ct = default)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.BuildOutput("PolicyService.Server", "PolicyService.Server.dll"));
        start.ArgumentList.Add("migrate");
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        process.WaitForExit(); // drains the redirected output
        lock (output) return (process.ExitCode, output.ToString());
    }

    private SqlConnection Master() => new(new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" }.ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (Provider == StorageProvider.SqlServer)
        {
            // No connection of this process may stay open in the database; the servers using it are stopped by now.
            SqlConnection.ClearAllPools();
            await using var master = Master();
            await master.OpenAsync();
            await using var drop = master.CreateCommand();
            drop.CommandText = $"DROP DATABASE [{Name}]";
            // A killed server's sessions may take a moment to end on the database server.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await drop.ExecuteNonQueryAsync();
                    break;
                }
                catch (SqlException) when (attempt < 20)
                {
                    await Task.Delay(500);
                }
            }
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
