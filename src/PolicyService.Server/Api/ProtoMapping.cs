using Date = Google.Type.Date;
using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>Explicit mapping from domain records and answers to the tradepolicy.v1 messages.</summary>
public static class ProtoMapping
{
    public static Date ToProto(this DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

    private static Date? ToProto(this DateOnly? d) => d?.ToProto();

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
        new() { ReviewedThrough = c.ReviewedThrough.ToProto(), BeyondReviewedHorizon = c.BeyondReviewedHorizon, Notice = c.Notice };

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
    };

    public static V1.TariffPeriod ToProto(this D.TariffPeriod p) => new()
    {
        RecordId = p.RecordId,
        StartDate = p.StartDate.ToProto(),
        EndDate = p.EndDate.ToProto(),
        Status = p.Status.ToProto(),
        AdValoremPercent = Percent.Format(p.AdValoremPercent),
        RateDescription = p.RateDescription,
        LegalInstrument = p.LegalInstrument,
        SuspendedPercent = Percent.Format(p.SuspendedPercent),
        SuspendedUntil = p.SuspendedUntil.ToProto(),
        TruceTermId = p.TruceTermId ?? string.Empty,
        Note = p.Note,
        Confidence = p.Confidence.ToProto(),
    };

    public static V1.TariffMeasure ToProto(this D.TariffMeasure m, ReferenceData reference) => new()
    {
        Id = m.Id,
        Importer = m.Importer,
        Origins = { m.Origins },
        AllOrigins = m.AllOrigins,
        Title = m.Title,
        Kind = m.Kind.ToProto(),
        ProductScope = m.Scope.ToProto(),
        LegalInstrument = m.LegalInstrument,
        Periods = { m.Periods.Select(p => p.ToProto()) },
        Sources = { reference.Sources(m.SourceIds) },
        Confidence = m.Confidence.ToProto(),
        Notes = m.Notes,
        Etag = m.Recorded?.Etag ?? string.Empty,
        Recorded = m.Recorded.ToProto(),
        ExcludedBy = { m.ExcludedBy.Select(r => new V1.StackingRule { MeasureId = r.MeasureId, Reason = r.Reason }) },
    };

    public static V1.DutyLayer ToProto(this DutyLayer l, ReferenceData reference) => new()
    {
        MeasureId = l.Measure.Id,
        Kind = l.Measure.Kind.ToProto(),
        Title = l.Measure.Title,
        AdValoremPercent = Percent.Format(l.Period.AdValoremPercent),
        LegalInstrument = l.Period.LegalInstrument.Length > 0 ? l.Period.LegalInstrument : l.Measure.LegalInstrument,
        Period = l.Period.ToProto(),
        Sources = { reference.Sources(l.Measure.SourceIds) },
        Confidence = (l.Period.Confidence > l.Measure.Confidence ? l.Period.Confidence : l.Measure.Confidence).ToProto(),
        MatchedHsPrefix = l.MatchedPrefix,
    };

    public static V1.LookupDutyResponse ToProto(this DutyAnswer a, ReferenceData reference, DateTime answeredAt) => new()
    {
        Importer = a.Importer,
        Origin = a.Origin,
        HsCode = a.HsCode,
        AsOf = a.AsOf.ToProto(),
        Layers = { a.Layers.Select(l => l.ToProto(reference)) },
        TotalAdValoremPercent = Percent.Format(a.TotalAdValoremPercent),
        AnnouncedMeasures = { a.Announced.Select(l => l.ToProto(reference)) },
        TruceEffects =
        {
            a.TruceEffects.Select(e => new V1.TruceEffect
            {
                TruceTermId = e.TruceTermId,
                TruceId = reference.TruceIdByTerm.GetValueOrDefault(e.TruceTermId, string.Empty),
                MeasureId = e.MeasureId,
                Description = e.Description,
                SuspendedPercent = Percent.Format(e.SuspendedPercent),
                Until = e.Until.ToProto(),
            }),
        },
        ExcludedLayers =
        {
            a.Excluded.Select(x => new V1.ExcludedLayer { Layer = x.Layer.ToProto(reference), ExcludedByMeasureId = x.ExcludedByMeasureId, Reason = x.Reason }),
        },
        NonAdValoremMeasures = { a.NonAdValorem.Select(l => l.ToProto(reference)) },
        Coverage = Coverage.For(reference.ReviewedThrough(answeredAt), a.AsOf).ToProto(),
        KnownAt = answeredAt.ToTimestamp(),
    };

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

