using Microsoft.Data.Sqlite;
using PolicyService.Server.Domain;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

public class SqliteStorageFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SqliteDialect Dialect = new("Data Source=:memory:");

    [Theory]
    [InlineData(11, "database disk image is malformed")]
    [InlineData(13, "database or disk is full")]
    [InlineData(26, "file is not a database")]
    [InlineData(1, "no such table: change_log")]
    public void Faults_of_the_file_are_storage_faults(int code, string message) =>
        Assert.True(Dialect.IsUnavailable(new SqliteException($"SQLite Error {code}: '{message}'.", code)));

    [Fact]
    public void Other_sql_errors_stay_bugs() =>
        Assert.False(Dialect.IsUnavailable(new SqliteException("SQLite Error 1: 'near \"SELEC\": syntax error'.", 1)));

    [Fact]
    public async Task A_database_file_moved_away_fails_the_probe_and_is_not_recreated_empty()
    {
        var directory = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "policy.db");
        var dialect = SqliteDialect.ForFile(path);
        var store = new PolicyStore(dialect);
        try
        {
            await new Migrator(dialect).MigrateAsync(Ct);
            Assert.Equal(0, await store.ProbeLatestChangeAsync(Ct));
            await store.PingAsync(Ct); // leaves a pooled connection on the file
            File.Move(path, path + ".aside");

            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ProbeLatestChangeAsync(Ct));
            Assert.False(File.Exists(path)); // the driver must not silently create an empty database in its place
        }
        finally
        {
            store.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
