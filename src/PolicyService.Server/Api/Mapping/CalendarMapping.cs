using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

public static class CalendarMapping
{
    public static V1.ScheduledChange ToProto(this ScheduledChange c, ReferenceData reference) => new()
    {
        Date = c.Date.ToProto(),
        Kind = (V1.ScheduledChangeKind)(int)c.Kind,
        ResourceType = c.ResourceType,
        RecordId = c.RecordId,
        Title = c.Title,
        PeriodRecordId = c.PeriodRecordId,
        StatusBefore = c.StatusBefore?.ToProto() ?? V1.PeriodStatus.Unspecified,
        StatusAfter = c.StatusAfter?.ToProto() ?? V1.PeriodStatus.Unspecified,
        AdValoremPercentBefore = Percent.Format(c.RateBefore),
        AdValoremPercentAfter = Percent.Format(c.RateAfter),
        TruceTermId = c.TruceTermId ?? "",
        TruceId = c.TruceTermId is { } term ? reference.TruceIdByTerm.GetValueOrDefault(term, "") : c.ResourceType == D.ResourceTypes.Truce ? c.RecordId : "",
        Confidence = c.Confidence.ToProto(),
        Description = c.Description,
    };
}
