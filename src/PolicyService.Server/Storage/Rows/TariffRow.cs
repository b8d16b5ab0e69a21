using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

/// <summary>One period of one tariff measure version, as Dapper reads it; the measure's columns repeat on each.</summary>
internal sealed class TariffRow : VersionedRow
{
    public string MeasureId { get; set; } = "";
    public string Importer { get; set; } = "";
    public bool AllOrigins { get; set; }
    public string OriginsJson { get; set; } = "[]";
    public string Title { get; set; } = "";
    public string Kind { get; set; } = "";
    public bool AllProducts { get; set; }
    public string ScopePrefixesJson { get; set; } = "[]";
    public string ExcludedPrefixesJson { get; set; } = "[]";
    public string DatedExclusionsJson { get; set; } = "[]";
    public string ScopeDescription { get; set; } = "";
    public string ScopeMappingNote { get; set; } = "";
    public string LegalInstrument { get; set; } = "";
    public string Confidence { get; set; } = "";
    public string Notes { get; set; } = "";
    public string SourceIdsJson { get; set; } = "[]";
    public string ExcludedByJson { get; set; } = "[]";
    public int Seq { get; set; }
    public string RecordId { get; set; } = "";
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public string Status { get; set; } = "";
    public int? RateBp { get; set; }
    public string RateDescription { get; set; } = "";
    public string PeriodInstrument { get; set; } = "";
    public int? SuspendedBp { get; set; }
    public DateOnly? SuspendedUntil { get; set; }
    public string? TruceTermId { get; set; }
    public string PeriodNote { get; set; } = "";
    public string PeriodConfidence { get; set; } = "";
    public string RateBasis { get; set; } = "";
    public string ConditionsJson { get; set; } = "[]";

    /// <summary>Groups measure-period rows (ordered by measure, then period) into measures.</summary>
    public static List<TariffMeasure> ToMeasures(IEnumerable<TariffRow> rows)
    {
        var measures = new List<TariffMeasure>();
        foreach (var group in rows.GroupBy(r => (r.MeasureId, r.Version)))
        {
            var m = group.First();
            var periods = group.Select(r => new TariffPeriod(r.RecordId, r.StartDate, r.EndDate, Json.Parse<PeriodStatus>(r.Status),
                BasisPoints.ToPercent(r.RateBp), r.RateDescription, r.PeriodInstrument, BasisPoints.ToPercent(r.SuspendedBp),
                r.SuspendedUntil, r.TruceTermId, r.PeriodNote, Json.Parse<Domain.Confidence>(r.PeriodConfidence))
            {
                RateBasis = Json.Parse<Domain.RateBasis>(r.RateBasis),
                Conditions = Json.Read<List<string>>(r.ConditionsJson),
            }).ToList();
            measures.Add(new TariffMeasure(m.MeasureId, m.Importer, Json.Read<List<string>>(m.OriginsJson), m.AllOrigins, m.Title,
                Json.Parse<TariffKind>(m.Kind),
                new ProductScope(m.AllProducts, Json.Read<List<string>>(m.ScopePrefixesJson), Json.Read<List<string>>(m.ExcludedPrefixesJson),
                    m.ScopeDescription, m.ScopeMappingNote, Json.Read<List<ScopeExclusion>>(m.DatedExclusionsJson)),
                m.LegalInstrument, Json.Parse<Domain.Confidence>(m.Confidence), m.Notes, Json.Read<List<string>>(m.SourceIdsJson),
                periods, Json.Read<List<StackingExclusion>>(m.ExcludedByJson), m.ToRecordInfo()));
        }
        return measures;
    }

    public static IEnumerable<TariffRow> From(TariffMeasure m, RecordInfo info) => m.Periods.Select((p, i) => WithInfo(new TariffRow
    {
        MeasureId = m.Id, Importer = m.Importer, AllOrigins = m.AllOrigins, OriginsJson = Json.Write(m.Origins), Title = m.Title,
        Kind = Json.Name(m.Kind), AllProducts = m.Scope.AllProducts, ScopePrefixesJson = Json.Write(m.Scope.HsPrefixes),
        ExcludedPrefixesJson = Json.Write(m.Scope.ExcludedHsPrefixes),
        DatedExclusionsJson = Json.Write(m.Scope.DatedExclusions), ScopeDescription = m.Scope.Description,
        ScopeMappingNote = m.Scope.MappingNote, LegalInstrument = m.LegalInstrument, Confidence = Json.Name(m.Confidence),
        Notes = m.Notes, SourceIdsJson = Json.Write(m.SourceIds), ExcludedByJson = Json.Write(m.ExcludedBy),
        Seq = i + 1, RecordId = p.RecordId, StartDate = p.StartDate, EndDate = p.EndDate, Status = Json.Name(p.Status),
        RateBp = BasisPoints.From(p.AdValoremPercent), RateDescription = p.RateDescription, PeriodInstrument = p.LegalInstrument,
        SuspendedBp = BasisPoints.From(p.SuspendedPercent), SuspendedUntil = p.SuspendedUntil, TruceTermId = p.TruceTermId,
        PeriodNote = p.Note, PeriodConfidence = Json.Name(p.Confidence), RateBasis = Json.Name(p.RateBasis),
        ConditionsJson = Json.Write(p.Conditions),
    }, info));

    private static TariffRow WithInfo(TariffRow row, RecordInfo info)
    {
        row.SetRecordInfo(info);
        return row;
    }
}
