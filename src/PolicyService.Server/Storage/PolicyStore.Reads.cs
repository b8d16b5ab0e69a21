using Dapper;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

// Every read is one round trip and sees each record as it was known at knownAt (DateTime.MaxValue: now).
public sealed partial class PolicyStore
{
    private readonly VersionCache<TariffMeasure> _measureVersions = new(VersionCacheCapacity);
    private readonly VersionCache<ExportControl> _controlVersions = new(VersionCacheCapacity);
    private static readonly LookupParameters TariffLookup = new("@Importer", "@Origin");
    private static readonly LookupParameters ExportLookup = new("@Exporter", "@Destination", "@Name");

    // Lookups parse only the candidate versions this process has not parsed before (VersionCache), and where the
    // dialect keeps prepared reads (SQLite) they reuse the compiled statement (PreparedReads). A code shorter than 10
    // digits also reads the records filed under the longer prefixes that start with it; a 10-digit code has none.
    public Task<IReadOnlyList<TariffMeasure>> FindTariffCandidatesAsync(string importer, string origin, string hsCode, DateTime knownAt, CancellationToken ct) =>
        _db.ReadAsync<IReadOnlyList<TariffMeasure>>(StoreOperation.FindTariffCandidates,
            HsDescendants.CanHaveAny(hsCode) ? Sql.Tariffs.FindTariffCandidatesUnder : Sql.Tariffs.FindTariffCandidates,
            TariffLookup.Declare, TariffLookup.Bind(RecordedTimes.Truncate(knownAt), hsCode, importer, origin),
            async reader => await CachedRows.ReadAsync<TariffRow, TariffMeasure>(reader, _measureVersions, rows => TariffRow.ToMeasures(rows)[0], ct),
            ct);

    public Task<TariffMeasure?> GetTariffMeasureAsync(string id, DateTime knownAt, CancellationToken ct) =>
        Query(StoreOperation.GetTariffMeasure, Sql.Tariffs.GetTariffMeasure, new { Id = id, KnownAt = RecordedTimes.Truncate(knownAt) },
            (TariffRow[] rows) => TariffRow.ToMeasures(rows).SingleOrDefault(), ct);

    public Task<IReadOnlyList<TariffMeasure>> GetTariffMeasureHistoryAsync(string id, CancellationToken ct) =>
        Query<TariffRow, IReadOnlyList<TariffMeasure>>(StoreOperation.TariffMeasureHistory, Sql.Tariffs.TariffMeasureHistory, new { Id = id },
            TariffRow.ToMeasures, ct);

