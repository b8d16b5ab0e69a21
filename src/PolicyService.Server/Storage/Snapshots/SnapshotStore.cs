using PolicyService.Server.Domain;
using PolicyService.Server.Snapshots;

namespace PolicyService.Server.Storage;

/// <summary>
/// The store the services use: lookups and gets of current knowledge are answered from the snapshot, with no database
/// round trip; everything else (known_at reads, lists, history, writes) goes to the database, and a write returns only
/// once the snapshot shows it. Before the first snapshot every read goes to the database.
/// </summary>
public sealed class SnapshotStore(PolicyStore db, LiveSnapshot live, SnapshotRefresher refresher, SnapshotOptions options) : IPolicyStore
{
    /// <summary>The snapshot to answer from, when a read of current knowledge can be.</summary>
    private PolicySnapshot? Memory(DateTime knownAt) => knownAt == DateTime.MaxValue ? live.Current : null;

    public async ValueTask<ReadSource> ReadSourceAsync(long minChange, CancellationToken ct)
    {
        if (live.Current is null) return new ReadSource(db, minChange, null);
        if (live.Current.Position < minChange && !await live.WaitForAsync(minChange, options.MinChangeTokenWait, ct))
        {
            // The database holds every commit whose token a caller has seen, so reading it there keeps the promise.
            return new ReadSource(db, minChange, null);
        }
        return new ReadSource(this, live.Current.Position, live.ConfirmedAt);
    }

    public Task<IReadOnlyList<TariffMeasure>> FindTariffCandidatesAsync(string importer, string origin, string hsCode, DateTime knownAt, CancellationToken ct) =>
        Memory(knownAt) is { } s ? Task.FromResult(s.TariffCandidates(importer, origin, hsCode)) : db.FindTariffCandidatesAsync(importer, origin, hsCode, knownAt, ct);

    public Task<TariffMeasure?> GetTariffMeasureAsync(string id, DateTime knownAt, CancellationToken ct) =>
        Memory(knownAt) is { } s ? Task.FromResult(s.TariffMeasure(id)) : db.GetTariffMeasureAsync(id, knownAt, ct);

    public Task<IReadOnlyList<TariffMeasure>> GetTariffMeasureHistoryAsync(string id, CancellationToken ct) => db.GetTariffMeasureHistoryAsync(id, ct);

    public Task<IReadOnlyList<TariffMeasure>> ListTariffMeasuresAsync(TariffFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
        db.ListTariffMeasuresAsync(filter, after, take, knownAt, ct);

    public Task<IReadOnlyList<ExportControl>> FindExportCandidatesAsync(string exporter, string destination, ExportItem item, DateTime knownAt, CancellationToken ct) =>
        Memory(knownAt) is { } s ? Task.FromResult(s.ExportCandidates(exporter, destination, item)) : db.FindExportCandidatesAsync(exporter, destination, item, knownAt, ct);

    public Task<ExportControl?> GetExportControlAsync(string id, DateTime knownAt, CancellationToken ct) =>
        Memory(knownAt) is { } s ? Task.FromResult(s.ExportControl(id)) : db.GetExportControlAsync(id, knownAt, ct);

    public Task<IReadOnlyList<ExportControl>> GetExportControlHistoryAsync(string id, CancellationToken ct) => db.GetExportControlHistoryAsync(id, ct);

    public Task<IReadOnlyList<ExportControl>> ListExportControlsAsync(ExportFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
        db.ListExportControlsAsync(filter, after, take, knownAt, ct);

    public Task<IReadOnlyList<TruceBundle>> FindTrucesAsync(string partyA, string partyB, DateTime knownAt, CancellationToken ct) =>
        Memory(knownAt) is { } s ? Task.FromResult(s.Truces(partyA, partyB)) : db.FindTrucesAsync(partyA, partyB, knownAt, ct);

    public Task<Truce?> GetTruceAsync(string id, DateTime knownAt, CancellationToken ct) =>
        Memory(knownAt) is { } s ? Task.FromResult(s.Truce(id)) : db.GetTruceAsync(id, knownAt, ct);

    public Task<IReadOnlyList<Truce>> ListTrucesAsync(TruceFilter filter, string after, int take, DateTime knownAt, CancellationToken ct) =>
        db.ListTrucesAsync(filter, after, take, knownAt, ct);

    public Task<ReferenceData?> LoadReferenceDataAsync(CancellationToken ct) => db.LoadReferenceDataAsync(ct);

    public Task<long> LatestChangeAsync(CancellationToken ct) => db.LatestChangeAsync(ct);

    public Task<IReadOnlyList<ChangeEntry>> ChangesAfterAsync(long after, int take, CancellationToken ct) => db.ChangesAfterAsync(after, take, ct);

    public Task<ChangeResult?> FindRequestAsync(string requestId, CancellationToken ct) => db.FindRequestAsync(requestId, ct);

    public async Task<ChangeResult> ApplyAsync(ChangeSet changes, CancellationToken ct, Action<int>? written = null)
    {
        var result = await db.ApplyAsync(changes, ct, written);
        await refresher.CatchUpAsync(result.LastSeq, ct);
        return result;
    }

    public Task PingAsync(CancellationToken ct) => db.PingAsync(ct);

    public Task<long> ProbeLatestChangeAsync(CancellationToken ct) => db.ProbeLatestChangeAsync(ct);

    public void ResetConnections() => db.ResetConnections();
}
