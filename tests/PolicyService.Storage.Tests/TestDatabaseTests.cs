using Microsoft.Data.SqlClient;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>The test databases clean up after themselves: a failing cleanup is not reported by the class fixture.</summary>
public class TestDatabaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sql_server_test_database_is_dropped_when_disposed_even_after_use()
    {
        var database = new SqlServerTestDatabase();
        Assert.SkipWhen(database.Dialect is null, database.SkipReason);
        var name = database.Name;
        await new Migrator(database.Dialect!).MigrateAsync(Ct); // leaves pooled connections to the database open

        await database.DisposeAsync();

        await using var master = database.Master();
        await master.OpenAsync(Ct);
        await using var find = master.CreateCommand();
        find.CommandText = "SELECT COUNT(*) FROM sys.databases WHERE name = @name";
        find.Parameters.Add(new SqlParameter("@name", name));
        Assert.Equal(0, Convert.ToInt32(await find.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
    }
}
