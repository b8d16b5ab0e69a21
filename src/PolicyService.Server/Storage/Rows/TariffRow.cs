using System.Text.Json;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

// Flat rows as Dapper reads them, and their mapping to and from the domain records.
// Enums are stored by their proto-style names ("IN_FORCE"); rates as integer basis points.

internal static class Json
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException($"Stored JSON '{json}' does not hold a {typeof(T).Name}.");

    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonSerializer.Serialize(value, Options).Trim('"');

    public static TEnum Parse<TEnum>(string name) where TEnum : struct, Enum => Read<TEnum>($"\"{name}\"");
}

internal static class BasisPoints
{
    public static int? From(decimal? percent) => percent is { } p ? decimal.ToInt32(p * 100m) : null;

    public static decimal? ToPercent(int? basisPoints) => basisPoints is { } bp ? bp / 100m : null;

    /// <summary>True when the percent is exactly representable in basis points.</summary>
    public static bool IsExact(decimal percent) => decimal.Round(percent, 2) == percent;
}

/// <summary>The version columns every record root carries.</summary>
internal abstract class VersionedRow
{
    public int Version { get; set; }
    public DateTime RecordedTime { get; set; }
    public string RecordedBy { get; set; } = "";
    public string Reason { get; set; } = "";

    public RecordInfo ToRecordInfo() => new(Version, DateTime.SpecifyKind(RecordedTime, DateTimeKind.Utc), RecordedBy, Reason);

    protected void SetRecordInfo(RecordInfo info)
    {
        Version = info.Version;
        RecordedTime = info.RecordedTime;
        RecordedBy = info.RecordedBy;
        Reason = info.Reason;
    }
}

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

    /// <summary>Groups measure-period rows (ordered by measure, then period) into measures.</summary>
    public static List<TariffMeasure> ToMeasures(IEnumerable<TariffRow> rows)
    {
        var measures = new List<TariffMeasure>();
        foreach (var group in rows.GroupBy(r => (r.MeasureId, r.Version)))
        {
            var m = group.First();
            var periods = group.Select(r => new TariffPeriod(r.RecordId, r.StartDate, r.EndDate, Json.Parse<PeriodStatus>(r.Status),
                BasisPoints.ToPercent(r.RateBp), r.RateDescription, r.PeriodInstrument, BasisPoints.ToPercent(r.SuspendedBp),
                r.SuspendedUntil, r.TruceTermId, r.PeriodNote, Json.Parse<Domain.Confidence>(r.PeriodConfidence))).ToList();
            measures.Add(new TariffMeasure(m.MeasureId, m.Importer, Json.Read<List<string>>(m.OriginsJson), m.AllOrigins, m.Title,
                Json.Parse<TariffKind>(m.Kind),
                new ProductScope(m.AllProducts, Json.Read<List<string>>(m.ScopePrefixesJson), Json.Read<List<string>>(m.ExcludedPrefixesJson),
                    m.ScopeDescription, m.ScopeMappingNote),
                m.LegalInstrument, Json.Parse<Domain.Confidence>(m.Confidence), m.Notes, Json.Read<List<string>>(m.SourceIdsJson),
                periods, Json.Read<List<StackingExclusion>>(m.ExcludedByJson), m.ToRecordInfo()));
        }
        return measures;
    }

    public static IEnumerable<TariffRow> From(TariffMeasure m, RecordInfo info) => m.Periods.Select((p, i) => WithInfo(new TariffRow
    {
        MeasureId = m.Id, Importer = m.Importer, AllOrigins = m.AllOrigins, OriginsJson = Json.Write(m.Origins), Title = m.Title,
        Kind = Json.Name(m.Kind), AllProducts = m.Scope.AllProducts, ScopePrefixesJson = Json.Write(m.Scope.HsPrefixes),
        ExcludedPrefixesJson = Json.Write(m.Scope.ExcludedHsPrefixes), ScopeDescription = m.Scope.Description,
        ScopeMappingNote = m.Scope.MappingNote, LegalInstrument = m.LegalInstrument, Confidence = Json.Name(m.Confidence),
        Notes = m.Notes, SourceIdsJson = Json.Write(m.SourceIds), ExcludedByJson = Json.Write(m.ExcludedBy),
        Seq = i + 1, RecordId = p.RecordId, StartDate = p.StartDate, EndDate = p.EndDate, Status = Json.Name(p.Status),
        RateBp = BasisPoints.From(p.AdValoremPercent), RateDescription = p.RateDescription, PeriodInstrument = p.LegalInstrument,
        SuspendedBp = BasisPoints.From(p.SuspendedPercent), SuspendedUntil = p.SuspendedUntil, TruceTermId = p.TruceTermId,
        PeriodNote = p.Note, PeriodConfidence = Json.Name(p.Confidence),
    }, info));

    private static TariffRow WithInfo(TariffRow row, RecordInfo info)
    {
        row.SetRecordInfo(info);
        return row;
    }
}

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
                    c.ScopeDescription, c.ScopeMappingNote),
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

