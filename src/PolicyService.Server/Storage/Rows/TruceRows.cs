using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

// A truce version and its child rows (windows, terms, events), read by one batch and assembled here.

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

    /// <summary>A truce with the measures and controls whose periods one of its terms created.</summary>
    public static TruceBundle Bundle(Truce truce, IReadOnlyList<TariffMeasure> measures, IReadOnlyList<ExportControl> controls)
    {
        var terms = truce.Terms.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        bool ByTerm(string? id) => id is not null && terms.Contains(id);
        return new TruceBundle(truce,
            [.. measures.Where(m => m.Periods.Any(p => ByTerm(p.TruceTermId)))],
            [.. controls.Where(c => c.Periods.Any(p => ByTerm(p.TruceTermId)))]);
    }
}
