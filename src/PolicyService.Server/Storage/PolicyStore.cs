using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using PolicyService.Server.Domain;
using PolicyService.Server.Observability;
using PolicyService.Server.Queries;

namespace PolicyService.Server.Storage;

/// <summary>The Dapper store. Its SQL is shared by both databases; <see cref="ISqlDialect"/> carries the differences.</summary>
public sealed class PolicyStore : IPolicyStore
{
    private readonly ISqlDialect _dialect;
    private readonly PolicySql _sql;

    static PolicyStore() => DateOnlyHandler.Register();

    public PolicyStore(ISqlDialect dialect)
    {
        _dialect = dialect;
        _sql = new PolicySql(dialect);
    }

    public Task<IReadOnlyList<TariffMeasure>> FindTariffCandidatesAsync(string importer, string origin, string hsCode, CancellationToken ct) =>
        Read<IReadOnlyList<TariffMeasure>>(async db => TariffRow.ToMeasures(await db.QueryAsync<TariffRow>(
            Command(_sql.TariffCandidates, PrefixParameters(hsCode, new { Importer = importer, Origin = origin }), ct))));

    public Task<TariffMeasure?> GetTariffMeasureAsync(string id, CancellationToken ct) =>
        Read(async db => TariffRow.ToMeasures(await db.QueryAsync<TariffRow>(Command(_sql.TariffMeasureById, new { Id = id }, ct))).SingleOrDefault());

    public Task<IReadOnlyList<TariffMeasure>> ListTariffMeasuresAsync(TariffFilter filter, string after, int take, CancellationToken ct) =>
        Read<IReadOnlyList<TariffMeasure>>(async db => TariffRow.ToMeasures(await db.QueryAsync<TariffRow>(Command(_sql.TariffMeasurePage,
            PrefixParameters(filter.HsCode, new { After = after, Take = take, filter.Importer, filter.Origin, filter.AsOf }), ct))));

    public Task<IReadOnlyList<ExportControl>> FindExportCandidatesAsync(string exporter, string destination, ExportItem item, CancellationToken ct) =>
        Read<IReadOnlyList<ExportControl>>(async db => ControlRow.ToControls(await db.QueryAsync<ControlRow>(Command(_sql.ExportCandidates,
            PrefixParameters(item.HsCode, new { Exporter = exporter, Destination = destination, item.Name }), ct))));

    public Task<ExportControl?> GetExportControlAsync(string id, CancellationToken ct) =>
        Read(async db => ControlRow.ToControls(await db.QueryAsync<ControlRow>(Command(_sql.ExportControlById, new { Id = id }, ct))).SingleOrDefault());

    public Task<IReadOnlyList<ExportControl>> ListExportControlsAsync(ExportFilter filter, string after, int take, CancellationToken ct) =>
        Read<IReadOnlyList<ExportControl>>(async db => ControlRow.ToControls(await db.QueryAsync<ControlRow>(Command(_sql.ExportControlPage,
            PrefixParameters(filter.Item?.HsCode, new
            {
                After = after, Take = take, filter.Exporter, filter.Destination, filter.AsOf,
                ItemFilter = filter.Item is null ? 0 : 1, filter.Item?.Name,
            }), ct))));

    public Task<IReadOnlyList<TruceBundle>> FindTrucesAsync(string partyA, string partyB, CancellationToken ct) =>
        Read<IReadOnlyList<TruceBundle>>(async db =>
        {
            using var grid = await db.QueryMultipleAsync(Command(_sql.TrucesBetween, new { PartyA = partyA, PartyB = partyB }, ct));
            var truces = await ReadTruces(grid);
            var measures = TariffRow.ToMeasures(await grid.ReadAsync<TariffRow>());
            var controls = ControlRow.ToControls(await grid.ReadAsync<ControlRow>());
            return truces.Select(t =>
            {
                var terms = t.Terms.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
                return new TruceBundle(t,
                    measures.Where(m => m.Periods.Any(p => p.TruceTermId is { } id && terms.Contains(id))).ToList(),
                    controls.Where(c => c.Periods.Any(p => p.TruceTermId is { } id && terms.Contains(id))).ToList());
            }).ToList();
        });

