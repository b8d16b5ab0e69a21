using PolicyService.Server.Changes;
using PolicyService.Server.Domain;
using PolicyService.Server.Seed;
using PolicyService.Server.Storage;
using static PolicyService.Storage.Tests.Now;

namespace PolicyService.Storage.Tests;

/// <summary>
/// Planning changes against a real database, and the list filters that must leave records out in SQL (not after paging).
/// Each test class has a database of its own; records created here live only there.
/// </summary>
public abstract class ChangePlanningContract<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : class, ITestDatabase
{
    private static readonly PolicyDataset Seed = SeedData.Load();
    private PolicyStore? _store;

    private PolicyStore Store => _store!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (database.Dialect is null) return;
        _store = new PolicyStore(database.Dialect);
        if (await new Migrator(database.Dialect).CurrentVersionAsync(Ct) == 0)
        {
            await new Migrator(database.Dialect).MigrateAsync(Ct);
            await _store.ApplyAsync(SeedData.ChangeSet(Seed), Ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        _store?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void RequireDatabase() => Assert.SkipWhen(database.Dialect is null, database.SkipReason);

    [Fact]
    public async Task A_status_change_planned_without_an_etag_never_overwrites_a_version_committed_after_it_was_planned()
    {
        RequireDatabase();
        var id = $"TEST-PIN-{Guid.NewGuid():N}"[..24];
        var template = Seed.TariffMeasures.Single(m => m.Id == "TAR-US-14") with { Id = id, Recorded = null };
        await Store.ApplyAsync(Set("create", new RecordChange(template, RecordChange.Create, "")), Ct);

        var expire = new StatusChange(id, PeriodStatus.Expired, new DateOnly(2030, 1, 1), null, null, null, null, "", "", "test", Confidence.Confirmed);
        var planned = await new ChangePlanner(Store, new ReferenceCatalog(Store)).PlanAsync(new ChangeContext("analyst@test", "expire", ""),
            [new RequestedStatusChange(expire, [], null, "status_change")], [], null, new FieldViolations(), Ct);
        // Another analyst's update commits between planning and writing.
        await Store.ApplyAsync(Set("rename", new RecordChange(template with { Title = "renamed meanwhile" }, RecordChange.Update, "1")), Ct);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.ApplyAsync(planned, Ct));
        Assert.Equal(2, conflict.ActualVersion);
        var current = (await Store.GetTariffMeasureAsync(id, Latest, Ct))!;
        Assert.Equal((2, "renamed meanwhile"), (current.Recorded!.Version, current.Title));
    }

    [Fact]
    public async Task A_code_filter_leaves_out_measures_whose_exclusions_cover_the_code_so_every_page_but_the_last_is_full()
    {
        RequireDatabase();
        var ids = await CreateMeasures("NZ", excludedOnEvenIndexes: "850760");

        var pages = await WalkAsync(after => Store.ListTariffMeasuresAsync(new TariffFilter("NZ", null, "8507600020", null), after, 2, Latest, Ct), m => m.Id);

        Assert.Equal([[ids[1], ids[3]], [ids[5]]], pages);
        var unexcluded = await WalkAsync(after => Store.ListTariffMeasuresAsync(new TariffFilter("NZ", null, "8507100000", null), after, 2, Latest, Ct), m => m.Id);
        Assert.Equal(ids, unexcluded.SelectMany(p => p));
    }

    [Fact]
    public async Task A_code_filter_leaves_out_export_controls_whose_exclusions_cover_the_code()
    {
        RequireDatabase();
        var template = Seed.ExportControls.First(c => !c.Scope.AllProducts);
        var ids = Enumerable.Range(0, 5).Select(i => $"TEST-EXC-{i}-{Guid.NewGuid():N}"[..24]).Order(StringComparer.Ordinal).ToList();
        await Store.ApplyAsync(Set("controls", [.. ids.Select((id, i) => new RecordChange(template with
        {
            Id = id, Exporter = "NZ", AllDestinations = true, Destinations = [], Items = [],
            Scope = new ProductScope(false, ["2805"], i % 2 == 0 ? ["280530"] : [], "test scope"), Recorded = null,
        }, RecordChange.Create, ""))]), Ct);

        var pages = await WalkAsync(after => Store.ListExportControlsAsync(
            new ExportFilter("NZ", null, new ExportItem("2805301000", null), null), after, 1, Latest, Ct), c => c.Id);

        Assert.Equal([[ids[1]], [ids[3]]], pages);
    }

    private async Task<List<string>> CreateMeasures(string importer, string excludedOnEvenIndexes)
    {
        var template = Seed.TariffMeasures.Single(m => m.Id == "TAR-US-14");
        var ids = Enumerable.Range(0, 6).Select(i => $"TEST-LIST-{i}-{Guid.NewGuid():N}"[..24]).Order(StringComparer.Ordinal).ToList();
        await Store.ApplyAsync(Set("measures", [.. ids.Select((id, i) => new RecordChange(template with
        {
            Id = id, Importer = importer, AllOrigins = true, Origins = [], ExcludedBy = [],
            Scope = new ProductScope(false, ["8507"], i % 2 == 0 ? [excludedOnEvenIndexes] : [], "test scope"), Recorded = null,
        }, RecordChange.Create, ""))]), Ct);
        return ids;
    }

    /// <summary>Every page of a list, each as its ids, following the last id of a full page.</summary>
    private static async Task<List<List<string>>> WalkAsync<T>(Func<string, Task<IReadOnlyList<T>>> page, Func<T, string> id)
    {
        var pages = new List<List<string>>();
        var after = "";
        while (true)
        {
            var ids = (await page(after)).Select(id).ToList();
            if (ids.Count > 0) pages.Add(ids);
            if (ids.Count == 0 || pages.Count > 100) return pages;
            after = ids[^1];
        }
    }

    private static ChangeSet Set(string reason, params RecordChange[] changes) => new(new ChangeContext("analyst@test", reason, ""), [], null, changes);
}

public sealed class SqliteChangePlanningContract(SqliteTestDatabase database) : ChangePlanningContract<SqliteTestDatabase>(database);

public sealed class SqlServerChangePlanningContract(SqlServerTestDatabase database) : ChangePlanningContract<SqlServerTestDatabase>(database);