    public Task<IReadOnlyList<TariffMeasure>> ListTariffMeasuresAsync(TariffFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
        Query<TariffRow, IReadOnlyList<TariffMeasure>>(StoreOperation.ListTariffMeasures, Sql.Tariffs.ListTariffMeasures,
            HsPrefixParameters.With(filter.HsCode, new { After = after, Take = take, filter.Importer, filter.Origin, filter.AsOf, KnownAt = RecordedTimes.Truncate(knownAt) }),
            TariffRow.ToMeasures, ct);

    public Task<IReadOnlyList<ExportControl>> FindExportCandidatesAsync(string exporter, string destination, ExportItem item, DateTime knownAt, CancellationToken ct) =>
        _db.ReadAsync<IReadOnlyList<ExportControl>>(StoreOperation.FindExportCandidates,
            item.HsCode is { } code && HsDescendants.CanHaveAny(code) ? Sql.ExportControls.FindExportCandidatesUnder : Sql.ExportControls.FindExportCandidates,
            ExportLookup.Declare, ExportLookup.Bind(RecordedTimes.Truncate(knownAt), item.HsCode, exporter, destination, item.Name),
            async reader => await CachedRows.ReadAsync<ControlRow, ExportControl>(reader, _controlVersions, rows => ControlRow.ToControls(rows)[0], ct),
            ct);

    public Task<ExportControl?> GetExportControlAsync(string id, DateTime knownAt, CancellationToken ct) =>
        Query(StoreOperation.GetExportControl, Sql.ExportControls.GetExportControl, new { Id = id, KnownAt = RecordedTimes.Truncate(knownAt) },
            (ControlRow[] rows) => ControlRow.ToControls(rows).SingleOrDefault(), ct);

    public Task<IReadOnlyList<ExportControl>> GetExportControlHistoryAsync(string id, CancellationToken ct) =>
        Query<ControlRow, IReadOnlyList<ExportControl>>(StoreOperation.ExportControlHistory, Sql.ExportControls.ExportControlHistory, new { Id = id },
            ControlRow.ToControls, ct);

    public Task<IReadOnlyList<ExportControl>> ListExportControlsAsync(ExportFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
        Query<ControlRow, IReadOnlyList<ExportControl>>(StoreOperation.ListExportControls, Sql.ExportControls.ListExportControls,
            HsPrefixParameters.With(filter.Item?.HsCode, new
            {
                After = after, Take = take, filter.Exporter, filter.Destination, filter.AsOf, KnownAt = RecordedTimes.Truncate(knownAt),
                ItemFilter = filter.Item is null ? 0 : 1, filter.Item?.Name,
            }),
            ControlRow.ToControls, ct);

    public Task<IReadOnlyList<TruceBundle>> FindTrucesAsync(string partyA, string partyB, DateTime knownAt, CancellationToken ct) =>
        QueryGrid<IReadOnlyList<TruceBundle>>(StoreOperation.FindTruces, Sql.Truces.FindTruces, new { PartyA = partyA, PartyB = partyB, KnownAt = RecordedTimes.Truncate(knownAt) },
            async grid =>
            {
                var truces = await ReadTruces(grid);
                var measures = TariffRow.ToMeasures(await grid.ReadAsync<TariffRow>());
                var controls = ControlRow.ToControls(await grid.ReadAsync<ControlRow>());
                return [.. truces.Select(t => TruceRows.Bundle(t, measures, controls))];
            }, ct);

    public Task<Truce?> GetTruceAsync(string id, DateTime knownAt, CancellationToken ct) =>
        QueryGrid(StoreOperation.GetTruce, Sql.Truces.GetTruce, new { Id = id, KnownAt = RecordedTimes.Truncate(knownAt) },
            async grid => (await ReadTruces(grid)).SingleOrDefault(), ct);

    public Task<IReadOnlyList<Truce>> ListTrucesAsync(TruceFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
        QueryGrid<IReadOnlyList<Truce>>(StoreOperation.ListTruces, Sql.Truces.ListTruces,
            new { After = after, Take = take, filter.Party, filter.AsOf, KnownAt = RecordedTimes.Truncate(knownAt) }, async grid => await ReadTruces(grid), ct);

    public Task<ReferenceData?> LoadReferenceDataAsync(CancellationToken ct) =>
        QueryGrid(StoreOperation.LoadReferenceData, Sql.ChangeLog.LoadReferenceData, null, async grid =>
        {
            var coverage = (await grid.ReadAsync<CoverageRow>())
                .Select(c => new CoverageEntry(DateTime.SpecifyKind(c.RecordedTime, DateTimeKind.Utc), c.ReviewedThrough)).ToList();
            var sources = (await grid.ReadAsync<SourceRow>()).Select(s => new Source(s.Id, s.Title, Json.Read<List<string>>(s.UrlsJson)));
            var terms = (await grid.ReadAsync<(string TermId, string TruceId)>()).ToDictionary(t => t.TermId, t => t.TruceId, StringComparer.Ordinal);
            var latest = await grid.ReadSingleAsync<long?>() ?? 0;
            var models = (await grid.ReadAsync<CoverageModelRow>()).Select(m => Json.Read<CoverageModel>(m.ModelJson) with
            {
                Recorded = new RecordInfo(m.Version, DateTime.SpecifyKind(m.RecordedTime, DateTimeKind.Utc), m.RecordedBy, m.Reason),
            }).ToList();
            return coverage.Count == 0 ? null : new ReferenceData(coverage, sources.ToDictionary(s => s.Id, StringComparer.Ordinal), terms, latest, models);
        }, ct);

    public Task<long> LatestChangeAsync(CancellationToken ct) =>
        _db.RunAsync(StoreOperation.LatestChange, async db =>
            await db.ExecuteScalarAsync<long?>(_db.Command(StoreOperation.LatestChange, Sql.ChangeLog.LatestChange, null, ct)) ?? 0, ct);

    public Task<IReadOnlyList<ChangeEntry>> ChangesAfterAsync(long after, int take, CancellationToken ct) =>
        Query<ChangeRow, IReadOnlyList<ChangeEntry>>(StoreOperation.ChangesAfter, Sql.ChangeLog.ChangesAfter, new { After = after, Take = take },
            rows => [.. rows.Select(c => new ChangeEntry(c.Seq, DateTime.SpecifyKind(c.RecordedTime, DateTimeKind.Utc), c.RecordedBy, c.Reason,
                c.RequestId, c.ResourceType, c.ResourceId, c.Version, c.ChangeKind))], ct);

    /// <summary>The current version of every record changed after change <paramref name="after"/> up to <paramref name="through"/>: one round trip.</summary>
    public Task<IReadOnlyList<IPolicyRecord>> CurrentVersionsChangedAsync(long after, long through, CancellationToken ct) =>
        QueryGrid<IReadOnlyList<IPolicyRecord>>(StoreOperation.CurrentVersionsChanged, Sql.ChangeLog.CurrentVersionsChanged,
            new { After = after, Through = through, KnownAt = RecordedTimes.Truncate(DateTime.MaxValue) }, async grid =>
            {
                var measures = TariffRow.ToMeasures(await grid.ReadAsync<TariffRow>());
                var controls = ControlRow.ToControls(await grid.ReadAsync<ControlRow>());
                var truces = await ReadTruces(grid);
                return [.. measures, .. controls, .. truces];
            }, ct);

    /// <summary>Every current tariff measure, in id order, handed to <paramref name="each"/> as its rows arrive (one statement, nothing buffered).</summary>
    public Task<int> ReadAllCurrentTariffMeasuresAsync(Action<TariffMeasure> each, CancellationToken ct) =>
        StreamAsync<TariffRow, TariffMeasure>(StoreOperation.AllCurrentTariffMeasures, Sql.Tariffs.AllCurrent, r => r.MeasureId,
            rows => TariffRow.ToMeasures(rows)[0], each, ct);

    public Task<int> ReadAllCurrentExportControlsAsync(Action<ExportControl> each, CancellationToken ct) =>
        StreamAsync<ControlRow, ExportControl>(StoreOperation.AllCurrentExportControls, Sql.ExportControls.AllCurrent, r => r.ControlId,
            rows => ControlRow.ToControls(rows)[0], each, ct);

    /// <summary>Rows of one statement ordered by record, grouped into records as they stream in.</summary>
    private Task<int> StreamAsync<TRow, T>(StoreOperation operation, string sql, Func<TRow, string> id, Func<List<TRow>, T> map, Action<T> each, CancellationToken ct) =>
        _db.RunAsync(operation, async db =>
        {
            var count = 0;
            var group = new List<TRow>();
            var rows = db.QueryUnbufferedAsync<TRow>(sql, new { KnownAt = RecordedTimes.Truncate(DateTime.MaxValue) }, commandTimeout: 600);
            await foreach (var row in rows.WithCancellation(ct))
            {
                if (group.Count > 0 && id(group[0]) != id(row))
                {
                    each(map(group));
                    count++;
                    group.Clear();
                }
                group.Add(row);
            }
            if (group.Count > 0)
            {
                each(map(group));
                count++;
            }
            return count;
        }, ct);

    public Task<ChangeResult?> FindRequestAsync(string requestId, CancellationToken ct) =>
        _db.RunAsync(StoreOperation.FindRequest, async db =>
            await db.ExecuteScalarAsync<string?>(_db.Command(StoreOperation.FindRequest, Sql.ChangeLog.FindRequest, new { RequestId = requestId }, ct)) is { } json
                ? Json.Read<ChangeResult>(json) with { Replayed = true }
                : null, ct);

    /// <summary>One statement's rows, mapped.</summary>
    private Task<T> Query<TRow, T>(StoreOperation operation, string sql, object? parameters, Func<TRow[], T> map, CancellationToken ct) =>
        _db.RunAsync(operation, async db => map([.. await db.QueryAsync<TRow>(_db.Command(operation, sql, parameters, ct))]), ct);

    /// <summary>One batch of statements, read result by result.</summary>
    private Task<T> QueryGrid<T>(StoreOperation operation, string sql, object? parameters, Func<SqlMapper.GridReader, Task<T>> read, CancellationToken ct) =>
        _db.RunAsync(operation, async db =>
        {
            using var grid = await db.QueryMultipleAsync(_db.Command(operation, sql, parameters, ct));
            return await read(grid);
        }, ct);

    private static async Task<List<Truce>> ReadTruces(SqlMapper.GridReader grid) =>
        TruceRows.ToTruces(await grid.ReadAsync<TruceRow>(), await grid.ReadAsync<ExtensionRow>(),
            await grid.ReadAsync<TermRow>(), await grid.ReadAsync<EventRow>());
}
