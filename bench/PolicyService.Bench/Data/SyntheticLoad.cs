using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using PolicyService.Server.Domain;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;

namespace PolicyService.Bench.Data;

/// <summary>How a database was built: written beside it, so a cached database is reused only when it matches.</summary>
public sealed record LoadReport(
    int SchemaVersion, int GeneratorVersion, int Seed, bool Wide, int Measures, int Controls, int BatchSize, double Seconds, double MeasuresPerSecond,
    long DatabaseBytes, IReadOnlyList<double> BatchSeconds)
{
    public bool Matches(int measures, int controls, int seed, bool wide) =>
        SchemaVersion == new Migrator(new SqliteDialect("Data Source=:memory:")).LatestVersion
        && GeneratorVersion == SyntheticPolicy.Version && Seed == seed && Wide == wide && Measures == measures && Controls == controls;
}

/// <summary>
/// Loads the seed and then synthetic records into a new SQLite database through the normal write path,
/// <see cref="IPolicyStore.ApplyAsync"/>: the same validation-free append of versions, change log and request ids that
/// an analyst's import goes through. Records go in change sets of <c>batchSize</c>, each one transaction.
/// </summary>
public static class SyntheticLoad
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<LoadReport> LoadAsync(string path, int measures, int controls, int batchSize, int seed, bool wide, TextWriter log, CancellationToken ct)
    {
        var building = path + ".building";
        DeleteDatabase(building);
        var dialect = SqliteDialect.ForFile(building);
        var (seconds, measuresPerSecond, batches) = await FillAsync(dialect, measures, controls, batchSize, seed, wide, log, ct);

        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = building }.ToString()))
        {
            await connection.OpenAsync(ct);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA optimize;";
            await checkpoint.ExecuteNonQueryAsync(ct);
        }
        SqliteConnection.ClearAllPools();
        DeleteDatabase(path);
        File.Move(building, path);
        foreach (var suffix in new[] { "-wal", "-shm" }) File.Delete(building + suffix);

        var report = new LoadReport(new Migrator(dialect).LatestVersion, SyntheticPolicy.Version, seed, wide, measures, controls, batchSize, seconds,
            measuresPerSecond, new FileInfo(path).Length, batches);
        await File.WriteAllTextAsync(path + ".json", JsonSerializer.Serialize(report, Indented), ct);
        return report;
    }

    public static string ConnectionString(string server, string database) =>
        new SqlConnectionStringBuilder(server) { InitialCatalog = database }.ConnectionString;

    /// <summary>
    /// The SQL Server database <paramref name="database"/> if the report beside it says it was built for these sizes, else
    /// dropped, created and loaded as <see cref="LoadAsync"/> loads SQLite (migrate, seed, change sets through the store).
    /// </summary>
    public static async Task<LoadReport> EnsureSqlServerAsync(string server, string database, string reportPath, int measures, int controls, int batchSize,
        int seed, bool wide, TextWriter log, CancellationToken ct)
    {
        await using var master = new SqlConnection(ConnectionString(server, "master"));
        await master.OpenAsync(ct);
        await using (var exists = master.CreateCommand())
        {
            exists.CommandText = "SELECT COUNT(*) FROM sys.databases WHERE name = @name";
            exists.Parameters.Add(new SqlParameter("@name", database));
            if (Convert.ToInt32(await exists.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0)
            {
                if (File.Exists(reportPath) && JsonSerializer.Deserialize<LoadReport>(await File.ReadAllTextAsync(reportPath, ct)) is { } existing
                    && existing.Matches(measures, controls, seed, wide))
                {
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  reusing SQL Server database {database} ({existing.Measures:N0} measures, loaded in {existing.Seconds:F0} s)"));
                    return existing;
                }
                SqlConnection.ClearAllPools();
                await using var drop = master.CreateCommand();
                drop.CommandText = $"DROP DATABASE [{database}]";
                await drop.ExecuteNonQueryAsync(ct);
            }
        }
        await using (var create = master.CreateCommand())
        {
            create.CommandText = $"CREATE DATABASE [{database}]";
            await create.ExecuteNonQueryAsync(ct);
        }
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loading {measures:N0} tariff measures and {controls:N0} export controls into SQL Server database {database} (change sets of {batchSize:N0})"));
        var dialect = new SqlServerDialect(ConnectionString(server, database));
        var (seconds, measuresPerSecond, batches) = await FillAsync(dialect, measures, controls, batchSize, seed, wide, log, ct);
        var report = new LoadReport(new Migrator(dialect).LatestVersion, SyntheticPolicy.Version, seed, wide, measures, controls, batchSize, seconds, measuresPerSecond, 0, batches);
        Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
        await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report, Indented), ct);
        return report;
    }

    // Migrate, seed and load the synthetic records through the store; returns the seconds taken and the measure load rate.
    private static async Task<(double Seconds, double MeasuresPerSecond, List<double> Batches)> FillAsync(ISqlDialect dialect, int measures, int controls, int batchSize, int seed, bool wide,
        TextWriter log, CancellationToken ct)
    {
        using var store = new PolicyStore(dialect);
        await new Migrator(dialect).MigrateAsync(ct);
        await store.ApplyAsync(SeedData.ChangeSet(SeedData.Load()), ct);

        var data = new SyntheticPolicy(seed, wide);
        var batches = new List<double>();
        var total = Stopwatch.StartNew();
        var seedData = SeedData.Load();
        // Every record is checked as an analyst's import would be (the admin API validates before it applies).
        var known = new KnownIds(seedData.Sources.Select(s => s.Id).ToHashSet(StringComparer.Ordinal),
            seedData.Truces.SelectMany(t => t.Terms).Select(t => t.Id).ToHashSet(StringComparer.Ordinal),
            seedData.TariffMeasures.Select(m => m.Id).Concat(seedData.ExportControls.Select(c => c.Id)).ToHashSet(StringComparer.Ordinal));
        var validation = TimeSpan.Zero;
        async Task Apply(string what, IEnumerable<IPolicyRecord> records, int count)
        {
            var batch = 0;
            foreach (var chunk in records.Chunk(batchSize))
            {
                var checking = Stopwatch.StartNew();
                foreach (var record in chunk)
                {
                    var errors = record switch
                    {
                        TariffMeasure m => DatasetValidator.Check(m, m.Id, known),
                        ExportControl c => DatasetValidator.Check(c, c.Id, known),
                        _ => [],
                    };
                    if (errors.Count > 0) throw new InvalidDataException($"Generated record is invalid: {errors[0].Field}: {errors[0].Message}");
                    ((HashSet<string>)known.Measures).Add(record.Id);
                }
                validation += checking.Elapsed;
                var watch = Stopwatch.StartNew();
                var changes = new ChangeSet(
                    new ChangeContext("bench-loader", $"Synthetic {what}, batch {batch} ({chunk.Length} records)", $"bench:{what}:{seed}:{batch}"),
                    [], null, chunk.Select(r => new RecordChange(r, RecordChange.Create, "")).ToList());
                await store.ApplyAsync(changes, ct);
                batches.Add(watch.Elapsed.TotalSeconds);
                batch++;
                var done = Math.Min(count, batch * batchSize);
                if (batch % 10 == 0 || done == count)
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {done:N0}/{count:N0} in {total.Elapsed.TotalSeconds:F1} s"));
            }
        }
        await Apply("tariff measures", data.TariffMeasures(measures), measures);
        var measureSeconds = (total.Elapsed - validation).TotalSeconds;
        await Apply("export controls", data.ExportControls(controls), controls);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  validated every record in {validation.TotalSeconds:F1} s (not counted in the load rate)"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  change sets took {batches.Sum():F1} s, slowest {batches.DefaultIfEmpty().Max():F2} s"));
        return (total.Elapsed.TotalSeconds, measures / Math.Max(measureSeconds, 1e-9), batches);
    }

    /// <summary>The database at <paramref name="path"/> if it was built for these sizes by this generator, else a new one.</summary>
    public static async Task<LoadReport> EnsureAsync(string path, int measures, int controls, int batchSize, int seed, bool wide, TextWriter log, CancellationToken ct)
    {
        if (File.Exists(path) && File.Exists(path + ".json")
            && JsonSerializer.Deserialize<LoadReport>(await File.ReadAllTextAsync(path + ".json", ct)) is { } existing
            && existing.Matches(measures, controls, seed, wide))
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  reusing {path} ({existing.Measures:N0} measures, loaded in {existing.Seconds:F0} s)"));
            return existing;
        }
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loading {measures:N0} tariff measures and {controls:N0} export controls into {path} (change sets of {batchSize:N0})"));
        return await LoadAsync(path, measures, controls, batchSize, seed, wide, log, ct);
    }

    public static void DeleteDatabase(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal", ".json" }) File.Delete(path + suffix);
    }
}
