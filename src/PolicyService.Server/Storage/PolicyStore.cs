using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using PolicyService.Server.Domain;
using PolicyService.Server.Observability;
using PolicyService.Server.Queries;

namespace PolicyService.Server.Storage;

/// <summary>The Dapper store. Its SQL is shared by both databases; <see cref="ISqlDialect"/> carries the differences.</summary>
public sealed class PolicyStore : IPolicyStore, IDisposable
{
    public const string TariffMeasureType = "tariff_measure";
    public const string ExportControlType = "export_control";
    public const string TruceType = "truce";

    /// <summary>Parsed versions kept per kind of record (two generations of this many; see <see cref="VersionCache{T}"/>).</summary>
    public const int VersionCacheCapacity = 20_000;

    private readonly ISqlDialect _dialect;
    private readonly PolicySql _sql;
    private readonly VersionCache<TariffMeasure> _measureVersions = new(VersionCacheCapacity);
    private readonly VersionCache<ExportControl> _controlVersions = new(VersionCacheCapacity);
    private readonly PreparedReads? _preparedReads;

    static PolicyStore()
    {
        DateOnlyHandler.Register();
        // DATETIME2, not DATETIME: full precision, and room for DateTime.MaxValue ("known now").
        SqlMapper.AddTypeMap(typeof(DateTime), DbType.DateTime2);
        SqlMapper.AddTypeMap(typeof(DateTime?), DbType.DateTime2);
    }

    public PolicyStore(ISqlDialect dialect)
    {
        _dialect = dialect;
        _sql = new PolicySql(dialect);
        RoundTrips = new StoreRoundTrips(dialect.Name);
        if (dialect.KeepsPreparedReads) _preparedReads = new PreparedReads(dialect);
    }

    /// <summary>Closes the connections kept for prepared reads.</summary>
    public void Dispose() => _preparedReads?.Dispose();

    /// <summary>Every command this store has sent to the database, by operation.</summary>
    public StoreRoundTrips RoundTrips { get; }

    /// <summary>The SQL this store runs, for tests that parse it.</summary>
    public PolicySql Sql => _sql;

    // Lookups parse only the candidate versions this process has not parsed before (see VersionCache), and where the
    // dialect keeps prepared reads (SQLite) they reuse the compiled statement (see PreparedReads).
    public Task<IReadOnlyList<TariffMeasure>> FindTariffCandidatesAsync(string importer, string origin, string hsCode, DateTime knownAt, CancellationToken ct) =>
        HotReadAsync<IReadOnlyList<TariffMeasure>>(StoreOperation.FindTariffCandidates, _sql.TariffCandidates,
            command =>
            {
                ReadParameters.DeclareString(command, "@Importer");
                ReadParameters.DeclareString(command, "@Origin");
                ReadParameters.DeclareInstant(command, "@KnownAt");
                DeclarePrefixes(command);
            },
            command =>
            {
                ReadParameters.Set(command, "@Importer", importer);
                ReadParameters.Set(command, "@Origin", origin);
                ReadParameters.Set(command, "@KnownAt", RecordedTimes.Truncate(knownAt));
                SetPrefixes(command, hsCode);
            },
            async reader => await CachedRows.ReadAsync<TariffRow, TariffMeasure>(reader, _measureVersions, rows => TariffRow.ToMeasures(rows)[0], ct),
            ct);

    public Task<TariffMeasure?> GetTariffMeasureAsync(string id, DateTime knownAt, CancellationToken ct) =>
        Use(async db => TariffRow.ToMeasures(await db.QueryAsync<TariffRow>(
            RoundTrip(StoreOperation.GetTariffMeasure, _sql.TariffMeasureById, new { Id = id, KnownAt = RecordedTimes.Truncate(knownAt) }, ct))).SingleOrDefault());

    public Task<IReadOnlyList<TariffMeasure>> GetTariffMeasureHistoryAsync(string id, CancellationToken ct) =>
        Use<IReadOnlyList<TariffMeasure>>(async db => TariffRow.ToMeasures(await db.QueryAsync<TariffRow>(
            RoundTrip(StoreOperation.TariffMeasureHistory, _sql.TariffMeasureVersions, new { Id = id }, ct))));