    public static V1.CheckExportResponse ToProto(this ExportAnswer a, ReferenceData reference, DateTime answeredAt) => new()
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
        Coverage = Coverage.For(reference.ReviewedThrough(answeredAt), a.AsOf).ToProto(),
        KnownAt = answeredAt.ToTimestamp(),
    };

    public static V1.Truce ToProto(this D.Truce t, ReferenceData reference) => new()
    {
        Id = t.Id,
        Parties = { t.Parties },
        Title = t.Title,
        ConcludedDate = t.ConcludedDate.ToProto(),
        EffectiveDate = t.EffectiveDate.ToProto(),
        ExpiryDate = TruceStatusLookup.LatestInForce(t)?.ExpiryDate.ToProto(),
        Extensions =
        {
            t.Extensions.Select(e => new V1.TruceExtension
            {
                RecordId = e.RecordId, StartDate = e.StartDate.ToProto(), ExpiryDate = e.ExpiryDate.ToProto(),
                LegalInstrument = e.LegalInstrument, Note = e.Note,
            }),
        },
        Terms =
        {
            t.Terms.Select(x => new V1.TruceTerm
            {
                Id = x.Id, TruceId = t.Id, CommittingParties = { x.CommittingParties }, TermType = x.TermType.ToProto(), Scope = x.Scope,
                Description = x.Description, LegalInstrument = x.LegalInstrument, AnnouncedDate = x.AnnouncedDate.ToProto(),
                EffectiveDate = x.EffectiveDate.ToProto(), StatusNote = x.StatusNote, MeasureIds = { x.MeasureIds },
                Purchases =
                {
                    x.Purchases.Select(p => new V1.PurchaseCommitment
                    {
                        Commodity = p.Commodity, HsPrefix = p.HsPrefix, Quantity = Percent.Format(p.Quantity), Unit = p.Unit,
                        StartDate = p.StartDate.ToProto(), EndDate = p.EndDate.ToProto(),
                    }),
                },
                Sources = { reference.Sources(x.SourceIds) },
                Confidence = x.Confidence.ToProto(),
            }),
        },
        Events =
        {
            t.Events.Select(e => new V1.PolicyEvent
            {
                Id = e.Id, Date = e.Date.ToProto(), Actors = { e.Actors }, Subject = e.Subject, Description = e.Description,
                Sources = { reference.Sources(e.SourceIds) }, Confidence = e.Confidence.ToProto(),
            }),
        },
        Sources = { reference.Sources(t.SourceIds) },
        Confidence = t.Confidence.ToProto(),
        Notes = t.Notes,
        Etag = t.Recorded?.Etag ?? string.Empty,
        Recorded = t.Recorded.ToProto(),
    };

    public static V1.TruceStatus ToProto(this TruceStatus s, ReferenceData reference) => new()
    {
        Truce = s.Truce.ToProto(reference),
        ExpiryDate = s.Window.ExpiryDate.ToProto(),
        DaysRemaining = s.DaysRemaining,
        ResumingMeasures =
        {
            s.Resuming.Select(r => new V1.ResumingMeasure
            {
                MeasureType = r.MeasureType, MeasureId = r.MeasureId, Title = r.Title, TruceTermId = r.TruceTermId,
                ResumesOn = r.ResumesOn.ToProto(), Description = r.Description,
            }),
        },
        ReportedExtensions = { (s.Reported ?? []).Select(r => r.ToProto(reference)) },
    };
}
