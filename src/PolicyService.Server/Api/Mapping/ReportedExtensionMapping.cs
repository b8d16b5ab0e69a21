using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>Maps a reported-only truce window (announced, no instrument found) to its proto.</summary>
public static class ReportedExtensionMapping
{
    public static V1.ReportedExtension ToProto(this ReportedExtension r, ReferenceData reference) => new()
    {
        Extension = new V1.TruceExtension
        {
            RecordId = r.Window.RecordId, StartDate = r.Window.StartDate.ToProto(), ExpiryDate = r.Window.ExpiryDate.ToProto(),
            LegalInstrument = r.Window.LegalInstrument, Note = r.Window.Note,
        },
        TruceTermId = r.Term.Id,
        AnnouncedDate = r.Term.AnnouncedDate?.ToProto(),
        Confidence = r.Term.Confidence.ToProto(),
        StatusNote = r.Term.StatusNote,
        Sources = { reference.Sources(r.Term.SourceIds) },
    };
}
