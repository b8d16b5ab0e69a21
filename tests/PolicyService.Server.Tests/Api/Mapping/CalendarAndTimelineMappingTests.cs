using Google.Protobuf.WellKnownTypes;
using PolicyService.Server.Api;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Api.Mapping.MappingData;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Tests.Api.Mapping;

public class CalendarAndTimelineMappingTests
{
    [Fact]
    public void A_scheduled_change_maps_with_the_truce_of_its_term()
    {
        var change = new ScheduledChange(new DateOnly(2026, 11, 10), ScheduledChangeKind.SuspensionEnds, ResourceTypes.TariffMeasure, "RECIPROCAL",
            "Reciprocal tariff", "P2", PeriodStatus.Suspended, PeriodStatus.InForce, 10m, 34m, "TRU-S", Confidence.Reported, "the suspension ends");

        Assert.Equal(new V1.ScheduledChange
        {
            Date = Date(2026, 11, 10), Kind = V1.ScheduledChangeKind.SuspensionEnds, ResourceType = "tariff_measure", RecordId = "RECIPROCAL",
            Title = "Reciprocal tariff", PeriodRecordId = "P2", StatusBefore = V1.PeriodStatus.Suspended, StatusAfter = V1.PeriodStatus.InForce,
            AdValoremPercentBefore = "10", AdValoremPercentAfter = "34", TruceTermId = "TRU-S", TruceId = "TRUCE-2025",
            Confidence = V1.Confidence.Reported, Description = "the suspension ends",
        }, change.ToProto(Reference));
    }

    [Fact]
    public void A_truce_expiry_names_the_truce_itself_and_a_change_of_no_truce_none()
    {
        var expiry = new ScheduledChange(new DateOnly(2026, 11, 10), ScheduledChangeKind.TruceExpires, ResourceTypes.Truce, "TRUCE-2025", "Geneva truce",
            "EXT-2", null, null, null, null, null, Confidence.Confirmed, "expires");
        var proto = expiry.ToProto(Reference);
        Assert.Equal(("TRUCE-2025", "", V1.PeriodStatus.Unspecified, V1.PeriodStatus.Unspecified, "", ""),
            (proto.TruceId, proto.TruceTermId, proto.StatusBefore, proto.StatusAfter, proto.AdValoremPercentBefore, proto.AdValoremPercentAfter));

        var unknownTerm = expiry with { ResourceType = ResourceTypes.ExportControl, RecordId = "BAN", TruceTermId = "TRU-X" };
        Assert.Equal(("", "TRU-X"), (unknownTerm.ToProto(Reference).TruceId, unknownTerm.ToProto(Reference).TruceTermId));
        var noTerm = expiry with { ResourceType = ResourceTypes.ExportControl, RecordId = "BAN" };
        Assert.Equal("", noTerm.ToProto(Reference).TruceId);
    }

