using PolicyService.Server.Domain;
using PolicyService.Server.Queries;

namespace PolicyService.Server.Storage;

public sealed record TariffFilter(string? Importer, string? Origin, string? HsCode, DateOnly? AsOf);

public sealed record ExportFilter(string? Exporter, string? Destination, ExportItem? Item, DateOnly? AsOf);

public sealed record TruceFilter(string? Party, DateOnly? AsOf);

/// <summary>One reviewed-through date and when it was recorded.</summary>
public sealed record CoverageEntry(DateTime RecordedTime, DateOnly ReviewedThrough);

/// <summary>Slow-changing, append-only data every answer needs: cached in memory (see <see cref="ReferenceCatalog"/>).</summary>
public sealed record ReferenceData(
    IReadOnlyList<CoverageEntry> Coverage,
    IReadOnlyDictionary<string, Source> Sources,
    IReadOnlyDictionary<string, string> TruceIdByTerm,
    long LatestChange)
{
    /// <summary>The reviewed-through date the service knew at <paramref name="knownAt"/>.</summary>
    public DateOnly ReviewedThrough(DateTime knownAt) =>
        Coverage.LastOrDefault(c => c.RecordedTime <= knownAt)?.ReviewedThrough ?? Coverage[0].ReviewedThrough;
}

/// <summary>A committed change as the change feed and history report it.</summary>
public sealed record ChangeEntry(long Seq, DateTime RecordedTime, string RecordedBy, string Reason, string RequestId,
    string ResourceType, string ResourceId, int Version, string ChangeKind);

/// <summary>Who makes a change, why, and the client's request id (empty: not idempotent).</summary>
public sealed record ChangeContext(string RecordedBy, string Reason, string RequestId);

/// <summary>
/// A new version of one record. <paramref name="ExpectedEtag"/>: null writes whatever the current version is,
/// "" requires that the record does not exist yet, anything else must equal the current version's etag.
/// </summary>
public sealed record RecordChange(object Record, string ChangeKind, string? ExpectedEtag)
{
    public const string Create = "CREATE";
    public const string Update = "UPDATE";
    public const string StatusChange = "STATUS_CHANGE";
}

/// <summary>Everything one transaction writes: all of it or nothing.</summary>
public sealed record ChangeSet(ChangeContext Context, IReadOnlyList<Source> Sources, DateOnly? ReviewedThrough, IReadOnlyList<RecordChange> Changes);

public sealed record StoredVersion(string ResourceType, string ResourceId, int Version);

/// <summary>The outcome of a committed change set; <c>Replayed</c> when its request id had already been committed.</summary>
public sealed record ChangeResult(long FirstSeq, long LastSeq, DateTime RecordedTime, IReadOnlyList<StoredVersion> Records, bool Replayed = false);

/// <summary>The current version differs from the one the caller edited (ABORTED), or a created id exists already.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException(string resourceType, string id, string? expected, int actual)
        : base(expected is "" ? $"{resourceType} '{id}' already exists (version {actual})."
            : actual == 0 ? $"{resourceType} '{id}' does not exist."
            : $"{resourceType} '{id}' is at version {actual}, not {expected}: someone else changed it; reload and retry.")
    {
        ResourceType = resourceType;
        Id = id;
        ActualVersion = actual;
        AlreadyExists = expected is "" && actual > 0;
        Missing = actual == 0 && expected is not "";
    }

    public string ResourceType { get; }
    public string Id { get; }
    public int ActualVersion { get; }
    public bool AlreadyExists { get; }
    public bool Missing { get; }
}

/// <summary>
/// Reads and writes policy data. Every read is one database round trip and sees each record as it was known at
/// <c>knownAt</c> (<see cref="DateTime.MaxValue"/>: now). Lists page by id after <c>after</c>, up to <c>take</c> records.
/// Writes append versions; nothing is updated in place or deleted.
/// </summary>
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
}
