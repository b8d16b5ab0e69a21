using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

/// <summary>A committed change as the change feed and history report it.</summary>
public sealed record ChangeEntry(long Seq, DateTime RecordedTime, string RecordedBy, string Reason, string RequestId,
    string ResourceType, string ResourceId, int Version, string ChangeKind);

/// <summary>Who makes a change, why, and the client's request id (empty: not idempotent).</summary>
public sealed record ChangeContext(string RecordedBy, string Reason, string RequestId);

/// <summary>
/// A new version of one record. <paramref name="ExpectedEtag"/>: null writes whatever the current version is,
/// "" requires that the record does not exist yet, anything else must equal the current version's etag.
/// </summary>
public sealed record RecordChange(IPolicyRecord Record, string ChangeKind, string? ExpectedEtag)
{
    public const string Create = "CREATE";
    public const string Update = "UPDATE";
    public const string StatusChange = "STATUS_CHANGE";
}

/// <summary>A new version of the coverage model; <paramref name="ExpectedEtag"/> as in <see cref="RecordChange"/>.</summary>
public sealed record CoverageChange(CoverageModel Model, string? ExpectedEtag);

/// <summary>Everything one transaction writes: all of it or nothing.</summary>
public sealed record ChangeSet(ChangeContext Context, IReadOnlyList<Source> Sources, DateOnly? ReviewedThrough, IReadOnlyList<RecordChange> Changes,
    CoverageChange? Coverage = null);

public sealed record StoredVersion(string ResourceType, string ResourceId, int Version);

/// <summary>The outcome of a committed change set; <c>Replayed</c> when its request id had already been committed.</summary>
public sealed record ChangeResult(long FirstSeq, long LastSeq, DateTime RecordedTime, IReadOnlyList<StoredVersion> Records, bool Replayed = false);
