using System.Reflection;
using Dapper;

namespace PolicyService.Server.Storage;

public sealed record Migration(int Version, string Name, string Script);

/// <summary>
/// Applies this dialect's versioned scripts (embedded from Storage/Migrations/&lt;Dialect&gt;/NNNN_name.sql) in order,
/// each recorded in schema_migrations. Safe to run twice, and concurrently: the second run waits, then finds nothing to do.
/// </summary>
public sealed class Migrator(ISqlDialect dialect)
{
    public IReadOnlyList<Migration> Migrations { get; } = Load(dialect.Name);

    // The journal's own statements, shared by both dialects (named so that the T-SQL tests parse them too).
    internal const string AppliedVersions = "SELECT version FROM schema_migrations";

    internal const string RecordMigration = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    internal const string CurrentVersion = "SELECT MAX(version) FROM schema_migrations";

    public int LatestVersion => Migrations[^1].Version;

    public static IReadOnlyList<Migration> Load(string dialectName)
    {
        var assembly = typeof(Migrator).Assembly;
        var marker = $".Storage.Migrations.{dialectName}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(marker, StringComparison.OrdinalIgnoreCase) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[(n.IndexOf(marker, StringComparison.OrdinalIgnoreCase) + marker.Length)..^4];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Migration(int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture), file, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>Applies the missing migrations in one transaction; returns how many were applied.</summary>
    public Task<int> MigrateAsync(CancellationToken ct) => MigrateAsync(_ => Task.CompletedTask, ct);

    /// <summary>
    /// Applies the missing migrations, then runs <paramref name="then"/> (e.g. seeding) while still holding the migration
    /// lock, so that a concurrent migrator starts only after both have committed; returns how many migrations were applied.
    /// </summary>
    public async Task<int> MigrateAsync(Func<CancellationToken, Task> then, CancellationToken ct)
    {
        await using var db = dialect.CreateConnection();
        await StoreErrors.OpenAsync(dialect, db, ct);
        // The lock comes first: a transaction begun before it was granted could miss the previous migrator's commit.
        // The lock statement waits up to its own timeout (120 s on SQL Server) behind a migrator that is seeding: the command's
        // default 30 s would give up first, and seeding the product lists takes longer than that on a loaded server.
        await db.ExecuteAsync(new CommandDefinition(dialect.TakeMigrationLock, commandTimeout: 150, cancellationToken: ct));
        int applied;
        try
        {
            applied = await ApplyMissingAsync(db, ct);
            await then(ct);
        }
        catch
        {
            await ReleaseLockAsync(db, quietly: true);
            throw;
        }
        await ReleaseLockAsync(db, quietly: false);
        return applied;
    }

    // A pooled connection outlives this call, so the session-owned lock is released explicitly (not cancellable).
    private async Task ReleaseLockAsync(System.Data.Common.DbConnection db, bool quietly)
    {
        try
        {
            await db.ExecuteAsync(new CommandDefinition(dialect.ReleaseMigrationLock, cancellationToken: CancellationToken.None));
        }
        catch (System.Data.Common.DbException) when (quietly)
        {
            // The connection is broken: its session, and the lock, end with it. The original failure is what matters.
        }
    }

    private async Task<int> ApplyMissingAsync(System.Data.Common.DbConnection db, CancellationToken ct)
    {
        await using var tx = dialect.BeginWriteTransaction(db);
        await db.ExecuteAsync(new CommandDefinition(dialect.CreateMigrationJournal, transaction: tx, cancellationToken: ct));
        var applied = (await db.QueryAsync<int>(new CommandDefinition(AppliedVersions, transaction: tx, cancellationToken: ct))).ToHashSet();

        var count = 0;
        foreach (var migration in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            await db.ExecuteAsync(new CommandDefinition(migration.Script, transaction: tx, cancellationToken: ct));
            await db.ExecuteAsync(new CommandDefinition(
                RecordMigration,
                new { migration.Version, migration.Name, AppliedAt = DateTime.UtcNow }, tx, cancellationToken: ct));
            count++;
        }
        await tx.CommitAsync(ct);
        return count;
    }

    /// <summary>The highest applied version, or 0 when the journal does not exist yet.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken ct)
    {
        await using var db = dialect.CreateConnection();
        await StoreErrors.OpenAsync(dialect, db, ct);
        try
        {
            return await db.ExecuteScalarAsync<int?>(new CommandDefinition(CurrentVersion, cancellationToken: ct)) ?? 0;
        }
        // A missing journal is version 0 even though a missing table otherwise counts as a storage fault (SQLite).
        catch (System.Data.Common.DbException e) when (!dialect.IsUnavailable(e) || e.Message.Contains("schema_migrations", StringComparison.Ordinal))
        {
            return 0; // no journal table yet
        }
    }
}
