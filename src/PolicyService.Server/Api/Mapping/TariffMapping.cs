using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>Tariff measures and duty answers, domain to proto and proto to domain (ProtoReader, below).</summary>
public static class TariffMapping
{
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
        RateBasis = p.RateBasis.ToProto(),
        Conditions = { p.Conditions },
    };

    public static V1.RateBasis ToProto(this D.RateBasis b) => (V1.RateBasis)(int)b;

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
        ExcludedBy = { m.ExcludedBy.Select(r => new V1.StackingRule { MeasureId = r.MeasureId, Reason = r.Reason, Effect = (V1.StackingEffect)(int)r.Effect }) },
    };

    /// <summary>A layer of the answer; <paramref name="counted"/>: it is one of the stacked layers, so in_total says whether the total has it.</summary>
    public static V1.DutyLayer ToProto(this DutyLayer l, ReferenceData reference, bool counted = false) => new()
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
        RateBasis = l.Basis.ToProto(),
        Conditions = { l.Conditions },
        InTotal = counted && l.InTotal,
    };

    public static V1.LookupDutyResponse ToProto(this DutyAnswer a, ReferenceData reference, Coverage coverage, DateTime answeredAt) => new()
    {
        Importer = a.Importer,
        Origin = a.Origin,
        HsCode = a.HsCode,
        AsOf = a.AsOf.ToProto(),
        Layers = { a.Layers.Select(l => l.ToProto(reference, counted: true)) },
        // The lines under a less specific code pay different totals: each variant says its own.
        TotalAdValoremPercent = a.Variants.Count > 0 ? string.Empty : Percent.Format(a.TotalAdValoremPercent),
        TotalVaries = a.Variants.Count > 0,
        Variants = { a.Variants.Select(v => v.ToProto(reference, coverage, answeredAt)) },
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
        ExemptedLayers =
        {
            a.Exempted.Select(x => new V1.ExemptedLayer { Layer = x.Layer.ToProto(reference), ExcludedHsPrefix = x.ExcludedPrefix, Reason = x.Reason }),
        },
        Coverage = coverage.ToProto(),
        KnownAt = answeredAt.ToTimestamp(),
        PricingNotes = { a.PricingNotes },
    };
}

public sealed partial class ProtoReader
{
    public D.TariffMeasure Read(V1.TariffMeasure m, string path) => new(
        m.Id.Trim(),
        Code(m.Importer),
        [.. m.Origins.Select(Code)],
        m.AllOrigins,
        Text(m.Title, $"{path}.title"),
        Enum<D.TariffKind>((int)m.Kind, $"{path}.kind"),
        Read(m.ProductScope ?? new V1.ProductScope(), $"{path}.product_scope"),
        m.LegalInstrument,
        Enum<D.Confidence>((int)m.Confidence, $"{path}.confidence"),
        m.Notes,
        Sources(m.Sources, $"{path}.sources"),
        [.. m.Periods.Select((p, i) => Read(p, $"{path}.periods[{i}]"))],
        [.. m.ExcludedBy.Select((r, i) => new D.StackingExclusion(r.MeasureId, r.Reason,
            OptionalEnum((int)r.Effect, D.StackingEffect.Exclude, $"{path}.excluded_by[{i}].effect")))]);

    private D.TariffPeriod Read(V1.TariffPeriod p, string path) => new(
        p.RecordId,
        Date(p.StartDate, $"{path}.start_date") ?? Missing<DateOnly>($"{path}.start_date"),
        Date(p.EndDate, $"{path}.end_date"),
        Enum<D.PeriodStatus>((int)p.Status, $"{path}.status"),
        Percent(p.AdValoremPercent, $"{path}.ad_valorem_percent"),
        p.RateDescription,
        p.LegalInstrument,
        Percent(p.SuspendedPercent, $"{path}.suspended_percent"),
        Date(p.SuspendedUntil, $"{path}.suspended_until"),
        NullIfEmpty(p.TruceTermId),
        p.Note,
        Enum<D.Confidence>((int)p.Confidence, $"{path}.confidence"))
    {
        RateBasis = OptionalEnum((int)p.RateBasis, D.RateBasis.FullValue, $"{path}.rate_basis"),
        Conditions = [.. p.Conditions.Select(c => c.Trim())],
    };
}
