using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>
/// The BASIC views of the lookup answers (AIP-157): the full answer with what pricing does not need left unset, so the
/// two views can never disagree on what they both carry. Sources stay as their ids (SourceService has the rest).
/// The variants of an answer for a less specific code keep their prefixes, their other-lines flag, their total and
/// outcome; their layers and controls are cut exactly as the top's are, since a caller prices each variant alike.
/// </summary>
public static class AnswerViews
{
    public static V1.LookupDutyResponse Apply(this V1.LookupDutyResponse answer, V1.DutyView view)
    {
        if (view != V1.DutyView.Basic) return answer;
        Basic(answer.Layers, answer.AnnouncedMeasures, answer.NonAdValoremMeasures, answer.ExcludedLayers, answer.ExemptedLayers, answer.TruceEffects);
        // A variant is priced like a whole answer, so it keeps what the top keeps: its prefixes, total and layers, cut alike.
        foreach (var variant in answer.Variants)
        {
            Basic(variant.Layers, variant.AnnouncedMeasures, variant.NonAdValoremMeasures, variant.ExcludedLayers, variant.ExemptedLayers, variant.TruceEffects);
        }
        answer.Product = null; // ProductService.GetProduct describes the code
        answer.KnownAt = null; // the caller's own known_at, or now
        answer.Coverage.Notice = ""; // sentences for people: covered, uncovered, mfn_included and the horizon say the same
        HorizonMapping.Basic(answer.UnreviewedEvents);
        return answer;
    }

    private static void Basic(IEnumerable<V1.DutyLayer> layers, IEnumerable<V1.DutyLayer> announced, IEnumerable<V1.DutyLayer> nonAdValorem,
        IReadOnlyCollection<V1.ExcludedLayer> excluded, IReadOnlyCollection<V1.ExemptedLayer> exempted, IEnumerable<V1.TruceEffect> effects)
    {
        foreach (var layer in layers) Basic(layer);
        // Layers that add nothing to the total are named, with their rate and dates, but without instrument or sources.
        foreach (var layer in announced.Concat(nonAdValorem).Concat(excluded.Select(x => x.Layer)).Concat(exempted.Select(x => x.Layer)))
        {
            Basic(layer);
            layer.LegalInstrument = "";
            layer.Sources.Clear();
        }
        foreach (var x in excluded) x.Reason = "";
        foreach (var x in exempted) x.Reason = "";
        foreach (var effect in effects) effect.Description = "";
    }

    public static V1.CheckExportResponse Apply(this V1.CheckExportResponse answer, V1.ExportView view)
    {
        if (view != V1.ExportView.Basic) return answer;
        // Variants keep their prefixes and outcome; their controls are cut as the top's are.
        foreach (var match in answer.ControlsInForce.Concat(answer.ControlsSuspended).Concat(answer.ControlsAnnounced)
                     .Concat(answer.Variants.SelectMany(v => v.ControlsInForce.Concat(v.ControlsSuspended).Concat(v.ControlsAnnounced))))
        {
            match.Title = "";
            match.MatchedBy = "";
            match.Rules.Clear();
            match.Period = match.Period is { } p
                ? new V1.ControlPeriod { RecordId = p.RecordId, StartDate = p.StartDate, EndDate = p.EndDate, SuspendedUntil = p.SuspendedUntil }
                : null;
            IdsOnly(match.Sources);
        }
        answer.Product = null;
        answer.Coverage.Notice = "";
        HorizonMapping.Basic(answer.UnreviewedEvents);
        return answer;
    }

    public static V1.GetTruceStatusResponse Apply(this V1.GetTruceStatusResponse answer, V1.TruceView view)
    {
        if (view != V1.TruceView.Basic) return answer;
        foreach (var status in answer.Truces)
        {
            var truce = status.Truce;
            truce.Title = "";
            truce.Notes = "";
            truce.Events.Clear();
            IdsOnly(truce.Sources);
            foreach (var extension in truce.Extensions) extension.Note = "";
            foreach (var term in truce.Terms)
            {
                term.Scope = "";
                term.Description = "";
                term.StatusNote = "";
                term.Purchases.Clear();
                IdsOnly(term.Sources);
            }
            foreach (var resuming in status.ResumingMeasures)
            {
                resuming.Title = "";
                resuming.Description = "";
            }
        }
        answer.Coverage.Notice = "";
        HorizonMapping.Basic(answer.UnreviewedEvents);
        return answer;
    }

    private static void Basic(V1.DutyLayer layer)
    {
        layer.Title = "";
        layer.MatchedHsPrefix = "";
        layer.Period = layer.Period is { } p ? new V1.TariffPeriod { RecordId = p.RecordId, StartDate = p.StartDate, EndDate = p.EndDate } : null;
        IdsOnly(layer.Sources);
    }

    private static void IdsOnly(Google.Protobuf.Collections.RepeatedField<V1.Source> sources)
    {
        var ids = sources.Select(s => new V1.Source { Id = s.Id }).ToList();
        sources.Clear();
        sources.AddRange(ids);
    }
}
