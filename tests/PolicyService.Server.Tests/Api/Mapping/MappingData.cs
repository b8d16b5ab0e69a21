using Google.Protobuf.WellKnownTypes;
using PolicyService.Server.Storage;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Tests.Api.Mapping;

/// <summary>What the mapping tests share: a reference catalog, and literal proto values written out by hand.</summary>
internal static class MappingData
{
    public static readonly DateTime RecordedTime = new(2025, 11, 15, 12, 30, 0, DateTimeKind.Utc);

    /// <summary>S01 is a known source (title and urls); an id the catalog lacks maps to a source with only its id.</summary>
    public static readonly ReferenceData Reference = new(
        [new CoverageEntry(RecordedTime, new DateOnly(2025, 11, 1))],
        new Dictionary<string, D.Source> { ["S01"] = new("S01", "Federal Register 2025-01", ["https://example.org/fr"]) },
        new Dictionary<string, string> { ["TRU-S"] = "TRUCE-2025" },
        LatestChange: 42,
        CoverageModels: []);

    public static Google.Type.Date Date(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    public static V1.Source KnownSource => new() { Id = "S01", Title = "Federal Register 2025-01", Urls = { "https://example.org/fr" } };

    public static V1.RecordInfo Recorded => new()
    {
        Version = 3, RecordedTime = Timestamp.FromDateTime(RecordedTime), RecordedBy = "analyst@example.org", Reason = "rate change",
    };

    public static D.RecordInfo DomainRecorded => new(3, RecordedTime, "analyst@example.org", "rate change");
}
