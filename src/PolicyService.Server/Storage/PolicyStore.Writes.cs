using System.Data.Common;
using System.Globalization;
using Dapper;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

// Writes append versions inside one serialised transaction; nothing is updated in place or deleted.
public sealed partial class PolicyStore
{
    public Task<ChangeResult> ApplyAsync(ChangeSet changes, CancellationToken ct, Action<int>? written = null) =>
        _db.RunAsync(StoreOperation.Write, async db =>
        {
            // Writers queue here, before the transaction begins, so change_log sequence numbers are handed out in commit
            // order and a snapshot-isolation engine snapshots after the previous writer's commit.
            await db.ExecuteAsync(_db.Command(StoreOperation.Write, _dialect.TakeWriteLock, null, ct));
            try
            {
                return await WriteAsync(db, changes, written, ct);
            }
            finally
            {
                await ReleaseWriteLockAsync(db);
            }
        }, ct);

    private async Task<ChangeResult> WriteAsync(DbConnection db, ChangeSet changes, Action<int>? written, CancellationToken ct)
    {
        await using var tx = _dialect.BeginWriteTransaction(db);
        var write = new Writer(_db, db, tx, ct);
        var log = Sql.ChangeLog;
        var context = changes.Context;
        if (context.RequestId.Length > 0 && await write.Scalar<string>(log.FindRequest, new { context.RequestId }) is { } committed)
            return Json.Read<ChangeResult>(committed) with { Replayed = true };

        // Recorded times only move forward, even if this host's clock is behind the last writer's.
        var now = RecordedTimes.Truncate(DateTime.UtcNow);
        if (await write.Scalar<DateTime?>(log.LatestChangeTime, null) is { } previous && now <= previous) now = RecordedTimes.After(previous);
        now = DateTime.SpecifyKind(now, DateTimeKind.Utc);

        foreach (var source in changes.Sources)
        {
            if (await write.Scalar<long>(log.SourceExists, new { source.Id }) == 0)
                await write.Exec(log.InsertSource, new { source.Id, source.Title, UrlsJson = Json.Write(source.Urls), RecordedTime = now });
        }
        if (changes.ReviewedThrough is { } reviewed)
            await write.Exec(log.InsertCoverage, new { RecordedTime = now, ReviewedThrough = reviewed, context.RecordedBy });

        var records = new List<StoredVersion>();
        long first = 0, last = 0;
        foreach (var change in changes.Changes)
        {
            var record = change.Record;
            var current = await write.Scalar<int?>(CurrentVersionSql(record), new { record.Id }) ?? 0;
            var currentEtag = current == 0 ? "" : current.ToString(CultureInfo.InvariantCulture);
            if (change.ExpectedEtag is { } expected && expected != currentEtag)
                throw new ConcurrencyConflictException(record.ResourceType, record.Id, expected, current);

            var info = new RecordInfo(current + 1, now, context.RecordedBy, context.Reason);
            await (record switch
            {
                TariffMeasure m => WriteTariffMeasure(m, info, write),
                ExportControl c => WriteExportControl(c, info, write),
                Truce t => WriteTruce(t, info, write),
                _ => throw new ArgumentException($"Cannot store a {record.GetType().Name}.", nameof(changes)),
            });
            await write.Exec(log.InsertChange, new
            {
                RecordedTime = now, context.RecordedBy, context.Reason, context.RequestId,
                record.ResourceType, ResourceId = record.Id, info.Version, change.ChangeKind,
            });
            last = await write.Scalar<long>(log.LatestChange, null);
            if (first == 0) first = last;
            records.Add(new StoredVersion(record.ResourceType, record.Id, info.Version));
            written?.Invoke(records.Count);
        }

        if (changes.Coverage is { } coverage)
        {
            var current = await write.Scalar<int?>(log.CurrentCoverageVersion, null) ?? 0;
            var currentEtag = current == 0 ? "" : current.ToString(CultureInfo.InvariantCulture);
            if (coverage.ExpectedEtag is { } expected && expected != currentEtag)
                throw new ConcurrencyConflictException(CoverageModel.ResourceType, CoverageModel.ResourceId, expected, current);
            await write.Exec(log.InsertCoverageModel, new
            {
                Version = current + 1, RecordedTime = now, context.RecordedBy, context.Reason, ModelJson = Json.Write(coverage.Model with { Recorded = null }),
            });
            await write.Exec(log.InsertChange, new
            {
                RecordedTime = now, context.RecordedBy, context.Reason, context.RequestId, ResourceType = CoverageModel.ResourceType,
                ResourceId = CoverageModel.ResourceId, Version = current + 1, ChangeKind = current == 0 ? RecordChange.Create : RecordChange.Update,
            });
            last = await write.Scalar<long>(log.LatestChange, null);
            if (first == 0) first = last;
            records.Add(new StoredVersion(CoverageModel.ResourceType, CoverageModel.ResourceId, current + 1));
        }

        var result = new ChangeResult(first, last, now, records);
        if (context.RequestId.Length > 0)
        {
            await write.Exec(log.InsertRequest, new
            {
                context.RequestId, RecordedTime = now, context.RecordedBy, FirstSeq = first, LastSeq = last, ResultJson = Json.Write(result),
            });
        }
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Releases the session's write lock; a connection that cannot is dropped from the pool, which ends its session and lock.</summary>
    private async Task ReleaseWriteLockAsync(DbConnection db)
    {
        try
        {
            await db.ExecuteAsync(_db.Command(StoreOperation.Write, _dialect.ReleaseWriteLock, null, CancellationToken.None));
        }
        catch (DbException)
        {
            _dialect.Discard(db);
        }
    }

    private string CurrentVersionSql(IPolicyRecord record) => record.ResourceType switch
    {
        ResourceTypes.TariffMeasure => Sql.Tariffs.CurrentVersion,
        ResourceTypes.ExportControl => Sql.ExportControls.CurrentVersion,
        _ => Sql.Truces.CurrentVersion,
    };

    private async Task WriteTariffMeasure(TariffMeasure m, RecordInfo info, Writer write)
    {
        var sql = Sql.Tariffs;
        var rows = TariffRow.From(m, info).ToList();
        await write.Exec(sql.InsertMeasure, rows[0]);
        await write.Exec(sql.InsertPeriod, rows);
        await write.Exec(sql.InsertScope, m.Scope.Keys().Select(p => new { m.Importer, Prefix = p, MeasureId = m.Id, info.Version }));
        await write.Exec(sql.InsertOrigin, m.Origins.Select(o => new { Origin = o, MeasureId = m.Id, info.Version }));
        var lanes = (m.AllOrigins ? [""] : Enumerable.Empty<string>()).Concat(m.Origins).Distinct(StringComparer.Ordinal).ToList();
        await write.Exec(sql.InsertLaneScope, m.Scope.Keys().SelectMany(p => lanes.Select(o => new { m.Importer, Origin = o, Prefix = p, MeasureId = m.Id, info.Version })));
    }

    private async Task WriteExportControl(ExportControl c, RecordInfo info, Writer write)
    {
        var sql = Sql.ExportControls;
        var rows = ControlRow.From(c, info).ToList();
        await write.Exec(sql.InsertControl, rows[0]);
        await write.Exec(sql.InsertPeriod, rows);
        await write.Exec(sql.InsertScope, c.Scope.Keys().Select(p => new { c.Exporter, Prefix = p, ControlId = c.Id, info.Version }));
        await write.Exec(sql.InsertItem, c.Items.Select(i => i.Name).Distinct().Select(n => new { c.Exporter, Name = n, ControlId = c.Id, info.Version }));
        await write.Exec(sql.InsertDestination, c.Destinations.Select(d => new { Destination = d, ControlId = c.Id, info.Version }));
    }

    private async Task WriteTruce(Truce t, RecordInfo info, Writer write)
    {
        var sql = Sql.Truces;
        await write.Exec(sql.InsertTruce, new
        {
            TruceId = t.Id, info.Version, info.RecordedTime, info.RecordedBy, info.Reason, t.Title, PartiesJson = Json.Write(t.Parties),
            t.ConcludedDate, t.EffectiveDate, Confidence = Json.Name(t.Confidence), t.Notes, SourceIdsJson = Json.Write(t.SourceIds),
        });
        await write.Exec(sql.InsertParty, t.Parties.Select(p => new { Party = p, TruceId = t.Id, info.Version }));
        await write.Exec(sql.InsertExtension, t.Extensions.Select((e, i) => new
        {
            TruceId = t.Id, info.Version, Seq = i + 1, e.RecordId, e.StartDate, e.ExpiryDate, e.LegalInstrument, e.Note,
        }));
        await write.Exec(sql.InsertTerm, t.Terms.Select((x, i) => new
        {
            TermId = x.Id, TruceId = t.Id, info.Version, Seq = i + 1, CommittingPartiesJson = Json.Write(x.CommittingParties),
            TermType = Json.Name(x.TermType), x.Scope, x.Description, x.LegalInstrument, x.AnnouncedDate, x.EffectiveDate,
            x.StatusNote, MeasureIdsJson = Json.Write(x.MeasureIds), PurchasesJson = Json.Write(x.Purchases),
            SourceIdsJson = Json.Write(x.SourceIds), Confidence = Json.Name(x.Confidence),
        }));
        await write.Exec(sql.InsertEvent, t.Events.Select((e, i) => new
        {
            EventId = e.Id, TruceId = t.Id, info.Version, Seq = i + 1, EventDate = e.Date, ActorsJson = Json.Write(e.Actors), e.Subject,
            e.Description, SourceIdsJson = Json.Write(e.SourceIds), Confidence = Json.Name(e.Confidence),
        }));
    }

    /// <summary>The statements of one write transaction, each counted as the round trips it makes.</summary>
    private sealed class Writer(StoreExecutor executor, DbConnection db, DbTransaction tx, CancellationToken ct)
    {
        public Task<T?> Scalar<T>(string sql, object? parameters) =>
            db.ExecuteScalarAsync<T?>(executor.Command(StoreOperation.Write, sql, parameters, ct, tx));

        public Task Exec(string sql, object? rows)
        {
            // Dapper runs the statement once per element of a list of rows: one round trip each.
            if (rows is IEnumerable<object> many)
            {
                var list = many.ToList();
                executor.RoundTrips.Add(StoreOperation.Write, list.Count);
                return list.Count == 0 ? Task.CompletedTask : db.ExecuteAsync(new CommandDefinition(sql, list, tx, cancellationToken: ct));
            }
            return db.ExecuteAsync(executor.Command(StoreOperation.Write, sql, rows, ct, tx));
        }
    }
}