    public Task<IReadOnlyList<TariffMeasure>> ListTariffMeasuresAsync(TariffFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
        Use<IReadOnlyList<TariffMeasure>>(async db => TariffRow.ToMeasures(await db.QueryAsync<TariffRow>(RoundTrip(StoreOperation.ListTariffMeasures, _sql.TariffMeasurePage,
            PrefixParameters(filter.HsCode, new { After = after, Take = take, filter.Importer, filter.Origin, filter.AsOf, KnownAt = RecordedTimes.Truncate(knownAt) }), ct))));

    public Task<IReadOnlyList<ExportControl>> FindExportCandidatesAsync(string exporter, string destination, ExportItem item, DateTime knownAt, CancellationToken ct) =>
        HotReadAsync<IReadOnlyList<ExportControl>>(StoreOperation.FindExportCandidates, _sql.ExportCandidates,
            command =>
            {
                ReadParameters.DeclareString(command, "@Exporter");
                ReadParameters.DeclareString(command, "@Destination");
                ReadParameters.DeclareString(command, "@Name");
                ReadParameters.DeclareInstant(command, "@KnownAt");
                DeclarePrefixes(command);
            },
            command =>
            {
                ReadParameters.Set(command, "@Exporter", exporter);
                ReadParameters.Set(command, "@Destination", destination);
                ReadParameters.Set(command, "@Name", item.Name);
                ReadParameters.Set(command, "@KnownAt", RecordedTimes.Truncate(knownAt));
                SetPrefixes(command, item.HsCode);
            },
            async reader => await CachedRows.ReadAsync<ControlRow, ExportControl>(reader, _controlVersions, rows => ControlRow.ToControls(rows)[0], ct),
            ct);

    public Task<ExportControl?> GetExportControlAsync(string id, DateTime knownAt, CancellationToken ct) =>
        Use(async db => ControlRow.ToControls(await db.QueryAsync<ControlRow>(
            RoundTrip(StoreOperation.GetExportControl, _sql.ExportControlById, new { Id = id, KnownAt = RecordedTimes.Truncate(knownAt) }, ct))).SingleOrDefault());

    public Task<IReadOnlyList<ExportControl>> GetExportControlHistoryAsync(string id, CancellationToken ct) =>
        Use<IReadOnlyList<ExportControl>>(async db => ControlRow.ToControls(await db.QueryAsync<ControlRow>(
            RoundTrip(StoreOperation.ExportControlHistory, _sql.ExportControlVersions, new { Id = id }, ct))));

    public Task<IReadOnlyList<ExportControl>> ListExportControlsAsync(ExportFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
        Use<IReadOnlyList<ExportControl>>(async db => ControlRow.ToControls(await db.QueryAsync<ControlRow>(RoundTrip(StoreOperation.ListExportControls, _sql.ExportControlPage,
            PrefixParameters(filter.Item?.HsCode, new
            {
                After = after, Take = take, filter.Exporter, filter.Destination, filter.AsOf, KnownAt = RecordedTimes.Truncate(knownAt),
                ItemFilter = filter.Item is null ? 0 : 1, filter.Item?.Name,
            }), ct))));

    public Task<IReadOnlyList<TruceBundle>> FindTrucesAsync(string partyA, string partyB, DateTime knownAt, CancellationToken ct) =>
        Use<IReadOnlyList<TruceBundle>>(async db =>
        {
            using var grid = await db.QueryMultipleAsync(RoundTrip(StoreOperation.FindTruces, _sql.TrucesBetween, new { PartyA = partyA, PartyB = partyB, KnownAt = RecordedTimes.Truncate(knownAt) }, ct));
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

    public Task<Truce?> GetTruceAsync(string id, DateTime knownAt, CancellationToken ct) =>
        Use(async db =>
        {
            using var grid = await db.QueryMultipleAsync(RoundTrip(StoreOperation.GetTruce, _sql.TruceById, new { Id = id, KnownAt = RecordedTimes.Truncate(knownAt) }, ct));
            return (await ReadTruces(grid)).SingleOrDefault();
        });

    public Task<IReadOnlyList<Truce>> ListTrucesAsync(TruceFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
        Use<IReadOnlyList<Truce>>(async db =>
        {
            using var grid = await db.QueryMultipleAsync(RoundTrip(StoreOperation.ListTruces, _sql.TrucePage,
                new { After = after, Take = take, filter.Party, filter.AsOf, KnownAt = RecordedTimes.Truncate(knownAt) }, ct));
            return await ReadTruces(grid);
        });

    public Task<ReferenceData?> LoadReferenceDataAsync(CancellationToken ct) =>
        Use(async db =>
        {
            using var grid = await db.QueryMultipleAsync(RoundTrip(StoreOperation.LoadReferenceData,
                $"{_sql.CoverageHistory};\n{_sql.AllSources};\n{_sql.TermTruces};\n{_sql.LatestChange};", null, ct));
            var coverage = (await grid.ReadAsync<CoverageRow>())
                .Select(c => new CoverageEntry(DateTime.SpecifyKind(c.RecordedTime, DateTimeKind.Utc), c.ReviewedThrough)).ToList();
            var sources = (await grid.ReadAsync<SourceRow>()).Select(s => new Source(s.Id, s.Title, Json.Read<List<string>>(s.UrlsJson)));
            var terms = (await grid.ReadAsync<(string TermId, string TruceId)>()).ToDictionary(t => t.TermId, t => t.TruceId, StringComparer.Ordinal);
            var latest = await grid.ReadSingleAsync<long?>() ?? 0;
            return coverage.Count == 0 ? null : new ReferenceData(coverage, sources.ToDictionary(s => s.Id, StringComparer.Ordinal), terms, latest);
        });

    public Task<long> LatestChangeAsync(CancellationToken ct) =>
        Use(async db => await db.ExecuteScalarAsync<long?>(RoundTrip(StoreOperation.LatestChange, _sql.LatestChange, null, ct)) ?? 0);

    public Task<IReadOnlyList<ChangeEntry>> ChangesAfterAsync(long after, int take, CancellationToken ct) =>
        Use<IReadOnlyList<ChangeEntry>>(async db => (await db.QueryAsync<ChangeRow>(RoundTrip(StoreOperation.ChangesAfter, _sql.ChangesAfter, new { After = after, Take = take }, ct)))
            .Select(c => new ChangeEntry(c.Seq, DateTime.SpecifyKind(c.RecordedTime, DateTimeKind.Utc), c.RecordedBy, c.Reason, c.RequestId,
                c.ResourceType, c.ResourceId, c.Version, c.ChangeKind))
            .ToList());

    public Task<ChangeResult?> FindRequestAsync(string requestId, CancellationToken ct) =>
        Use(async db => await db.ExecuteScalarAsync<string?>(RoundTrip(StoreOperation.FindRequest, _sql.FindRequest, new { RequestId = requestId }, ct)) is { } json
            ? Json.Read<ChangeResult>(json) with { Replayed = true }
            : null);

    public Task PingAsync(CancellationToken ct) => Use(db => db.ExecuteScalarAsync<int>(RoundTrip(StoreOperation.Ping, _sql.Ping, null, ct)));

    public Task<ChangeResult> ApplyAsync(ChangeSet changes, CancellationToken ct, Action<int>? written = null) =>
        Use(async db =>
        {
            await using var tx = _dialect.BeginWriteTransaction(db);
            Task<T?> Scalar<T>(string sql, object? parameters)
            {
                RoundTrips.Add(StoreOperation.Write);
                return db.ExecuteScalarAsync<T?>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
            }
            Task Exec(string sql, object? rows)
            {
                // Dapper runs the statement once per element of a list of rows: one round trip each.
                if (rows is IEnumerable<object> many)
                {
                    var list = many.ToList();
                    RoundTrips.Add(StoreOperation.Write, list.Count);
                    return list.Count == 0 ? Task.CompletedTask : db.ExecuteAsync(new CommandDefinition(sql, list, tx, cancellationToken: ct));
                }
                RoundTrips.Add(StoreOperation.Write);
                return db.ExecuteAsync(new CommandDefinition(sql, rows, tx, cancellationToken: ct));
            }

            // Writers queue here, so change_log sequence numbers are handed out in commit order.
            await Exec(_dialect.TakeWriteLock, null);
            var context = changes.Context;
            if (context.RequestId.Length > 0 && await Scalar<string>(_sql.FindRequest, new { context.RequestId }) is { } committed)
                return Json.Read<ChangeResult>(committed) with { Replayed = true };

            // Recorded times only move forward, even if this host's clock is behind the last writer's.
            var now = RecordedTimes.Truncate(DateTime.UtcNow);
            if (await Scalar<DateTime?>(_sql.LatestChangeTime, null) is { } previous && now <= previous) now = RecordedTimes.After(previous);
            now = DateTime.SpecifyKind(now, DateTimeKind.Utc);

            foreach (var source in changes.Sources)
            {
                if (await Scalar<long>(_sql.SourceExists, new { source.Id }) == 0)
                    await Exec(_sql.InsertSource, new { source.Id, source.Title, UrlsJson = Json.Write(source.Urls), RecordedTime = now });
            }
            if (changes.ReviewedThrough is { } reviewed)
                await Exec(_sql.InsertCoverage, new { RecordedTime = now, ReviewedThrough = reviewed, context.RecordedBy });

            var records = new List<StoredVersion>();
            long first = 0, last = 0;
            foreach (var change in changes.Changes)
            {
                var (type, id, versionSql) = change.Record switch
                {
                    TariffMeasure m => (TariffMeasureType, m.Id, _sql.TariffMeasureVersion),
                    ExportControl c => (ExportControlType, c.Id, _sql.ExportControlVersion),
                    Truce t => (TruceType, t.Id, _sql.TruceVersion),
                    _ => throw new ArgumentException($"Cannot store a {change.Record.GetType().Name}.", nameof(changes)),
                };
                var current = await Scalar<int?>(versionSql, new { Id = id }) ?? 0;
                var currentEtag = current == 0 ? "" : current.ToString(CultureInfo.InvariantCulture);
                if (change.ExpectedEtag is { } expected && expected != currentEtag)
                    throw new ConcurrencyConflictException(type, id, expected, current);

                var info = new RecordInfo(current + 1, now, context.RecordedBy, context.Reason);
                await (change.Record switch
                {
                    TariffMeasure m => WriteTariffMeasure(m, info, Exec),
                    ExportControl c => WriteExportControl(c, info, Exec),
                    _ => WriteTruce((Truce)change.Record, info, Exec),
                });
                await Exec(_sql.InsertChange, new
                {
                    RecordedTime = now, context.RecordedBy, context.Reason, context.RequestId,
                    ResourceType = type, ResourceId = id, info.Version, change.ChangeKind,
                });
                last = await Scalar<long>(_sql.LatestChange, null);
                if (first == 0) first = last;
                records.Add(new StoredVersion(type, id, info.Version));
                written?.Invoke(records.Count);
            }

            var result = new ChangeResult(first, last, now, records);
            if (context.RequestId.Length > 0)
            {
                await Exec(_sql.InsertRequest, new
                {
                    context.RequestId, RecordedTime = now, context.RecordedBy, FirstSeq = first, LastSeq = last, ResultJson = Json.Write(result),
                });
            }
            await tx.CommitAsync(ct);
            return result;
        });

    private async Task WriteTariffMeasure(TariffMeasure m, RecordInfo info, Func<string, object?, Task> exec)
    {
        var rows = TariffRow.From(m, info).ToList();
        await exec(_sql.InsertTariffMeasure, rows[0]);
        await exec(_sql.InsertTariffPeriod, rows);
        await exec(_sql.InsertTariffScope, ScopeKeys(m.Scope).Select(p => new { m.Importer, Prefix = p, MeasureId = m.Id, info.Version }));
        await exec(_sql.InsertTariffOrigin, m.Origins.Select(o => new { Origin = o, MeasureId = m.Id, info.Version }));
        var lanes = (m.AllOrigins ? [""] : Enumerable.Empty<string>()).Concat(m.Origins).Distinct(StringComparer.Ordinal).ToList();
        await exec(_sql.InsertTariffLaneScope, ScopeKeys(m.Scope).SelectMany(p => lanes.Select(o => new { m.Importer, Origin = o, Prefix = p, MeasureId = m.Id, info.Version })));
    }

    private async Task WriteExportControl(ExportControl c, RecordInfo info, Func<string, object?, Task> exec)
    {
        var rows = ControlRow.From(c, info).ToList();
        await exec(_sql.InsertExportControl, rows[0]);
        await exec(_sql.InsertExportPeriod, rows);
        await exec(_sql.InsertExportScope, ScopeKeys(c.Scope).Select(p => new { c.Exporter, Prefix = p, ControlId = c.Id, info.Version }));
        await exec(_sql.InsertExportItem, c.Items.Select(i => i.Name).Distinct().Select(n => new { c.Exporter, Name = n, ControlId = c.Id, info.Version }));
        await exec(_sql.InsertExportDestination, c.Destinations.Select(d => new { Destination = d, ControlId = c.Id, info.Version }));
    }

    private async Task WriteTruce(Truce t, RecordInfo info, Func<string, object?, Task> exec)
    {
        await exec(_sql.InsertTruce, new
        {
            TruceId = t.Id, info.Version, info.RecordedTime, info.RecordedBy, info.Reason, t.Title, PartiesJson = Json.Write(t.Parties),
            t.ConcludedDate, t.EffectiveDate, Confidence = Json.Name(t.Confidence), t.Notes, SourceIdsJson = Json.Write(t.SourceIds),
        });
        await exec(_sql.InsertTruceParty, t.Parties.Select(p => new { Party = p, TruceId = t.Id, info.Version }));
        await exec(_sql.InsertTruceExtension, t.Extensions.Select((e, i) => new
        {
            TruceId = t.Id, info.Version, Seq = i + 1, e.RecordId, e.StartDate, e.ExpiryDate, e.LegalInstrument, e.Note,
        }));
        await exec(_sql.InsertTruceTerm, t.Terms.Select((x, i) => new
        {
            TermId = x.Id, TruceId = t.Id, info.Version, Seq = i + 1, CommittingPartiesJson = Json.Write(x.CommittingParties),
            TermType = Json.Name(x.TermType), x.Scope, x.Description, x.LegalInstrument, x.AnnouncedDate, x.EffectiveDate,
            x.StatusNote, MeasureIdsJson = Json.Write(x.MeasureIds), PurchasesJson = Json.Write(x.Purchases),
            SourceIdsJson = Json.Write(x.SourceIds), Confidence = Json.Name(x.Confidence),
        }));
        await exec(_sql.InsertPolicyEvent, t.Events.Select((e, i) => new
        {
            EventId = e.Id, TruceId = t.Id, info.Version, Seq = i + 1, EventDate = e.Date, ActorsJson = Json.Write(e.Actors), e.Subject,
            e.Description, SourceIdsJson = Json.Write(e.SourceIds), Confidence = Json.Name(e.Confidence),
        }));
    }

    // "" is the key of an all-products scope: a lookup always asks for it.
    private static IEnumerable<string> ScopeKeys(ProductScope scope) =>
        (scope.AllProducts ? [""] : Enumerable.Empty<string>()).Concat(scope.HsPrefixes).Distinct(StringComparer.Ordinal);

    private static void DeclarePrefixes(DbCommand command)
    {
        foreach (var length in HsCode.PrefixLengths) ReadParameters.DeclareString(command, PrefixNames[length]);
    }

    /// <summary>Sets @P0..@P10 as <see cref="PrefixParameters"/> does.</summary>
    private static void SetPrefixes(DbCommand command, string? hsCode)
    {
        foreach (var length in HsCode.PrefixLengths) ReadParameters.Set(command, PrefixNames[length], hsCode?[..Math.Min(length, hsCode.Length)]);
    }

    private static readonly string[] PrefixNames = [.. Enumerable.Range(0, HsCode.MaxDigits + 1).Select(i => $"@P{i}")];

    /// <summary>
    /// One of the lookups' reads: one command, one round trip. Where the dialect keeps prepared reads the command is
    /// compiled once per connection and reused; otherwise it is a new command on a pooled connection, as every other read.
    /// Failures map to <see cref="StoreUnavailableException"/> as in <see cref="Use{T}"/>.
    /// </summary>
    private async Task<T> HotReadAsync<T>(StoreOperation operation, string sql, Action<DbCommand> declare, Action<DbCommand> bind,
        Func<DbDataReader, Task<T>> read, CancellationToken ct)
    {
        RoundTrips.Add(operation);
        if (_preparedReads is null)
        {
            return await Use(async db =>
            {
                await using var command = db.CreateCommand();
                command.CommandText = sql;
                declare(command);
                bind(command);
                await using var reader = await command.ExecuteReaderAsync(ct);
                return await read(reader);
            }, operation.ToString());
        }

        // Timed like every other store call (Use), so prepared SQLite reads show in the store metrics and traces too.
        using var call = PolicyTelemetry.StartStoreCall(_dialect.Name, operation.ToString());
        try
        {
            return await PreparedReadAsync(_preparedReads, sql, declare, bind, read, ct);
        }
        catch (Exception e) when (call.Failed(e))
        {
            throw; // never reached: Failed returns false
        }
    }

    private async Task<T> PreparedReadAsync<T>(PreparedReads preparedReads, string sql, Action<DbCommand> declare, Action<DbCommand> bind,
        Func<DbDataReader, Task<T>> read, CancellationToken ct)
    {
        PreparedReads.Session session;
        try
        {
            session = await preparedReads.RentAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw StoreErrors.CannotOpen(_dialect, e);
        }
        try
        {
            var command = session.Command(sql, declare);
            bind(command);
            T result;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                result = await read(reader);
            }
            preparedReads.Return(session);
            return result;
        }
        catch (Exception e)
        {
            preparedReads.Discard(session);
            if (_dialect.IsUnavailable(e)) throw new StoreUnavailableException($"The {_dialect.Name} database is unavailable.", e);
            throw;
        }
    }

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

    /// <summary>The command for one round trip to the database, counted in <see cref="RoundTrips"/>.</summary>
    private CommandDefinition RoundTrip(StoreOperation operation, string sql, object? parameters, CancellationToken ct)
    {
        RoundTrips.Add(operation);
        return new(sql, parameters, cancellationToken: ct);
    }

    private static async Task<List<Truce>> ReadTruces(SqlMapper.GridReader grid) =>
        TruceRows.ToTruces(await grid.ReadAsync<TruceRow>(), await grid.ReadAsync<ExtensionRow>(),
            await grid.ReadAsync<TermRow>(), await grid.ReadAsync<EventRow>());

    // Every store call passes here once: the one place that times database work (PolicyTelemetry's store metrics and spans).
    private async Task<T> Use<T>(Func<DbConnection, Task<T>> work, [CallerMemberName] string operation = "")
    {
        using var call = PolicyTelemetry.StartStoreCall(_dialect.Name, operation);
        try
        {
            return await UseCore(work);
        }
        catch (Exception e) when (call.Failed(e))
        {
            throw; // never reached: Failed returns false
        }
    }

    /// <summary>Runs work on an open connection; connection failures and transient errors become <see cref="StoreUnavailableException"/>.</summary>
    private async Task<T> UseCore<T>(Func<DbConnection, Task<T>> work)
    {
        await using var db = _dialect.CreateConnection();
        try
        {
            await db.OpenAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw StoreErrors.CannotOpen(_dialect, e);
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

    private sealed class CoverageRow
    {
        public DateTime RecordedTime { get; set; }
        public DateOnly ReviewedThrough { get; set; }
    }

    private sealed class ChangeRow
    {
        public long Seq { get; set; }
        public DateTime RecordedTime { get; set; }
        public string RecordedBy { get; set; } = "";
        public string Reason { get; set; } = "";
        public string RequestId { get; set; } = "";
        public string ResourceType { get; set; } = "";
        public string ResourceId { get; set; } = "";
        public int Version { get; set; }
        public string ChangeKind { get; set; } = "";
    }
}
