using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

/// <summary>The version columns every record root carries.</summary>
internal abstract class VersionedRow
{
    public int Version { get; set; }
    public DateTime RecordedTime { get; set; }
    public string RecordedBy { get; set; } = "";
    public string Reason { get; set; } = "";

    public RecordInfo ToRecordInfo() => new(Version, DateTime.SpecifyKind(RecordedTime, DateTimeKind.Utc), RecordedBy, Reason);

    protected void SetRecordInfo(RecordInfo info)
    {
        Version = info.Version;
        RecordedTime = info.RecordedTime;
        RecordedBy = info.RecordedBy;
        Reason = info.Reason;
    }
}
