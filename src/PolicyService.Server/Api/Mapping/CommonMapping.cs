using Date = Google.Type.Date;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>Mapping of the values every resource shares (dates, enums, record info, sources, scopes, coverage) to the tradepolicy.v1 messages.</summary>
public static class CommonMapping
{
    public static Date ToProto(this DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

    public static Date? ToProto(this DateOnly? d) => d?.ToProto();

    public static V1.Confidence ToProto(this D.Confidence c) => (V1.Confidence)(int)c;

    public static V1.PeriodStatus ToProto(this D.PeriodStatus s) => (V1.PeriodStatus)(int)s;

    public static V1.TariffKind ToProto(this D.TariffKind k) => (V1.TariffKind)(int)k;

    public static V1.ExportControlType ToProto(this D.ExportControlType t) => (V1.ExportControlType)(int)t;

    public static V1.TruceTermType ToProto(this D.TruceTermType t) => (V1.TruceTermType)(int)t;

    public static Google.Protobuf.WellKnownTypes.Timestamp ToTimestamp(this DateTime utc) =>
        Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    public static V1.RecordInfo? ToProto(this D.RecordInfo? r) => r is null ? null : new()
    {
        Version = r.Version,
        RecordedTime = r.RecordedTime.ToTimestamp(),
        RecordedBy = r.RecordedBy,
        Reason = r.Reason,
    };

    public static V1.Coverage ToProto(this Coverage c) =>
        new()
        {
            ReviewedThrough = c.ReviewedThrough.ToProto(), BeyondReviewedHorizon = c.BeyondReviewedHorizon, Notice = c.Notice,
            Covered = c.Covered, Uncovered = { c.Uncovered }, MfnIncluded = c.MfnIncluded,
        };

    public static IEnumerable<V1.Source> Sources(this ReferenceData reference, IEnumerable<string> ids) =>
        ids.Select(id => reference.Sources.TryGetValue(id, out var s)
            ? new V1.Source { Id = s.Id, Title = s.Title, Urls = { s.Urls } }
            : new V1.Source { Id = id });

    public static V1.ProductScope ToProto(this D.ProductScope s) => new()
    {
        AllProducts = s.AllProducts,
        HsPrefixes = { s.HsPrefixes },
        ExcludedHsPrefixes = { s.ExcludedHsPrefixes },
        Description = s.Description,
        MappingNote = s.MappingNote,
        DatedExclusions = { s.DatedExclusions.Select(x => x.ToProto()) },
    };

    public static V1.ScopeExclusion ToProto(this D.ScopeExclusion x)
    {
        var exclusion = new V1.ScopeExclusion { HsPrefix = x.HsPrefix, Basis = x.Basis };
        if (x.StartDate is { } start) exclusion.StartDate = start.ToProto();
        if (x.EndDate is { } end) exclusion.EndDate = end.ToProto();
        return exclusion;
    }
}
