using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>Duty and export timelines, domain to proto: each segment is the lookup answer of its dates, mapped as LookupDuty and CheckExport map it.</summary>
public static class TimelineMapping
{
    public static V1.TimelineChangeKind ToProto(this TimelineChangeKind kind) => (V1.TimelineChangeKind)(int)kind;

    public static V1.GetDutyTimelineResponse ToProto(this DutyTimelineAnswer a, ReferenceData reference, Coverage coverage, DateTime answeredAt, V1.DutyView view = V1.DutyView.Full) => new()
    {
        Importer = a.Importer,
        Origin = a.Origin,
        HsCode = a.HsCode,
        StartDate = a.StartDate.ToProto(),
        EndDate = a.EndDate.ToProto(),
        Segments = { a.Segments.Select(s => s.ToProto(reference, coverage, answeredAt, view)) },
        Coverage = coverage.ToProto(),
        KnownAt = answeredAt.ToTimestamp(),
    };

    private static V1.DutyTimelineSegment ToProto(this TimelineSegment<DutyAnswer, D.TariffMeasure, D.TariffPeriod> s, ReferenceData reference, Coverage coverage, DateTime answeredAt, V1.DutyView view)
    {
        // The lookup's own mapping and view, so a segment can never describe its layers differently from LookupDuty.
        var answer = s.Answer.ToProto(reference, coverage, answeredAt).Apply(view);
        return new()
        {
            StartDate = s.Start.ToProto(),
            EndDate = s.End.ToProto(),
            TotalAdValoremPercent = answer.TotalAdValoremPercent,
            TotalVaries = answer.TotalVaries,
            Variants = { answer.Variants },
            Layers = { answer.Layers },
            AnnouncedMeasures = { answer.AnnouncedMeasures },
            TruceEffects = { answer.TruceEffects },
            ExcludedLayers = { answer.ExcludedLayers },
            NonAdValoremMeasures = { answer.NonAdValoremMeasures },
            PricingNotes = { answer.PricingNotes },
            Changes =
            {
                s.Changes.Select(c => new V1.DutyTimelineChange
                {
                    Kind = c.Kind.ToProto(),
                    MeasureId = c.Record.Id,
                    Title = c.Record.Title,
                    PeriodBefore = c.Before?.ToProto(),
                    PeriodAfter = c.After?.ToProto(),
                    AdValoremPercentBefore = AppliedRate(c.Before),
                    AdValoremPercentAfter = AppliedRate(c.After),
                    TruceTermId = c.After?.TruceTermId ?? c.Before?.TruceTermId ?? string.Empty,
                }),
            },
        };
    }

    /// <summary>The rate a period adds while in force; "" for any other status (an announced rate is not applied).</summary>
    private static string AppliedRate(D.TariffPeriod? period) =>
        period is { Status: D.PeriodStatus.InForce } ? Percent.Format(period.AdValoremPercent) : string.Empty;

    public static V1.GetExportTimelineResponse ToProto(this ExportTimelineAnswer a, ReferenceData reference, Coverage coverage, DateTime answeredAt, V1.ExportView view = V1.ExportView.Full) => new()
    {
        Exporter = a.Exporter,
        Destination = a.Destination,
        Item = a.Item.Display,
        StartDate = a.StartDate.ToProto(),
        EndDate = a.EndDate.ToProto(),
        Segments = { a.Segments.Select(s => s.ToProto(reference, coverage, answeredAt, view)) },
        Coverage = coverage.ToProto(),
        KnownAt = answeredAt.ToTimestamp(),
    };

    private static V1.ExportTimelineSegment ToProto(this TimelineSegment<ExportAnswer, D.ExportControl, D.ControlPeriod> s, ReferenceData reference, Coverage coverage, DateTime answeredAt, V1.ExportView view)
    {
        // The check's own mapping and view, so a segment can never describe its controls differently from CheckExport.
        var answer = s.Answer.ToProto(reference, coverage, answeredAt).Apply(view);
        return new()
        {
            StartDate = s.Start.ToProto(),
            EndDate = s.End.ToProto(),
            LicenseRequired = answer.LicenseRequired,
            Prohibited = answer.Prohibited,
            OutcomeVaries = answer.OutcomeVaries,
            Variants = { answer.Variants },
            ControlsInForce = { answer.ControlsInForce },
            ControlsSuspended = { answer.ControlsSuspended },
            ControlsAnnounced = { answer.ControlsAnnounced },
            Changes =
            {
                s.Changes.Select(c => new V1.ExportTimelineChange
                {
                    Kind = c.Kind.ToProto(),
                    ControlId = c.Record.Id,
                    Title = c.Record.Title,
                    PeriodBefore = c.Before?.ToProto(),
                    PeriodAfter = c.After?.ToProto(),
                    TruceTermId = c.After?.TruceTermId ?? c.Before?.TruceTermId ?? string.Empty,
                }),
            },
        };
    }
}