internal sealed class TruceRow : VersionedRow
{
    public string TruceId { get; set; } = "";
    public string Title { get; set; } = "";
    public string PartiesJson { get; set; } = "[]";
    public DateOnly ConcludedDate { get; set; }
    public DateOnly EffectiveDate { get; set; }
    public string Confidence { get; set; } = "";
    public string Notes { get; set; } = "";
    public string SourceIdsJson { get; set; } = "[]";
}

internal sealed class ExtensionRow
{
    public string TruceId { get; set; } = "";
    public int Seq { get; set; }
    public string RecordId { get; set; } = "";
    public DateOnly StartDate { get; set; }
    public DateOnly ExpiryDate { get; set; }
    public string LegalInstrument { get; set; } = "";
    public string Note { get; set; } = "";
}

internal sealed class TermRow
{
    public string TermId { get; set; } = "";
    public string TruceId { get; set; } = "";
    public int Seq { get; set; }
    public string CommittingPartiesJson { get; set; } = "[]";
    public string TermType { get; set; } = "";
    public string Scope { get; set; } = "";
    public string Description { get; set; } = "";
    public string LegalInstrument { get; set; } = "";
    public DateOnly? AnnouncedDate { get; set; }
    public DateOnly? EffectiveDate { get; set; }
    public string StatusNote { get; set; } = "";
    public string MeasureIdsJson { get; set; } = "[]";
    public string PurchasesJson { get; set; } = "[]";
    public string SourceIdsJson { get; set; } = "[]";
    public string Confidence { get; set; } = "";
}

internal sealed class EventRow
{
    public string EventId { get; set; } = "";
    public string TruceId { get; set; } = "";
    public int Seq { get; set; }
    public DateOnly EventDate { get; set; }
    public string ActorsJson { get; set; } = "[]";
    public string Subject { get; set; } = "";
    public string Description { get; set; } = "";
    public string SourceIdsJson { get; set; } = "[]";
    public string Confidence { get; set; } = "";
}

internal static class TruceRows
{
    /// <summary>Assembles truces from their root rows and the child rows of the same versions.</summary>
    public static List<Truce> ToTruces(IEnumerable<TruceRow> truces, IEnumerable<ExtensionRow> extensions, IEnumerable<TermRow> terms, IEnumerable<EventRow> events)
    {
        var extensionsBy = extensions.ToLookup(e => e.TruceId);
        var termsBy = terms.ToLookup(t => t.TruceId);
        var eventsBy = events.ToLookup(e => e.TruceId);
        return truces.Select(t => new Truce(t.TruceId, Json.Read<List<string>>(t.PartiesJson), t.Title, t.ConcludedDate, t.EffectiveDate,
            Json.Parse<Confidence>(t.Confidence), t.Notes, Json.Read<List<string>>(t.SourceIdsJson),
            extensionsBy[t.TruceId].Select(e => new TruceExtension(e.RecordId, e.StartDate, e.ExpiryDate, e.LegalInstrument, e.Note)).ToList(),
            termsBy[t.TruceId].Select(r => new TruceTerm(r.TermId, Json.Read<List<string>>(r.CommittingPartiesJson),
                Json.Parse<TruceTermType>(r.TermType), r.Scope, r.Description, r.LegalInstrument, r.AnnouncedDate, r.EffectiveDate,
                r.StatusNote, Json.Read<List<string>>(r.MeasureIdsJson), Json.Read<List<PurchaseCommitment>>(r.PurchasesJson),
                Json.Read<List<string>>(r.SourceIdsJson), Json.Parse<Confidence>(r.Confidence))).ToList(),
            eventsBy[t.TruceId].Select(e => new PolicyEvent(e.EventId, e.EventDate, Json.Read<List<string>>(e.ActorsJson), e.Subject,
                e.Description, Json.Read<List<string>>(e.SourceIdsJson), Json.Parse<Confidence>(e.Confidence))).ToList(),
            t.ToRecordInfo())).ToList();
    }
}
