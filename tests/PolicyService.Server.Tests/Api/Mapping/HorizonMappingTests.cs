using PolicyService.Server.Api;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Api.Mapping.MappingData;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Tests.Api.Mapping;

public class HorizonMappingTests
{
    private static readonly UnreviewedEvent Event = new(UnreviewedEventKind.SuspensionEnds, ResourceTypes.TariffMeasure, "TAR-CN-03", "TAR-CN-08",
        new DateOnly(2026, 11, 10), "the suspension was due to end",
        [
            new UnreviewedAlternative("it ended", [new TruceLapse("TRUCE", new HashSet<string>(["TRU-11"]), new DateOnly(2026, 11, 10))], false,
                Confidence.Unconfirmed, TotalAdValoremPercent: 34m),
            new UnreviewedAlternative("it was extended", [], true, Confidence.Reported, "TRU-21", LicenseRequired: false, Prohibited: true),
        ]);

    [Fact]
    public void An_unreviewed_event_maps_with_the_scenario_a_caller_would_send_and_each_outcome()
    {
        Assert.Equal(new V1.UnreviewedEvent
        {
            Kind = V1.UnreviewedEventKind.SuspensionEnds, ResourceType = "tariff_measure", RecordId = "TAR-CN-03", PeriodRecordId = "TAR-CN-08",
            EventDate = Date(2026, 11, 10), Description = "the suspension was due to end",
            Alternatives =
            {
                new V1.UnreviewedAlternative
                {
                    Description = "it ended", AsAnswered = false, TotalAdValoremPercent = "34", Confidence = V1.Confidence.Unconfirmed,
                    Scenario = new V1.Scenario { Assumptions = { new V1.ScenarioAssumption { TruceLapses = new V1.TruceLapse { TruceId = "TRUCE", OnDate = Date(2026, 11, 10) } } } },
                },
                new V1.UnreviewedAlternative
                {
                    Description = "it was extended", AsAnswered = true, Confidence = V1.Confidence.Reported, ReportedByRecordId = "TRU-21",
                    LicenseRequired = false, Prohibited = true,
                },
            },
        }, Event.ToProto());
        var duty = Event.ToProto().Alternatives[0];
        Assert.False(duty.HasLicenseRequired || duty.HasProhibited);   // unset in duty answers, not "false"
    }

    [Fact]
    public void The_basic_view_keeps_ids_dates_and_outcomes_without_the_sentences()
    {
        var proto = Event.ToProto();
        HorizonMapping.Basic([proto]);
        Assert.Equal(("", "TAR-CN-03", Date(2026, 11, 10)), (proto.Description, proto.RecordId, proto.EventDate));
        Assert.All(proto.Alternatives, a => Assert.Empty(a.Description));
        Assert.Equal(("34", V1.Confidence.Reported), (proto.Alternatives[0].TotalAdValoremPercent, proto.Alternatives[1].Confidence));
        Assert.NotNull(proto.Alternatives[0].Scenario);
    }
}
