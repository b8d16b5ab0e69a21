using System.Text.Json;
using PolicyService.Server.Domain;
using PolicyService.Server.Seed;
using PolicyService.Server.Snapshots;
using PolicyService.Server.Storage;

namespace PolicyService.Storage.Tests;

/// <summary>
/// A snapshot built from the database is written to a file beside it; the next process on the same database maps that
/// file instead of reading every record, reads the change log on from the file's position, and answers exactly as a
/// snapshot built from the database does. A file that is not this database's, or not whole, is ignored.
/// </summary>
public sealed class SnapshotFileTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly (string Importer, string Origin, string Code)[] Lookups =
        [("US", "CN", "8507600020"), ("US", "CN", "8112929010"), ("US", "VN", "0101210010"), ("CN", "US", "8703800000"), ("US", "HK", "8541430010")];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"policyservice-snapshotfile-{Guid.NewGuid():N}");
    private PolicyStore _db = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_directory, "policy.db");

    private string[] SnapshotFiles => Directory.GetFiles(_directory, "policy.db.snapshot.*");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _db = await SeededAsync(DatabasePath);
    }

    public ValueTask DisposeAsync()
    {
        _db.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_restart_maps_the_file_and_answers_as_the_database_built_snapshot_did()
    {
        string[] built;
        await using (var first = await RunningSnapshot.StartAsync(_db, Ct))
        {
            Assert.Equal("database", first.Refresher.LoadedFrom);
            built = Answers(first);
        }
        var file = Assert.Single(SnapshotFiles);
        Assert.EndsWith($".{await _db.LatestChangeAsync(Ct)}", file, StringComparison.Ordinal);

        await using var second = await RunningSnapshot.StartAsync(_db, Ct);
        Assert.Equal("file", second.Refresher.LoadedFrom);
        Assert.Equal(built, Answers(second));
        Assert.Contains(built, a => a.Contains("TAR-US-04", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changes_committed_after_the_file_was_written_are_read_from_the_log()
    {
        await using (await RunningSnapshot.StartAsync(_db, Ct))
        {
        }
        var measure = (await _db.GetTariffMeasureAsync("TAR-US-04", DateTime.MaxValue, Ct))!;
        await _db.ApplyAsync(new ChangeSet(new ChangeContext("test", "renamed while no server ran", ""), [], null,
            [new RecordChange(measure with { Title = "Renamed while no server ran" }, RecordChange.Update, measure.Recorded!.Etag)]), Ct);

        await using var running = await RunningSnapshot.StartAsync(_db, Ct);
        Assert.Equal("file", running.Refresher.LoadedFrom);
        // Caught up before it was published: the first snapshot already shows the change.
        Assert.Equal(await _db.LatestChangeAsync(Ct), running.Live.Current!.Position);
        Assert.Equal("Renamed while no server ran", running.Live.Current!.TariffMeasure("TAR-US-04")!.Title);
    }

    [Fact]
    public async Task Another_databases_file_is_not_used()
    {
        await using (await RunningSnapshot.StartAsync(_db, Ct))
        {
        }
        var file = Assert.Single(SnapshotFiles);
        // A second database seeded alike: its log has the same positions but other entries (other times).
        var otherPath = Path.Combine(_directory, "other.db");
        using var other = await SeededAsync(otherPath);
        File.Copy(file, Path.Combine(_directory, "other.db.snapshot." + file[(file.LastIndexOf('.') + 1)..]));
        var renamed = (await other.GetTariffMeasureAsync("TAR-US-04", DateTime.MaxValue, Ct))!;
        await other.ApplyAsync(new ChangeSet(new ChangeContext("test", "other data", ""), [], null,
            [new RecordChange(renamed with { Title = "Only in the other database" }, RecordChange.Update, renamed.Recorded!.Etag)]), Ct);

        await using var running = await RunningSnapshot.StartAsync(other, Ct);
        Assert.Equal("database", running.Refresher.LoadedFrom);
        Assert.Equal("Only in the other database", running.Live.Current!.TariffMeasure("TAR-US-04")!.Title);
    }

    [Fact]
    public async Task A_cut_short_file_is_ignored_and_replaced()
    {
        await using (await RunningSnapshot.StartAsync(_db, Ct))
        {
        }
        var file = Assert.Single(SnapshotFiles);
        var length = new FileInfo(file).Length;
        await using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(length / 2);

        await using var running = await RunningSnapshot.StartAsync(_db, Ct);
        Assert.Equal("database", running.Refresher.LoadedFrom);
        Assert.Equal(length, new FileInfo(Assert.Single(SnapshotFiles)).Length);
        Assert.NotEmpty(running.Live.Current!.TariffCandidates("US", "CN", "8507600020"));
    }

    [Fact]
    public void A_snapshot_no_longer_referenced_closes_its_file()
    {
        var file = BuildAndForget();
        Assert.True(IsOpen(file));
        for (var i = 0; i < 5 && IsOpen(file); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        // What a compaction relies on: the snapshot it replaces lets go of its file once no reader holds it.
        Assert.False(IsOpen(file));
    }

    private static bool IsOpen(string path) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Any(fd => fd.LinkTarget == path);

    /// <summary>Builds a snapshot into a file and drops it, leaving the file open until the snapshot is collected.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private string BuildAndForget()
    {
        var seed = SeedData.Load();
        using var writer = new SnapshotFile.Writer(_directory, "forgotten", new SnapshotStamp(1, 1, "tariff_measure", "TAR-US-01", 1));
        var builder = new PolicySnapshot.Builder(writer);
        foreach (var m in seed.TariffMeasures) builder.Add(m);
        var snapshot = builder.Build(seed.Truces, 1);
        Assert.NotEmpty(snapshot.TariffCandidates("US", "CN", "8507600020"));
        return SnapshotFile.PathFor(_directory, "forgotten", 1);
    }

    [Fact]
    public async Task A_directory_that_cannot_be_written_keeps_the_snapshot_in_memory()
    {
        var notADirectory = Path.Combine(_directory, "occupied");
        await File.WriteAllTextAsync(notADirectory, "a file where the directory should be", Ct);
        await using var running = await RunningSnapshot.StartAsync(_db, Ct,
            new SnapshotOptions { RefreshInterval = TimeSpan.FromMilliseconds(50), Directory = notADirectory });
        Assert.Equal("database", running.Refresher.LoadedFrom);
        Assert.NotEmpty(running.Live.Current!.TariffCandidates("US", "CN", "8507600020"));
        Assert.Empty(SnapshotFiles);
    }

    [Fact]
    public async Task With_files_off_nothing_is_written()
    {
        await using var running = await RunningSnapshot.StartAsync(_db, Ct,
            new SnapshotOptions { RefreshInterval = TimeSpan.FromMilliseconds(50), UseFiles = false });
        Assert.Equal("database", running.Refresher.LoadedFrom);
        Assert.Empty(SnapshotFiles);
    }

    private static string[] Answers(RunningSnapshot running) =>
    [
        .. Lookups.Select(l => JsonSerializer.Serialize(running.Live.Current!.TariffCandidates(l.Importer, l.Origin, l.Code), Json)),
        JsonSerializer.Serialize(running.Live.Current!.ExportCandidates("CN", "US", new ExportItem(null, "gallium")), Json),
        JsonSerializer.Serialize(running.Live.Current!.ExportCandidates("CN", "US", new ExportItem("8112929010", null)), Json),
        JsonSerializer.Serialize(running.Live.Current!.Truces("US", "CN"), Json),
    ];

    private static async Task<PolicyStore> SeededAsync(string path)
    {
        var db = new PolicyStore(SqliteDialect.ForFile(path));
        await new Migrator(SqliteDialect.ForFile(path)).MigrateAsync(Ct);
        await db.ApplyAsync(SeedData.ChangeSet(SeedData.Load()), Ct);
        return db;
    }
}
