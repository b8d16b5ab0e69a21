using System.Data.Common;
using Dapper;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>The SQL Server dialect's application locks belong to one database: two databases on one server never wait on each other.</summary>
public class ApplicationLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_writer_holding_the_write_lock_in_one_database_does_not_block_a_writer_in_another()
    {
        await using var first = new SqlServerTestDatabase();
        Assert.SkipWhen(first.Dialect is null, first.SkipReason);
        await using var second = new SqlServerTestDatabase();

        await using var holder = await OpenAsync(first.Dialect!);
        await using var held = first.Dialect!.BeginWriteTransaction(holder);
        await holder.ExecuteAsync(new CommandDefinition(first.Dialect.TakeWriteLock, transaction: held, cancellationToken: Ct));

        // Babelfish keeps application locks per cluster: without the database in the lock's name this waits 30 s, then throws 51001.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var other = await OpenAsync(second.Dialect!);
        await using var tx = second.Dialect!.BeginWriteTransaction(other);
        await other.ExecuteAsync(new CommandDefinition(second.Dialect.TakeWriteLock, transaction: tx, cancellationToken: Ct));
        await tx.RollbackAsync(Ct);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"waited {watch.Elapsed.TotalSeconds:F1} s for another database's lock");
        await held.RollbackAsync(Ct);
    }

    private static async Task<DbConnection> OpenAsync(ISqlDialect dialect)
    {
        var connection = dialect.CreateConnection();
        await connection.OpenAsync(Ct);
        return connection;
    }
}
