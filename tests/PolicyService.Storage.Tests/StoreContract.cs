using System.Text.Json;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;
using static PolicyService.Storage.Tests.Now;

namespace PolicyService.Storage.Tests;

/// <summary>
/// What every store must do, whatever the database. Each dialect runs this suite against a real database of its own;
/// a dialect with no database here reports every test as skipped. On SQLite, where a fresh database costs a file and a
/// migration, every test has one of its own, so no test can see the records another wrote; on SQL Server the tests of
/// a class share the class's database.
/// </summary>
public abstract class StoreContract<TDatabase> : IClassFixture<TDatabase>, IAsyncLifetime where TDatabase : class, ITestDatabase
{
    private static readonly PolicyDataset Seed = SeedData.Load();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TDatabase _shared;
    private SqliteTestDatabase? _own;
    private PolicyStore? _db;
    private RunningSnapshot? _snapshot;

    protected StoreContract(TDatabase database) => _shared = database;

    private ITestDatabase Database => _own ?? (ITestDatabase)_shared;

    /// <summary>True: the suite runs through the snapshot store, as the server's services do; false: the database store alone.</summary>
    protected virtual bool ThroughSnapshot => false;

    private IPolicyStore Store => _snapshot?.Store ?? (IPolicyStore)_db!;

    private ISqlDialect Dialect => Database.Dialect!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (_shared is SqliteTestDatabase) _own = new SqliteTestDatabase();
        if (Database.Dialect is null) return;
        _db = new PolicyStore(Database.Dialect);
        if (await new Migrator(Dialect).CurrentVersionAsync(Ct) == 0)
        {
            await new Migrator(Dialect).MigrateAsync(Ct);
            await _db.ApplyAsync(SeedData.ChangeSet(Seed), Ct);
        }
        if (ThroughSnapshot) _snapshot = await RunningSnapshot.StartAsync(_db, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_snapshot is not null) await _snapshot.DisposeAsync();
        _db?.Dispose();
        if (_own is not null) await _own.DisposeAsync();
    }

    // Tests that write create records with ids starting "TEST-"; comparisons with the seed leave them out.
    private static bool IsSeeded(string id) => !id.StartsWith("TEST-", StringComparison.Ordinal);

    private void RequireDatabase() => Assert.SkipWhen(Database.Dialect is null, Database.SkipReason);

    [Fact]
    public async Task Migrating_again_applies_nothing_and_reports_the_latest_version()
    {
        RequireDatabase();
        var migrator = new Migrator(Dialect);
        Assert.Equal(0, await migrator.MigrateAsync(Ct));
        Assert.Equal(migrator.LatestVersion, await migrator.CurrentVersionAsync(Ct));
    }

    [Fact]
    public async Task Every_seeded_tariff_measure_reads_back_exactly_as_written()
    {
        RequireDatabase();
        foreach (var measure in Seed.TariffMeasures)
        {
            var stored = await Store.GetTariffMeasureAsync(measure.Id, Latest, Ct);
            Assert.NotNull(stored);
            Assert.Equal(JsonSerializer.Serialize(measure, Json), JsonSerializer.Serialize(stored with { Recorded = null }, Json));
        }
    }

    [Fact]
    public async Task Every_seeded_export_control_reads_back_exactly_as_written()
    {
        RequireDatabase();
        foreach (var control in Seed.ExportControls)
        {
            var stored = await Store.GetExportControlAsync(control.Id, Latest, Ct);
            Assert.NotNull(stored);
            Assert.Equal(JsonSerializer.Serialize(control, Json), JsonSerializer.Serialize(stored with { Recorded = null }, Json));
        }
    }

    [Fact]
    public async Task Every_seeded_truce_reads_back_exactly_as_written()
    {
        RequireDatabase();
        foreach (var truce in Seed.Truces)
        {
            var stored = await Store.GetTruceAsync(truce.Id, Latest, Ct);
            Assert.NotNull(stored);
            Assert.Equal(JsonSerializer.Serialize(truce, Json), JsonSerializer.Serialize(stored with { Recorded = null }, Json));
        }
    }

    [Fact]
    public async Task Reference_data_holds_every_source_and_the_reviewed_date()
    {
        RequireDatabase();
        var reference = await Store.LoadReferenceDataAsync(Ct);
        Assert.NotNull(reference);
        Assert.Equal(Seed.ReviewedThrough, reference.ReviewedThrough(DateTime.MaxValue));
        Assert.Equal(Seed.Sources.Select(s => s.Id).Order(StringComparer.Ordinal), reference.Sources.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Seed.Truces.SelectMany(t => t.Terms).Count(), reference.TruceIdByTerm.Count);
    }

    [Fact]
    public async Task Unknown_ids_read_as_null()
    {
        RequireDatabase();
        Assert.Null(await Store.GetTariffMeasureAsync("TAR-XX-99", Latest, Ct));
        Assert.Null(await Store.GetExportControlAsync("EXC-XX-99", Latest, Ct));
        Assert.Null(await Store.GetTruceAsync("TRUCE-XX", Latest, Ct));
    }

    [Fact]
    public async Task Tariff_candidates_are_exactly_the_measures_a_full_scan_would_match()
    {
        RequireDatabase();
        foreach (var (importer, origin, code) in new[]
                 {
                     ("US", "CN", "8507600020"), ("US", "HK", "2804610000"), ("CN", "US", "12019011"), ("US", "VN", "8507600020"),
                     ("US", "CN", "85076000"), ("US", "CN", "850760"), ("US", "CN", "8507600"), ("CN", "US", "120190"),
                 })
        {
            var candidates = await Store.FindTariffCandidatesAsync(importer, origin, code, Latest, Ct);
            // The database narrows by importer, origin and scope prefix (the code's own prefixes, and the longer ones
            // that start with a code shorter than 10 digits); exclusions and dates are the query's job.
            // The expectation is the domain rule written out here, not the query's own predicate.
            var expected = Seed.TariffMeasures.Where(m => m.Importer == importer && (m.AllOrigins || m.Origins.Contains(origin))
                    && (m.Scope.AllProducts || m.Scope.HsPrefixes.Any(p => code.StartsWith(p, StringComparison.Ordinal) || p.StartsWith(code, StringComparison.Ordinal))))
                .Select(m => m.Id).Order(StringComparer.Ordinal);
            Assert.Equal(expected, candidates.Select(m => m.Id).Where(IsSeeded).Order(StringComparer.Ordinal));
        }
        // And literal members (us-china-2025.md): List 4A, the fentanyl and the reciprocal duties on Li-ion batteries.
        var batteries = (await Store.FindTariffCandidatesAsync("US", "CN", "8507600020", Latest, Ct)).Select(m => m.Id).ToList();
        Assert.Contains("TAR-US-04", batteries);
        Assert.Contains("TAR-US-14", batteries);
        Assert.Contains("TAR-US-17", batteries);
        Assert.DoesNotContain(batteries, id => id.StartsWith("TAR-CN-", StringComparison.Ordinal));
        // The 8-digit battery line also finds the review rates filed under its 10-digit lines.
        var eightDigit = (await Store.FindTariffCandidatesAsync("US", "CN", "85076000", Latest, Ct)).Select(m => m.Id).ToList();
        Assert.Contains("TAR-US-06.1", eightDigit);
        Assert.Contains("TAR-US-06.2", eightDigit);
    }

    [Fact]
    public async Task Export_candidates_match_by_code_prefix_or_by_item_name()
    {
        RequireDatabase();
        foreach (var item in new[]
                 {
                     new ExportItem(null, "dysprosium"), new ExportItem(null, "gallium"), new ExportItem("8112929010", null), new ExportItem("85076000", null),
                     new ExportItem("811292", null), new ExportItem("8112929", null),
                 })
        {
            var candidates = await Store.FindExportCandidatesAsync("CN", "US", item, Latest, Ct);
            var expected = Seed.ExportControls.Where(c => c.Exporter == "CN" && (c.AllDestinations || c.Destinations.Contains("US"))
                    && (item.HsCode is { } code
                        ? c.Scope.AllProducts || c.Scope.HsPrefixes.Any(p => code.StartsWith(p, StringComparison.Ordinal) || p.StartsWith(code, StringComparison.Ordinal))
                        : c.Items.Any(i => i.Name == item.Name)))
                .Select(c => c.Id);
            Assert.Equal(expected.Order(StringComparer.Ordinal), candidates.Select(c => c.Id).Order(StringComparer.Ordinal));
            Assert.NotEmpty(candidates);
        }
    }

    [Fact]
    public async Task Pages_walk_every_measure_once_in_id_order()
    {
        RequireDatabase();
        var seen = new List<string>();
        var after = "";
        while (true)
        {
            var page = await Store.ListTariffMeasuresAsync(new TariffFilter(null, null, null, null), after, 7, Latest, Ct);
            seen.AddRange(page.Select(m => m.Id).Where(IsSeeded));
            if (page.Count < 7) break;
            after = page[^1].Id;
        }
        Assert.Equal(Seed.TariffMeasures.Select(m => m.Id).Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task List_filters_by_importer_origin_code_and_date()
    {
        RequireDatabase();
        var asOf = new DateOnly(2025, 11, 15);
        var page = await Store.ListTariffMeasuresAsync(new TariffFilter("CN", "US", "12019011", asOf), "", 1000, Latest, Ct);
        var expected = Seed.TariffMeasures.Where(m => m.Importer == "CN" && (m.AllOrigins || m.Origins.Contains("US"))
                && (m.Scope.AllProducts || m.Scope.HsPrefixes.Any(p => "12019011".StartsWith(p, StringComparison.Ordinal)))
                && m.Periods.Any(p => p.StartDate <= asOf && (p.EndDate is null || asOf < p.EndDate)))
            .Select(m => m.Id);
        Assert.Equal(expected.Order(StringComparer.Ordinal), page.Select(m => m.Id));
        Assert.NotEmpty(page);
    }

    [Fact]
    public async Task Truces_between_two_parties_come_with_the_measures_their_terms_created()
    {
        RequireDatabase();
        var bundles = await Store.FindTrucesAsync("CN", "US", Latest, Ct);
        var bundle = Assert.Single(bundles);
        var terms = bundle.Truce.Terms.Select(t => t.Id).ToHashSet();
        var expected = Seed.TariffMeasures.Where(m => m.Periods.Any(p => p.TruceTermId is { } t && terms.Contains(t))).Select(m => m.Id);
        Assert.Equal(expected.Order(StringComparer.Ordinal), bundle.TariffMeasures.Select(m => m.Id).Where(IsSeeded));
        Assert.NotEmpty(bundle.ExportControls);
        Assert.Empty(await Store.FindTrucesAsync("US", "MX", Latest, Ct));
    }

    private static ChangeSet Changes(string reason, string requestId, params RecordChange[] changes) =>
        new(new ChangeContext("analyst@test", reason, requestId), [], null, changes);

    private async Task<TariffMeasure> FreshMeasure(string id)
    {
        var template = Seed.TariffMeasures.Single(m => m.Id == "TAR-US-14");
        var measure = template with { Id = id, Recorded = null };
        await Store.ApplyAsync(Changes("create for test", "", new RecordChange(measure, RecordChange.Create, "")), Ct);
        return (await Store.GetTariffMeasureAsync(id, Latest, Ct))!;
    }

    [Fact]
    public async Task An_update_appends_a_version_and_the_old_one_stays_readable_as_known_before()
    {
        RequireDatabase();
        var v1 = await FreshMeasure($"TEST-HIST-{Guid.NewGuid():N}"[..24]);
        Assert.Equal(1, v1.Recorded!.Version);
        var changed = v1 with { Title = "renamed", Periods = [.. v1.Periods.Take(2)] };
        var result = await Store.ApplyAsync(Changes("rename", "", new RecordChange(changed, RecordChange.Update, v1.Recorded.Etag)), Ct);

        var v2 = await Store.GetTariffMeasureAsync(v1.Id, Latest, Ct);
        Assert.Equal((2, "renamed", "analyst@test", "rename"), (v2!.Recorded!.Version, v2.Title, v2.Recorded.RecordedBy, v2.Recorded.Reason));
        Assert.Equal(2, v2.Periods.Count);

        var before = await Store.GetTariffMeasureAsync(v1.Id, result.RecordedTime.AddTicks(-1), Ct);
        Assert.Equal((1, v1.Title, v1.Periods.Count), (before!.Recorded!.Version, before.Title, before.Periods.Count));
        Assert.Null(await Store.GetTariffMeasureAsync(v1.Id, v1.Recorded.RecordedTime.AddTicks(-1), Ct));

        var history = await Store.GetTariffMeasureHistoryAsync(v1.Id, Ct);
        Assert.Equal([1, 2], history.Select(h => h.Recorded!.Version));
    }

    [Fact]
    public async Task Recorded_times_are_whole_microseconds_and_read_back_exactly()
    {
        RequireDatabase();
        var v1 = await FreshMeasure($"TEST-TIME-{Guid.NewGuid():N}"[..24]);
        var result = await Store.ApplyAsync(Changes("time", "", new RecordChange(v1 with { Title = "timed" }, RecordChange.Update, "1")), Ct);
        Assert.Equal(0, result.RecordedTime.Ticks % TimeSpan.TicksPerMicrosecond);
        var stored = await Store.GetTariffMeasureAsync(v1.Id, Latest, Ct);
        Assert.Equal(result.RecordedTime, stored!.Recorded!.RecordedTime);
        // Known at the write's own microsecond: the write is known; a tick before it: it is not.
        Assert.Equal(2, (await Store.GetTariffMeasureAsync(v1.Id, result.RecordedTime.AddTicks(TimeSpan.TicksPerMicrosecond - 1), Ct))!.Recorded!.Version);
        Assert.Equal(1, (await Store.GetTariffMeasureAsync(v1.Id, result.RecordedTime.AddTicks(-1), Ct))!.Recorded!.Version);
    }

    [Fact]
    public async Task Lookups_as_known_at_an_instant_use_the_scope_of_that_version()
    {
        RequireDatabase();
        var id = $"TEST-SCOPE-{Guid.NewGuid():N}"[..24];
        var v1 = await FreshMeasure(id);
        var narrowed = v1 with { Importer = "US", Scope = new ProductScope(false, ["0101"], [], "live horses") };
        var result = await Store.ApplyAsync(Changes("narrow", "", new RecordChange(narrowed, RecordChange.Update, "1")), Ct);

        var now = await Store.FindTariffCandidatesAsync("US", "CN", "8507600020", Latest, Ct);
        var then = await Store.FindTariffCandidatesAsync("US", "CN", "8507600020", result.RecordedTime.AddTicks(-1), Ct);
        Assert.DoesNotContain(now, m => m.Id == id);
        Assert.Contains(then, m => m.Id == id && m.Recorded!.Version == 1);
    }

    [Fact]
    public async Task Dated_exclusions_read_back_exactly_now_as_candidates_and_known_before_they_were_written()
    {
        RequireDatabase();
        var id = $"TEST-DATED-{Guid.NewGuid():N}"[..24];
        var v1 = await FreshMeasure(id);
        ScopeExclusion[] dated =
        [
            new("02023050", new DateOnly(2025, 11, 13), new DateOnly(2026, 2, 24), "ag-2025-11 rev6 L12403"),
            new("39076100", new DateOnly(2025, 4, 5), new DateOnly(2025, 9, 8), "annex-ii-original (removed by EO 14346 from 2025-09-08)"),
            new("39076100", new DateOnly(2025, 11, 13), null, "again — wieder"),
            new("8471", null, null, "electronics-memo rev6 L12791"),
        ];
        var exempting = v1 with { Scope = v1.Scope with { DatedExclusions = dated } };
        var result = await Store.ApplyAsync(Changes("date the exemptions", "", new RecordChange(exempting, RecordChange.Update, "1")), Ct);

        Assert.Equal(dated, (await Store.GetTariffMeasureAsync(id, Latest, Ct))!.Scope.DatedExclusions);
        // A copy of the fentanyl duty: all goods of China, so any code finds it.
        var candidate = Assert.Single(await Store.FindTariffCandidatesAsync("US", "CN", "8507600020", Latest, Ct), m => m.Id == id);
        Assert.Equal(dated, candidate.Scope.DatedExclusions);
        Assert.Empty((await Store.GetTariffMeasureAsync(id, result.RecordedTime.AddTicks(-1), Ct))!.Scope.DatedExclusions);
        Assert.Equal([0, 4], (await Store.GetTariffMeasureHistoryAsync(id, Ct)).Select(h => h.Scope.DatedExclusions.Count));
    }

    [Fact]
    public async Task A_stale_etag_is_a_conflict_and_changes_nothing()
    {
        RequireDatabase();
        var v1 = await FreshMeasure($"TEST-ETAG-{Guid.NewGuid():N}"[..24]);
        await Store.ApplyAsync(Changes("first", "", new RecordChange(v1 with { Title = "first" }, RecordChange.Update, "1")), Ct);
        var latestChange = await Store.LatestChangeAsync(Ct);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.ApplyAsync(Changes("second", "", new RecordChange(v1 with { Title = "second" }, RecordChange.Update, "1")), Ct));
        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal("first", (await Store.GetTariffMeasureAsync(v1.Id, Latest, Ct))!.Title);
        Assert.Equal(latestChange, await Store.LatestChangeAsync(Ct));
    }

    [Fact]
    public async Task Of_two_concurrent_updates_from_the_same_version_exactly_one_wins()
    {
        RequireDatabase();
        var v1 = await FreshMeasure($"TEST-RACE-{Guid.NewGuid():N}"[..24]);
        var attempts = Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            Store.ApplyAsync(Changes($"analyst {i}", "", new RecordChange(v1 with { Title = $"edit {i}" }, RecordChange.Update, "1")), Ct)));
        var outcomes = await Task.WhenAll(attempts.Select(async a =>
        {
            try { await a; return "won"; }
            catch (ConcurrencyConflictException) { return "conflict"; }
        }));
        Assert.Equal(1, outcomes.Count(o => o == "won"));
        Assert.Equal(5, outcomes.Count(o => o == "conflict"));
        Assert.Equal(2, (await Store.GetTariffMeasureAsync(v1.Id, Latest, Ct))!.Recorded!.Version);
    }

    [Fact]
    public async Task A_request_id_already_committed_is_replayed_without_writing()
    {
        RequireDatabase();
        var v1 = await FreshMeasure($"TEST-IDEM-{Guid.NewGuid():N}"[..24]);
        var requestId = Guid.NewGuid().ToString();
        var change = Changes("idempotent", requestId, new RecordChange(v1 with { Title = "once" }, RecordChange.Update, null));
        var first = await Store.ApplyAsync(change, Ct);
        var again = await Store.ApplyAsync(change, Ct);

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal((first.FirstSeq, first.LastSeq), (again.FirstSeq, again.LastSeq));
        Assert.Equal(2, (await Store.GetTariffMeasureAsync(v1.Id, Latest, Ct))!.Recorded!.Version);
    }

    [Fact]
    public async Task The_change_log_lists_commits_in_order_and_resumes_after_any_sequence()
    {
        RequireDatabase();
        var v1 = await FreshMeasure($"TEST-FEED-{Guid.NewGuid():N}"[..24]);
        var before = await Store.LatestChangeAsync(Ct);
        await Store.ApplyAsync(Changes("a", "", new RecordChange(v1 with { Title = "a" }, RecordChange.Update, "1")), Ct);
        await Store.ApplyAsync(Changes("b", "", new RecordChange(v1 with { Title = "b" }, RecordChange.Update, "2")), Ct);

        var changes = await Store.ChangesAfterAsync(before, 100, Ct);
        Assert.Equal(["a", "b"], changes.Select(c => c.Reason));
        Assert.Equal([2, 3], changes.Select(c => c.Version));
        Assert.True(changes[0].Seq < changes[1].Seq);
        Assert.Equal(["b"], (await Store.ChangesAfterAsync(changes[0].Seq, 100, Ct)).Select(c => c.Reason));
        Assert.True(changes[0].RecordedTime < changes[1].RecordedTime);
    }

    // ---- Known at an instant: every resource, at the exact instant of a write ------------------------------------
    // Each test writes records of its own (ids "TEST-…", jurisdictions no seeded record uses), so the seeded data and
    // the other tests' expectations are left as they were.

    private static string NewId(string kind) => $"TEST-{kind}-{Guid.NewGuid():N}"[..24];

    private async Task<(ExportControl V1, string Item)> FreshControl(string id, params ControlPeriod[] periods)
    {
        var template = Seed.ExportControls.Single(c => c.Id == "EXC-CN-01");
        var item = $"test item {Guid.NewGuid():N}"[..20].Replace('0', 'a').Replace('1', 'b').Replace('2', 'c').Replace('3', 'd').Replace('4', 'e')
            .Replace('5', 'f').Replace('6', 'g').Replace('7', 'h').Replace('8', 'i').Replace('9', 'j');
        var control = template with
        {
            Id = id, Exporter = "KR", AllDestinations = false, Destinations = ["JP"], Recorded = null,
            Scope = new ProductScope(false, ["9705"], [], "collectors' pieces"),
            Items = [new ControlledItem(item, "", [])],
            Periods = periods.Length > 0 ? periods : template.Periods,
        };
        await Store.ApplyAsync(Changes("create for test", "", new RecordChange(control, RecordChange.Create, "")), Ct);
        return ((await Store.GetExportControlAsync(id, Latest, Ct))!, item);
    }

    private async Task<Truce> FreshTruce(string id, params TruceExtension[] extensions)
    {
        var template = Seed.Truces.Single();
        var truce = template with
        {
            Id = id, Parties = ["KR", "JP"], Terms = [], Events = [], Recorded = null,
            Extensions = extensions.Length > 0 ? extensions : [new TruceExtension($"{id}-E1", new DateOnly(2030, 1, 1), new DateOnly(2030, 6, 1), "test instrument", "")],
        };
        await Store.ApplyAsync(Changes("create for test", "", new RecordChange(truce, RecordChange.Create, "")), Ct);
        return (await Store.GetTruceAsync(id, Latest, Ct))!;
    }

    [Fact]
    public async Task A_tariff_measure_known_at_the_instant_of_its_update_is_the_update_and_a_tick_before_is_not()
    {
        RequireDatabase();
        var v1 = await FreshMeasure(NewId("KAT"));
        var update = await Store.ApplyAsync(Changes("v2", "", new RecordChange(v1 with { Title = "version two" }, RecordChange.Update, "1")), Ct);
        var at = update.RecordedTime;
        var before = at.AddTicks(-1);
        var filter = new TariffFilter(v1.Importer, null, null, null);

        Assert.Equal((2, "version two"), Known(await Store.GetTariffMeasureAsync(v1.Id, at, Ct)));
        Assert.Equal((1, v1.Title), Known(await Store.GetTariffMeasureAsync(v1.Id, before, Ct)));
        Assert.Equal(2, (await Store.ListTariffMeasuresAsync(filter, "", 1000, at, Ct)).Single(m => m.Id == v1.Id).Recorded!.Version);
        Assert.Equal(1, (await Store.ListTariffMeasuresAsync(filter, "", 1000, before, Ct)).Single(m => m.Id == v1.Id).Recorded!.Version);
        Assert.Equal(2, (await Store.FindTariffCandidatesAsync("US", "CN", "8507600020", at, Ct)).Single(m => m.Id == v1.Id).Recorded!.Version);
        Assert.Equal(1, (await Store.FindTariffCandidatesAsync("US", "CN", "8507600020", before, Ct)).Single(m => m.Id == v1.Id).Recorded!.Version);

        // Known at the instant it was created, it exists; a tick before, it does not.
        var created = v1.Recorded!.RecordedTime;
        Assert.Equal(1, (await Store.GetTariffMeasureAsync(v1.Id, created, Ct))!.Recorded!.Version);
        Assert.Null(await Store.GetTariffMeasureAsync(v1.Id, created.AddTicks(-1), Ct));
        Assert.DoesNotContain(await Store.ListTariffMeasuresAsync(filter, "", 1000, created.AddTicks(-1), Ct), m => m.Id == v1.Id);
    }

    [Fact]
    public async Task An_export_control_known_at_the_instant_of_its_update_is_the_update_and_a_tick_before_is_not()
    {
        RequireDatabase();
        var (v1, item) = await FreshControl(NewId("KAX"));
        var update = await Store.ApplyAsync(Changes("v2", "", new RecordChange(v1 with { Title = "version two" }, RecordChange.Update, "1")), Ct);
        var at = update.RecordedTime;
        var before = at.AddTicks(-1);
        var filter = new ExportFilter("KR", null, null, null);

        Assert.Equal((2, "version two"), Known(await Store.GetExportControlAsync(v1.Id, at, Ct)));
        Assert.Equal((1, v1.Title), Known(await Store.GetExportControlAsync(v1.Id, before, Ct)));
        Assert.Equal(2, (await Store.ListExportControlsAsync(filter, "", 1000, at, Ct)).Single(c => c.Id == v1.Id).Recorded!.Version);
        Assert.Equal(1, (await Store.ListExportControlsAsync(filter, "", 1000, before, Ct)).Single(c => c.Id == v1.Id).Recorded!.Version);
        foreach (var asked in new[] { new ExportItem(null, item), new ExportItem("9705100000", null) })
        {
            // Other tests of this class write KR controls over the same code; this one's is picked out by id.
            Assert.Equal(2, (await Store.FindExportCandidatesAsync("KR", "JP", asked, at, Ct)).Single(c => c.Id == v1.Id).Recorded!.Version);
            Assert.Equal(1, (await Store.FindExportCandidatesAsync("KR", "JP", asked, before, Ct)).Single(c => c.Id == v1.Id).Recorded!.Version);
        }

        var created = v1.Recorded!.RecordedTime;
        Assert.Equal(1, (await Store.GetExportControlAsync(v1.Id, created, Ct))!.Recorded!.Version);
        Assert.Null(await Store.GetExportControlAsync(v1.Id, created.AddTicks(-1), Ct));
        Assert.Empty(await Store.FindExportCandidatesAsync("KR", "JP", new ExportItem(null, item), created.AddTicks(-1), Ct));
    }

    [Fact]
    public async Task A_truce_known_at_the_instant_of_its_update_is_the_update_and_a_tick_before_is_not()
    {
        RequireDatabase();
        var v1 = await FreshTruce(NewId("KAT"));
        var update = await Store.ApplyAsync(Changes("v2", "", new RecordChange(v1 with { Title = "version two" }, RecordChange.Update, "1")), Ct);
        var at = update.RecordedTime;
        var before = at.AddTicks(-1);
        var filter = new TruceFilter("KR", null);

        Assert.Equal((2, "version two"), Known(await Store.GetTruceAsync(v1.Id, at, Ct)));
        Assert.Equal((1, v1.Title), Known(await Store.GetTruceAsync(v1.Id, before, Ct)));
        Assert.Equal(2, (await Store.ListTrucesAsync(filter, "", 1000, at, Ct)).Single(t => t.Id == v1.Id).Recorded!.Version);
        Assert.Equal(1, (await Store.ListTrucesAsync(filter, "", 1000, before, Ct)).Single(t => t.Id == v1.Id).Recorded!.Version);
        Assert.Equal(2, (await Store.FindTrucesAsync("KR", "JP", at, Ct)).Single(b => b.Truce.Id == v1.Id).Truce.Recorded!.Version);
        Assert.Equal(1, (await Store.FindTrucesAsync("KR", "JP", before, Ct)).Single(b => b.Truce.Id == v1.Id).Truce.Recorded!.Version);

        var created = v1.Recorded!.RecordedTime;
        Assert.Equal(1, (await Store.GetTruceAsync(v1.Id, created, Ct))!.Recorded!.Version);
        Assert.Null(await Store.GetTruceAsync(v1.Id, created.AddTicks(-1), Ct));
    }

    private static (int Version, string Title) Known(IPolicyRecord? record) => record switch
    {
        TariffMeasure m => (m.Recorded!.Version, m.Title),
        ExportControl c => (c.Recorded!.Version, c.Title),
        Truce t => (t.Recorded!.Version, t.Title),
        _ => (0, "(none)"),
    };

    // ---- List filters on the days around each boundary ---------------------------------------------------------
    // One record in force over [2031-03-10, 2031-04-20): listed as of the first day and the last, not the day before the
    // start nor the end date itself (the interval is half-open).

    private static readonly DateOnly From = new(2031, 3, 10), Until = new(2031, 4, 20);

    [Theory]
    [MemberData(nameof(ContractData.BoundaryDays), MemberType = typeof(ContractData))]
    public async Task A_tariff_list_as_of_a_day_around_a_period_boundary_lists_the_measure_only_inside_it(string day, bool listed)
    {
        RequireDatabase();
        var template = Seed.TariffMeasures.Single(m => m.Id == "TAR-US-14");
        var measure = template with
        {
            Id = NewId("BND"), Importer = "KR", Recorded = null,
            Periods = [template.Periods[0] with { StartDate = From, EndDate = Until }],
        };
        await Store.ApplyAsync(Changes("boundary", "", new RecordChange(measure, RecordChange.Create, "")), Ct);
        var asOf = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var page = await Store.ListTariffMeasuresAsync(new TariffFilter("KR", null, null, asOf), "", 1000, Latest, Ct);
        Assert.Equal(listed, page.Any(m => m.Id == measure.Id));
    }

    [Theory]
    [MemberData(nameof(ContractData.BoundaryDays), MemberType = typeof(ContractData))]
    public async Task An_export_list_as_of_a_day_around_a_period_boundary_lists_the_control_only_inside_it(string day, bool listed)
    {
        RequireDatabase();
        var period = Seed.ExportControls.Single(c => c.Id == "EXC-CN-01").Periods[0] with { StartDate = From, EndDate = Until };
        var (control, _) = await FreshControl(NewId("BND"), period);
        var asOf = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var page = await Store.ListExportControlsAsync(new ExportFilter("KR", null, null, asOf), "", 1000, Latest, Ct);
        Assert.Equal(listed, page.Any(c => c.Id == control.Id));
    }

    [Theory]
    [MemberData(nameof(ContractData.BoundaryDays), MemberType = typeof(ContractData))]
    public async Task A_truce_list_as_of_a_day_around_a_window_boundary_lists_the_truce_only_inside_it(string day, bool listed)
    {
        RequireDatabase();
        var id = NewId("BND");
        await FreshTruce(id, new TruceExtension($"{id}-E1", From, Until, "test instrument", ""));
        var asOf = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var page = await Store.ListTrucesAsync(new TruceFilter("KR", asOf), "", 1000, Latest, Ct);
        Assert.Equal(listed, page.Any(t => t.Id == id));
    }

    [Fact]
    public async Task Pages_walk_every_export_control_and_every_truce_once_in_id_order()
    {
        RequireDatabase();
        var controls = new List<string>();
        var after = "";
        while (true)
        {
            var page = await Store.ListExportControlsAsync(new ExportFilter(null, null, null, null), after, 4, Latest, Ct);
            controls.AddRange(page.Select(c => c.Id).Where(IsSeeded));
            if (page.Count < 4) break;
            after = page[^1].Id;
        }
        Assert.Equal(Seed.ExportControls.Select(c => c.Id).Order(StringComparer.Ordinal), controls);

        // The seed has one truce: three more of this test's own give the walk page boundaries to cross.
        var own = new[] { NewId("PGA"), NewId("PGB"), NewId("PGC") };
        foreach (var id in own) await FreshTruce(id);
        var truces = new List<string>();
        after = "";
        while (true)
        {
            var page = await Store.ListTrucesAsync(new TruceFilter(null, null), after, 2, Latest, Ct);
            truces.AddRange(page.Select(t => t.Id));
            if (page.Count < 2) break;
            after = page[^1].Id;
        }
        Assert.Equal(["TRUCE-US-CN-2025"], truces.Where(IsSeeded));
        Assert.Equal(own.Order(StringComparer.Ordinal), truces.Where(own.Contains));
        Assert.Equal(truces.Order(StringComparer.Ordinal), truces);
        Assert.Equal(truces.Count, truces.Distinct().Count());
    }

    [Fact]
    public async Task A_failing_import_writes_nothing()
    {
        RequireDatabase();
        var before = await Store.ListTariffMeasuresAsync(new TariffFilter(null, null, null, null), "", 1000, Latest, Ct);
        var fresh = Seed.TariffMeasures[0] with { Id = "TAR-TEST-NEW" };
        // The new measure is written first, then creating an existing id makes the transaction fail.
        var broken = new ChangeSet(new ChangeContext("test", "atomicity", ""), [], null,
            [new RecordChange(fresh, RecordChange.Create, ""), new RecordChange(Seed.TariffMeasures[1], RecordChange.Create, "")]);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.ApplyAsync(broken, Ct));
        var after = await Store.ListTariffMeasuresAsync(new TariffFilter(null, null, null, null), "", 1000, Latest, Ct);
        Assert.Equal(before.Select(m => m.Id), after.Select(m => m.Id));
        Assert.Null(await Store.GetTariffMeasureAsync("TAR-TEST-NEW", Latest, Ct));
    }
}

