using PolicyService.Server.Queries;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>Unreviewed events (the horizon rule), domain to proto.</summary>
public static class HorizonMapping
{
    public static V1.UnreviewedEvent ToProto(this UnreviewedEvent e) => new()
    {
        Kind = (V1.UnreviewedEventKind)(int)e.Kind,
        ResourceType = e.ResourceType,
        RecordId = e.RecordId,
        PeriodRecordId = e.PeriodRecordId,
        EventDate = e.EventDate.ToProto(),
        Description = e.Description,
        Alternatives = { e.Alternatives.Select(ToProto) },
    };

    /// <summary>The BASIC views: events keep their kinds, ids, dates and each alternative's scenario, outcome and confidence, not the sentences.</summary>
    public static void Basic(IEnumerable<V1.UnreviewedEvent> events)
    {
        foreach (var e in events)
        {
            e.Description = "";
            foreach (var alternative in e.Alternatives) alternative.Description = "";
        }
    }

    private static V1.UnreviewedAlternative ToProto(UnreviewedAlternative a)
    {
        var alternative = new V1.UnreviewedAlternative
        {
            Description = a.Description,
            Scenario = a.Scenario.Count == 0 ? null : new V1.Scenario { Assumptions = { a.Scenario.Select(ScenarioRequests.ToProto) } },
            AsAnswered = a.AsAnswered,
            TotalAdValoremPercent = Percent.Format(a.TotalAdValoremPercent),
            Confidence = a.Confidence.ToProto(),
            ReportedByRecordId = a.ReportedBy,
        };
        if (a.LicenseRequired is { } licence) alternative.LicenseRequired = licence;
        if (a.Prohibited is { } prohibited) alternative.Prohibited = prohibited;
        return alternative;
    }
}
