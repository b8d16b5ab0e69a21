using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

/// <summary>
/// Reads and writes policy data. Every read is one database round trip and sees each record as it was known at
/// <c>knownAt</c> (<see cref="DateTime.MaxValue"/>: now). Lists page by id after <c>after</c>, up to <c>take</c> records.
/// Writes append versions; nothing is updated in place or deleted.
/// </summary>
/// <param name="SnapshotTime">When answered from memory: when the snapshot was last known to be current.</param>
public sealed record ReadSource(IPolicyStore Store, long Position, DateTimeOffset? SnapshotTime);

public interface IPolicyStore
{
    Task<IReadOnlyList<TariffMeasure>> FindTariffCandidatesAsync(string importer, string origin, string hsCode, DateTime knownAt, CancellationToken ct);

    Task<TariffMeasure?> GetTariffMeasureAsync(string id, DateTime knownAt, CancellationToken ct);

    Task<IReadOnlyList<TariffMeasure>> GetTariffMeasureHistoryAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<TariffMeasure>> ListTariffMeasuresAsync(TariffFilter filter, string after, int take, DateTime knownAt, CancellationToken ct);

    Task<IReadOnlyList<ExportControl>> FindExportCandidatesAsync(string exporter, string destination, ExportItem item, DateTime knownAt, CancellationToken ct);

    Task<ExportControl?> GetExportControlAsync(string id, DateTime knownAt, CancellationToken ct);

    Task<IReadOnlyList<ExportControl>> GetExportControlHistoryAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<ExportControl>> ListExportControlsAsync(ExportFilter filter, string after, int take, DateTime knownAt, CancellationToken ct);

    Task<IReadOnlyList<TruceBundle>> FindTrucesAsync(string partyA, string partyB, DateTime knownAt, CancellationToken ct);

    Task<Truce?> GetTruceAsync(string id, DateTime knownAt, CancellationToken ct);

    Task<IReadOnlyList<Truce>> ListTrucesAsync(TruceFilter filter, string after, int take, DateTime knownAt, CancellationToken ct);

    /// <summary>Null when no data has been loaded yet.</summary>
    Task<ReferenceData?> LoadReferenceDataAsync(CancellationToken ct);

    /// <summary>The sequence number of the latest committed change (0 when none).</summary>
    Task<long> LatestChangeAsync(CancellationToken ct);

    Task<IReadOnlyList<ChangeEntry>> ChangesAfterAsync(long after, int take, CancellationToken ct);

    /// <summary>The result of an import already committed under this request id, or null.</summary>
    Task<ChangeResult?> FindRequestAsync(string requestId, CancellationToken ct);

    /// <summary>
    /// Writes a change set in one serialised transaction; see <see cref="RecordChange"/> for the etag rules.
    /// <paramref name="written"/> is told the number of records written so far, for progress reports.
    /// </summary>
    Task<ChangeResult> ApplyAsync(ChangeSet changes, CancellationToken ct, Action<int>? written = null);

    /// <summary>Throws <see cref="StoreUnavailableException"/> when the database cannot be reached.</summary>
    Task PingAsync(CancellationToken ct);

    /// <summary>
    /// <see cref="LatestChangeAsync"/> on a connection of its own, outside any pool: fails when the database a new
    /// connection would open is missing, replaced or damaged, even while pooled connections still read the old file.
    /// </summary>
    Task<long> ProbeLatestChangeAsync(CancellationToken ct) => LatestChangeAsync(ct);

    /// <summary>
    /// The store whose reads reflect at least change <paramref name="minChange"/> (0: any), with the change its answers
    /// reflect at least; the snapshot store answers from memory where it can (see <see cref="SnapshotStore"/>).
    /// </summary>
    ValueTask<ReadSource> ReadSourceAsync(long minChange, CancellationToken ct) => ValueTask.FromResult(new ReadSource(this, minChange, null));

    /// <summary>Closes idle pooled connections so that the next calls reopen the database (after a storage fault).</summary>
    void ResetConnections()
    {
    }
}