public sealed class SqliteStoreContract(SqliteTestDatabase database) : StoreContract<SqliteTestDatabase>(database);

public sealed class SqlServerStoreContract(SqlServerTestDatabase database) : StoreContract<SqlServerTestDatabase>(database);

/// <summary>The same contract through the snapshot store: current reads from memory, the rest from the database.</summary>
public sealed class SqliteSnapshotStoreContract(SqliteTestDatabase database) : StoreContract<SqliteTestDatabase>(database)
{
    protected override bool ThroughSnapshot => true;
}

public sealed class SqlServerSnapshotStoreContract(SqlServerTestDatabase database) : StoreContract<SqlServerTestDatabase>(database)
{
    protected override bool ThroughSnapshot => true;
}

/// <summary>Theory data of the contract (a generic class may not declare it).</summary>
public static class ContractData
{
    /// <summary>The days around a record in force over [2031-03-10, 2031-04-20), and whether a list as of each has it.</summary>
    public static TheoryData<string, bool> BoundaryDays() => new()
    {
        { "2031-03-09", false }, { "2031-03-10", true }, { "2031-03-11", true },
        { "2031-04-19", true }, { "2031-04-20", false }, { "2031-04-21", false },
    };
}

internal static class Now
{
    /// <summary>"Known at" for an ordinary read: everything recorded so far.</summary>
    public static readonly DateTime Latest = DateTime.MaxValue;
}
