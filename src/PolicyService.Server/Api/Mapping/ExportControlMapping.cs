using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>Export controls and export answers, domain to proto and proto to domain (ProtoReader, below).</summary>
public static class ExportControlMapping
{
    public static V1.ControlPeriod ToProto(this D.ControlPeriod p) => new()
    {
        RecordId = p.RecordId,
        StartDate = p.StartDate.ToProto(),
        EndDate = p.EndDate.ToProto(),
        Status = p.Status.ToProto(),
        LegalInstrument = p.LegalInstrument,
        SuspendedUntil = p.SuspendedUntil.ToProto(),
        TruceTermId = p.TruceTermId ?? string.Empty,
        Note = p.Note,
        Confidence = p.Confidence.ToProto(),
    };

    public static V1.ExportControl ToProto(this D.ExportControl c, ReferenceData reference) => new()
    {
        Id = c.Id,
        Exporter = c.Exporter,
        Destinations = { c.Destinations },
        AllDestinations = c.AllDestinations,
        Title = c.Title,
        ControlType = c.ControlType.ToProto(),
        ProductScope = c.Scope.ToProto(),
        Items = { c.Items.Select(i => new V1.ControlledItem { Name = i.Name, ControlCode = i.ControlCode, HsCodes = { i.HsCodes } }) },
        Rules = { c.Rules },
        LegalInstrument = c.LegalInstrument,
        Periods = { c.Periods.Select(p => p.ToProto()) },
        Sources = { reference.Sources(c.SourceIds) },
        Confidence = c.Confidence.ToProto(),
        Notes = c.Notes,
        Etag = c.Recorded?.Etag ?? string.Empty,
        Recorded = c.Recorded.ToProto(),
    };

    public static V1.ControlMatch ToProto(this ControlMatch m, ReferenceData reference) => new()
    {
        ControlId = m.Control.Id,
        Title = m.Control.Title,
        ControlType = m.Control.ControlType.ToProto(),
        LegalInstrument = m.Period.LegalInstrument.Length > 0 ? m.Period.LegalInstrument : m.Control.LegalInstrument,
        Period = m.Period.ToProto(),
        Sources = { reference.Sources(m.Control.SourceIds) },
        Confidence = (m.Period.Confidence > m.Control.Confidence ? m.Period.Confidence : m.Control.Confidence).ToProto(),
        MatchedBy = m.MatchedBy,
        Rules = { m.Control.Rules },
    };

    public static V1.CheckExportResponse ToProto(this ExportAnswer a, ReferenceData reference, Coverage coverage, DateTime answeredAt) => new()
    {
        Exporter = a.Exporter,
        Destination = a.Destination,
        Item = a.Item.Display,
        AsOf = a.AsOf.ToProto(),
        LicenseRequired = a.LicenseRequired,
        Prohibited = a.Prohibited,
        ControlsInForce = { a.InForce.Select(m => m.ToProto(reference)) },
        ControlsSuspended = { a.Suspended.Select(m => m.ToProto(reference)) },
        ControlsAnnounced = { a.Announced.Select(m => m.ToProto(reference)) },
        OutcomeVaries = a.Variants.Count > 0,
        Variants = { a.Variants.Select(v => v.ToProto(reference, coverage, answeredAt)) },
        Coverage = coverage.ToProto(),
        KnownAt = answeredAt.ToTimestamp(),
    };
}

public sealed partial class ProtoReader
{
    public D.ExportControl Read(V1.ExportControl c, string path) => new(
        c.Id.Trim(),
        Code(c.Exporter),
        [.. c.Destinations.Select(Code)],
        c.AllDestinations,
        Text(c.Title, $"{path}.title"),
        Enum<D.ExportControlType>((int)c.ControlType, $"{path}.control_type"),
        Read(c.ProductScope ?? new V1.ProductScope(), $"{path}.product_scope"),
        [.. c.Items.Select(i => new D.ControlledItem(i.Name.Trim().ToLowerInvariant(), i.ControlCode, [.. i.HsCodes]))],
        [.. c.Rules],
        c.LegalInstrument,
        Enum<D.Confidence>((int)c.Confidence, $"{path}.confidence"),
        c.Notes,
        Sources(c.Sources, $"{path}.sources"),
        [.. c.Periods.Select((p, i) => Read(p, $"{path}.periods[{i}]"))]);

    private D.ControlPeriod Read(V1.ControlPeriod p, string path) => new(
        p.RecordId,
        Date(p.StartDate, $"{path}.start_date") ?? Missing<DateOnly>($"{path}.start_date"),
        Date(p.EndDate, $"{path}.end_date"),
        Enum<D.PeriodStatus>((int)p.Status, $"{path}.status"),
        p.LegalInstrument,
        Date(p.SuspendedUntil, $"{path}.suspended_until"),
        NullIfEmpty(p.TruceTermId),
        p.Note,
        Enum<D.Confidence>((int)p.Confidence, $"{path}.confidence"));
}
