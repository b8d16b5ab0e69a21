namespace PolicyService.Server.Storage;

// Rows of the reference data and the change log.

internal sealed class SourceRow
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string UrlsJson { get; set; } = "[]";
}

internal sealed class CoverageRow
{
    public DateTime RecordedTime { get; set; }
    public DateOnly ReviewedThrough { get; set; }
}

internal sealed class CoverageModelRow
{
    public int Version { get; set; }
    public DateTime RecordedTime { get; set; }
    public string RecordedBy { get; set; } = "";
    public string Reason { get; set; } = "";
    public string ModelJson { get; set; } = "";
}

internal sealed class ChangeRow
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