    public Task<Truce?> GetTruceAsync(string id, CancellationToken ct) =>
        Read(async db =>
        {
            using var grid = await db.QueryMultipleAsync(Command(_sql.TruceById, new { Id = id }, ct));
            return (await ReadTruces(grid)).SingleOrDefault();
        });

    public Task<IReadOnlyList<Truce>> ListTrucesAsync(TruceFilter filter, string after, int take, CancellationToken ct) =>
        Read<IReadOnlyList<Truce>>(async db =>
        {
            using var grid = await db.QueryMultipleAsync(Command(_sql.TrucePage, new { After = after, Take = take, filter.Party, filter.AsOf }, ct));
            return await ReadTruces(grid);
        });

    public Task<ReferenceData?> LoadReferenceDataAsync(CancellationToken ct) =>
        Read(async db =>
        {
            using var grid = await db.QueryMultipleAsync(Command($"{_sql.DatasetInfo};\n{_sql.AllSources};\n{_sql.TermTruces};", null, ct));
            var reviewed = (await grid.ReadAsync<DateOnly>()).ToList();
            var sources = (await grid.ReadAsync<SourceRow>()).Select(s => new Source(s.Id, s.Title, Json.Read<List<string>>(s.UrlsJson)));
            var terms = (await grid.ReadAsync<(string TermId, string TruceId)>()).ToDictionary(t => t.TermId, t => t.TruceId, StringComparer.Ordinal);
            return reviewed.Count == 0 ? null : new ReferenceData(reviewed[0], sources.ToDictionary(s => s.Id, StringComparer.Ordinal), terms);
        });

    public Task PingAsync(CancellationToken ct) => Read(db => db.ExecuteScalarAsync<int>(Command(_sql.Ping, null, ct)));

    public Task ImportAsync(PolicyDataset dataset, CancellationToken ct) =>
        Read(async db =>
        {
            await using var tx = _dialect.BeginWriteTransaction(db);
            Task Exec(string sql, object rows) => db.ExecuteAsync(new CommandDefinition(sql, rows, tx, cancellationToken: ct));

            await Exec(_sql.InsertSource, dataset.Sources.Select(s => new { s.Id, s.Title, UrlsJson = Json.Write(s.Urls) }));
            foreach (var m in dataset.TariffMeasures)
            {
                var rows = TariffRow.From(m).ToList();
                await Exec(_sql.InsertTariffMeasure, rows[0]);
                await Exec(_sql.InsertTariffPeriod, rows);
                await Exec(_sql.InsertTariffScope, ScopeKeys(m.Scope).Select(p => new { m.Importer, Prefix = p, MeasureId = m.Id }));
                await Exec(_sql.InsertTariffOrigin, m.Origins.Select(o => new { Origin = o, MeasureId = m.Id }));
            }
            foreach (var c in dataset.ExportControls)
            {
                var rows = ControlRow.From(c).ToList();
                await Exec(_sql.InsertExportControl, rows[0]);
                await Exec(_sql.InsertExportPeriod, rows);
                await Exec(_sql.InsertExportScope, ScopeKeys(c.Scope).Select(p => new { c.Exporter, Prefix = p, ControlId = c.Id }));
                await Exec(_sql.InsertExportItem, c.Items.Select(i => i.Name).Distinct().Select(n => new { c.Exporter, Name = n, ControlId = c.Id }));
                await Exec(_sql.InsertExportDestination, c.Destinations.Select(d => new { Destination = d, ControlId = c.Id }));
            }
            foreach (var t in dataset.Truces)
            {
                await Exec(_sql.InsertTruce, new
                {
                    TruceId = t.Id, t.Title, PartiesJson = Json.Write(t.Parties), t.ConcludedDate, t.EffectiveDate,
                    Confidence = Json.Name(t.Confidence), t.Notes, SourceIdsJson = Json.Write(t.SourceIds),
                });
                await Exec(_sql.InsertTruceParty, t.Parties.Select(p => new { Party = p, TruceId = t.Id }));
                await Exec(_sql.InsertTruceExtension, t.Extensions.Select((e, i) => new
                {
                    TruceId = t.Id, Seq = i + 1, e.RecordId, e.StartDate, e.ExpiryDate, e.LegalInstrument, e.Note,
                }));
                await Exec(_sql.InsertTruceTerm, t.Terms.Select((x, i) => new
                {
                    TermId = x.Id, TruceId = t.Id, Seq = i + 1, CommittingPartiesJson = Json.Write(x.CommittingParties),
                    TermType = Json.Name(x.TermType), x.Scope, x.Description, x.LegalInstrument, x.AnnouncedDate, x.EffectiveDate,
                    x.StatusNote, MeasureIdsJson = Json.Write(x.MeasureIds), PurchasesJson = Json.Write(x.Purchases),
                    SourceIdsJson = Json.Write(x.SourceIds), Confidence = Json.Name(x.Confidence),
                }));
                await Exec(_sql.InsertPolicyEvent, t.Events.Select((e, i) => new
                {
                    EventId = e.Id, TruceId = t.Id, Seq = i + 1, EventDate = e.Date, ActorsJson = Json.Write(e.Actors), e.Subject,
                    e.Description, SourceIdsJson = Json.Write(e.SourceIds), Confidence = Json.Name(e.Confidence),
                }));
            }
            await Exec(_sql.InsertDatasetInfo, new { dataset.ReviewedThrough, LoadedAt = DateTime.UtcNow });
            await tx.CommitAsync(ct);
            return 0;
        });