    private static readonly D.TariffPeriod Before = new("P1", new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 1), PeriodStatus.InForce, 20m, "", "",
        null, null, null, "", Confidence.Confirmed);

    private static readonly D.TariffPeriod After = new("P2", new DateOnly(2025, 6, 1), null, PeriodStatus.Suspended, 20m, "", "",
        null, new DateOnly(2026, 1, 1), "TRU-S", "", Confidence.Confirmed);

    private static readonly D.TariffMeasure Measure = new("M", "US", ["CN"], false, "measure", TariffKind.Section301, new ProductScope(true, [], [], "all", ""),
        "EO", Confidence.Confirmed, "", [], [Before, After], []);

    [Fact]
    public void A_duty_timeline_change_carries_the_rates_that_applied_and_the_term_of_either_side()
    {
        DutyAnswer Answer(DateOnly d, decimal total) => new("US", "CN", "8507600020", d, [], total, [], [], [], [], []);
        var timeline = new DutyTimelineAnswer("US", "CN", "8507600020", new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 1),
        [
            new(new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 1), Answer(new DateOnly(2025, 1, 1), 20m), []),
            new(new DateOnly(2025, 6, 1), new DateOnly(2026, 1, 1), Answer(new DateOnly(2025, 6, 1), 0m),
                [new TimelineChange<D.TariffMeasure, D.TariffPeriod>(TimelineChangeKind.Suspended, Measure, Before, After),
                 new TimelineChange<D.TariffMeasure, D.TariffPeriod>(TimelineChangeKind.Ended, Measure, Before with { TruceTermId = "TRU-R" }, null),
                 new TimelineChange<D.TariffMeasure, D.TariffPeriod>(TimelineChangeKind.Started, Measure, null, Before)]),
        ]);
        var coverage = new Coverage(new DateOnly(2026, 10, 8), false, true, [], false, "");

        var proto = timeline.ToProto(Reference, coverage, RecordedTime);

        Assert.Equal(new V1.GetDutyTimelineResponse
        {
            Importer = "US", Origin = "CN", HsCode = "8507600020", StartDate = Date(2025, 1, 1), EndDate = Date(2026, 1, 1),
            Segments =
            {
                new V1.DutyTimelineSegment { StartDate = Date(2025, 1, 1), EndDate = Date(2025, 6, 1), TotalAdValoremPercent = "20" },
                new V1.DutyTimelineSegment
                {
                    StartDate = Date(2025, 6, 1), EndDate = Date(2026, 1, 1), TotalAdValoremPercent = "0",
                    Changes =
                    {
                        new V1.DutyTimelineChange
                        {
                            Kind = V1.TimelineChangeKind.Suspended, MeasureId = "M", Title = "measure", PeriodBefore = Before.ToProto(), PeriodAfter = After.ToProto(),
                            AdValoremPercentBefore = "20", AdValoremPercentAfter = "", TruceTermId = "TRU-S",
                        },
                        new V1.DutyTimelineChange
                        {
                            Kind = V1.TimelineChangeKind.Ended, MeasureId = "M", Title = "measure", PeriodBefore = (Before with { TruceTermId = "TRU-R" }).ToProto(),
                            AdValoremPercentBefore = "20", TruceTermId = "TRU-R",
                        },
                        new V1.DutyTimelineChange
                        {
                            Kind = V1.TimelineChangeKind.Started, MeasureId = "M", Title = "measure", PeriodAfter = Before.ToProto(), AdValoremPercentAfter = "20",
                        },
                    },
                },
            },
            Coverage = new V1.Coverage { ReviewedThrough = Date(2026, 10, 8), Covered = true },
            KnownAt = Timestamp.FromDateTime(RecordedTime),
        }, proto);
    }

    [Fact]
    public void An_export_timeline_maps_each_segment_as_the_check_maps_its_answer()
    {
        var before = new D.ControlPeriod("B1", new DateOnly(2024, 12, 3), new DateOnly(2025, 11, 9), PeriodStatus.InForce, "", null, null, "", Confidence.Confirmed);
        var after = new D.ControlPeriod("B2", new DateOnly(2025, 11, 9), null, PeriodStatus.Suspended, "", null, "TRU-S", "", Confidence.Confirmed);
        var control = new D.ExportControl("BAN", "CN", [], true, "ban", ExportControlType.Prohibited, new ProductScope(false, ["2805"], [], "", ""), [], [],
            "MOFCOM", Confidence.Confirmed, "", [], [before, after]);
        var item = new ExportItem("2805300000", null);
        ExportAnswer Answer(DateOnly d, bool prohibited) => new("CN", "US", item, d, false, prohibited,
            prohibited ? [new ControlMatch(control, before, "hs:2805")] : [], prohibited ? [] : [new ControlMatch(control, after, "hs:2805")], []);
        var timeline = new ExportTimelineAnswer("CN", "US", item, new DateOnly(2025, 10, 1), new DateOnly(2026, 1, 1),
        [
            new(new DateOnly(2025, 10, 1), new DateOnly(2025, 11, 9), Answer(new DateOnly(2025, 10, 1), true), []),
            new(new DateOnly(2025, 11, 9), new DateOnly(2026, 1, 1), Answer(new DateOnly(2025, 11, 9), false),
                [new TimelineChange<D.ExportControl, D.ControlPeriod>(TimelineChangeKind.Suspended, control, before, after),
                 new TimelineChange<D.ExportControl, D.ControlPeriod>(TimelineChangeKind.Started, control, null, after with { TruceTermId = null }),
                 new TimelineChange<D.ExportControl, D.ControlPeriod>(TimelineChangeKind.Ended, control, after, null)]),
        ]);
        var coverage = new Coverage(new DateOnly(2026, 10, 8), false, true, [], false, "");

        var proto = timeline.ToProto(Reference, coverage, RecordedTime, V1.ExportView.Basic);

        var basicMatch = (D.ControlPeriod p) => new V1.ControlMatch
        {
            ControlId = "BAN", ControlType = V1.ExportControlType.Prohibited, LegalInstrument = "MOFCOM", Confidence = V1.Confidence.Confirmed,
            Period = new V1.ControlPeriod { RecordId = p.RecordId, StartDate = p.StartDate.ToProto(), EndDate = p.EndDate.ToProto() },
        };
        Assert.Equal(new V1.GetExportTimelineResponse
        {
            Exporter = "CN", Destination = "US", Item = "2805300000", StartDate = Date(2025, 10, 1), EndDate = Date(2026, 1, 1),
            Segments =
            {
                new V1.ExportTimelineSegment
                {
                    StartDate = Date(2025, 10, 1), EndDate = Date(2025, 11, 9), Prohibited = true, ControlsInForce = { basicMatch(before) },
                },
                new V1.ExportTimelineSegment
                {
                    StartDate = Date(2025, 11, 9), EndDate = Date(2026, 1, 1), ControlsSuspended = { basicMatch(after) },
                    Changes =
                    {
                        new V1.ExportTimelineChange
                        {
                            Kind = V1.TimelineChangeKind.Suspended, ControlId = "BAN", Title = "ban", PeriodBefore = before.ToProto(), PeriodAfter = after.ToProto(),
                            TruceTermId = "TRU-S",
                        },
                        new V1.ExportTimelineChange
                        {
                            Kind = V1.TimelineChangeKind.Started, ControlId = "BAN", Title = "ban", PeriodAfter = (after with { TruceTermId = null }).ToProto(),
                        },
                        new V1.ExportTimelineChange
                        {
                            Kind = V1.TimelineChangeKind.Ended, ControlId = "BAN", Title = "ban", PeriodBefore = after.ToProto(), TruceTermId = "TRU-S",
                        },
                    },
                },
            },
            Coverage = new V1.Coverage { ReviewedThrough = Date(2026, 10, 8), Covered = true },
            KnownAt = Timestamp.FromDateTime(RecordedTime),
        }, proto);
    }
}
