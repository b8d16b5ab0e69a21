using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

/// <summary>One period of one export control version, as Dapper reads it.</summary>
internal sealed class ControlRow : VersionedRow
{
    public string ControlId { get; set; } = "";
    public string Exporter { get; set; } = "";
    public bool AllDestinations { get; set; }
    public string DestinationsJson { get; set; } = "[]";
    public string Title { get; set; } = "";
    public string ControlType { get; set; } = "";
    public bool AllProducts { get; set; }
    public string ScopePrefixesJson { get; set; } = "[]";
    public string ExcludedPrefixesJson { get; set; } = "[]";
    public string DatedExclusionsJson { get; set; } = "[]";
    public string ScopeDescription { get; set; } = "";
    public string ScopeMappingNote { get; set; } = "";
    public string ItemsJson { get; set; } = "[]";
    public string RulesJson { get; set; } = "[]";
    public string LegalInstrument { get; set; } = "";
    public string Confidence { get; set; } = "";
    public string Notes { get; set; } = "";
    public string SourceIdsJson { get; set; } = "[]";
    public int Seq { get; set; }
    public string RecordId { get; set; } = "";
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public string Status { get; set; } = "";
    public string PeriodInstrument { get; set; } = "";
    public DateOnly? SuspendedUntil { get; set; }
    public string? TruceTermId { get; set; }
    public string PeriodNote { get; set; } = "";
    public string PeriodConfidence { get; set; } = "";

    public static List<ExportControl> ToControls(IEnumerable<ControlRow> rows)
    {
        var controls = new List<ExportControl>();
        foreach (var group in rows.GroupBy(r => (r.ControlId, r.Version)))
        {
            var c = group.First();
            var periods = group.Select(r => new ControlPeriod(r.RecordId, r.StartDate, r.EndDate, Json.Parse<PeriodStatus>(r.Status),
                r.PeriodInstrument, r.SuspendedUntil, r.TruceTermId, r.PeriodNote, Json.Parse<Domain.Confidence>(r.PeriodConfidence))).ToList();
            controls.Add(new ExportControl(c.ControlId, c.Exporter, Json.Read<List<string>>(c.DestinationsJson), c.AllDestinations, c.Title,
                Json.Parse<ExportControlType>(c.ControlType),
                new ProductScope(c.AllProducts, Json.Read<List<string>>(c.ScopePrefixesJson), Json.Read<List<string>>(c.ExcludedPrefixesJson),
                    c.ScopeDescription, c.ScopeMappingNote, Json.Read<List<ScopeExclusion>>(c.DatedExclusionsJson)),
                Json.Read<List<ControlledItem>>(c.ItemsJson), Json.Read<List<string>>(c.RulesJson), c.LegalInstrument,
                Json.Parse<Domain.Confidence>(c.Confidence), c.Notes, Json.Read<List<string>>(c.SourceIdsJson), periods, c.ToRecordInfo()));
        }
        return controls;
    }

    public static IEnumerable<ControlRow> From(ExportControl c, RecordInfo info) => c.Periods.Select((p, i) => WithInfo(new ControlRow
    {
        ControlId = c.Id, Exporter = c.Exporter, AllDestinations = c.AllDestinations, DestinationsJson = Json.Write(c.Destinations),
        Title = c.Title, ControlType = Json.Name(c.ControlType), AllProducts = c.Scope.AllProducts,
        ScopePrefixesJson = Json.Write(c.Scope.HsPrefixes), ExcludedPrefixesJson = Json.Write(c.Scope.ExcludedHsPrefixes),
        DatedExclusionsJson = Json.Write(c.Scope.DatedExclusions),
        ScopeDescription = c.Scope.Description, ScopeMappingNote = c.Scope.MappingNote, ItemsJson = Json.Write(c.Items),
        RulesJson = Json.Write(c.Rules), LegalInstrument = c.LegalInstrument, Confidence = Json.Name(c.Confidence), Notes = c.Notes,
        SourceIdsJson = Json.Write(c.SourceIds), Seq = i + 1, RecordId = p.RecordId, StartDate = p.StartDate, EndDate = p.EndDate,
        Status = Json.Name(p.Status), PeriodInstrument = p.LegalInstrument, SuspendedUntil = p.SuspendedUntil,
        TruceTermId = p.TruceTermId, PeriodNote = p.Note, PeriodConfidence = Json.Name(p.Confidence),
    }, info));

    private static ControlRow WithInfo(ControlRow row, RecordInfo info)
    {
        row.SetRecordInfo(info);
        return row;
    }
}