    /// <summary>The SQL this store runs, for tests that parse it.</summary>
    public PolicySql Sql => _sql;

    // "" is the key of an all-products scope: a lookup always asks for it.
    private static IEnumerable<string> ScopeKeys(ProductScope scope) =>
        (scope.AllProducts ? [""] : Enumerable.Empty<string>()).Concat(scope.HsPrefixes).Distinct(StringComparer.Ordinal);

    /// <summary>Adds @P0..@P10: the code's prefixes of 0, 2, 4, 6, 8 and 10 digits (repeating the code where it is shorter).</summary>
    private static DynamicParameters PrefixParameters(string? hsCode, object parameters)
    {
        var p = new DynamicParameters(parameters);
        foreach (var length in HsCode.PrefixLengths)
        {
            p.Add($"P{length}", hsCode is null ? null : hsCode[..Math.Min(length, hsCode.Length)]);
        }
        return p;
    }

    private static CommandDefinition Command(string sql, object? parameters, CancellationToken ct) =>
        new(sql, parameters, cancellationToken: ct);

    private static async Task<List<Truce>> ReadTruces(SqlMapper.GridReader grid) =>
        TruceRows.ToTruces(await grid.ReadAsync<TruceRow>(), await grid.ReadAsync<ExtensionRow>(),
            await grid.ReadAsync<TermRow>(), await grid.ReadAsync<EventRow>());

    // Every store call passes here once: the one place that times database work (PolicyTelemetry's store metrics and spans).
    private async Task<T> Read<T>(Func<DbConnection, Task<T>> work, [CallerMemberName] string operation = "")
    {
        using var call = PolicyTelemetry.StartStoreCall(_dialect.Name, operation);
        try
        {
            return await ReadCore(work);
        }
        catch (Exception e) when (call.Failed(e))
        {
            throw; // never reached: Failed returns false
        }
    }

    private async Task<T> ReadCore<T>(Func<DbConnection, Task<T>> work)
    {
        await using var db = _dialect.CreateConnection();
        try
        {
            await db.OpenAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StoreUnavailableException($"The {_dialect.Name} database cannot be opened.", e);
        }
        try
        {
            return await work(db);
        }
        catch (Exception e) when (_dialect.IsUnavailable(e))
        {
            throw new StoreUnavailableException($"The {_dialect.Name} database is unavailable.", e);
        }
    }

    private sealed class SourceRow
    {
        public string Id { get; set; } = "";
        public string Title { get; set; } = "";
        public string UrlsJson { get; set; } = "[]";
    }
}
