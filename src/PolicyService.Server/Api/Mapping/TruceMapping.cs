using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using D = PolicyService.Server.Domain;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>Truces and truce statuses, domain to proto and proto to domain (ProtoReader, below).</summary>
public static class TruceMapping
{
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

public sealed partial class ProtoReader
{
    public D.Truce Read(V1.Truce t, string path) => new(
        t.Id.Trim(),
        [.. t.Parties.Select(Code)],
        Text(t.Title, $"{path}.title"),
        Date(t.ConcludedDate, $"{path}.concluded_date") ?? default,
        Date(t.EffectiveDate, $"{path}.effective_date") ?? default,
        Enum<D.Confidence>((int)t.Confidence, $"{path}.confidence"),
        t.Notes,
        Sources(t.Sources, $"{path}.sources"),
        [.. t.Extensions.Select((e, i) => new D.TruceExtension(e.RecordId,
            Date(e.StartDate, $"{path}.extensions[{i}].start_date") ?? default,
            Date(e.ExpiryDate, $"{path}.extensions[{i}].expiry_date") ?? default, e.LegalInstrument, e.Note))],
        [.. t.Terms.Select((x, i) => Read(x, $"{path}.terms[{i}]"))],
        [.. t.Events.Select((e, i) => new D.PolicyEvent(e.Id,
            Date(e.Date, $"{path}.events[{i}].date") ?? default, [.. e.Actors], e.Subject, e.Description,
            Sources(e.Sources, $"{path}.events[{i}].sources"), Enum<D.Confidence>((int)e.Confidence, $"{path}.events[{i}].confidence")))]);

    private D.TruceTerm Read(V1.TruceTerm x, string path) => new(
        x.Id.Trim(),
        [.. x.CommittingParties.Select(Code)],
        Enum<D.TruceTermType>((int)x.TermType, $"{path}.term_type"),
        x.Scope,
        x.Description,
        x.LegalInstrument,
        Date(x.AnnouncedDate, $"{path}.announced_date"),
        Date(x.EffectiveDate, $"{path}.effective_date"),
        x.StatusNote,
        [.. x.MeasureIds],
        [.. x.Purchases.Select((p, i) => new D.PurchaseCommitment(p.Commodity, p.HsPrefix,
            Decimal(p.Quantity, $"{path}.purchases[{i}].quantity") ?? 0,
            p.Unit, Date(p.StartDate, $"{path}.purchases[{i}].start_date") ?? default, Date(p.EndDate, $"{path}.purchases[{i}].end_date") ?? default))],
        Sources(x.Sources, $"{path}.sources"),
        Enum<D.Confidence>((int)x.Confidence, $"{path}.confidence"));
}
