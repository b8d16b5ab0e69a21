using PolicyService.Server.Queries;
using PolicyService.Server.Storage;
using V1 = TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>
/// The variants of an answer for a less specific code, domain to proto. Each is mapped through the lookup's own answer
/// mapping, so a variant can never describe its layers or controls differently from a lookup of one of its lines.
/// </summary>
public static class VariantMapping
{
    public static V1.DutyVariant ToProto(this LineVariant<DutyAnswer> v, ReferenceData reference, Coverage coverage, DateTime answeredAt)
    {
        var answer = v.Answer.ToProto(reference, coverage, answeredAt);
        return new()
        {
            HsPrefixes = { v.HsPrefixes },
            OtherLines = v.OtherLines,
            TotalAdValoremPercent = answer.TotalAdValoremPercent,
            Layers = { answer.Layers },
            AnnouncedMeasures = { answer.AnnouncedMeasures },
            TruceEffects = { answer.TruceEffects },
            ExcludedLayers = { answer.ExcludedLayers },
            NonAdValoremMeasures = { answer.NonAdValoremMeasures },
            ExemptedLayers = { answer.ExemptedLayers },
            PricingNotes = { answer.PricingNotes },
        };
    }

    public static V1.ExportVariant ToProto(this LineVariant<ExportAnswer> v, ReferenceData reference, Coverage coverage, DateTime answeredAt)
    {
        var answer = v.Answer.ToProto(reference, coverage, answeredAt);
        return new()
        {
            HsPrefixes = { v.HsPrefixes },
            OtherLines = v.OtherLines,
            LicenseRequired = answer.LicenseRequired,
            Prohibited = answer.Prohibited,
            ControlsInForce = { answer.ControlsInForce },
            ControlsSuspended = { answer.ControlsSuspended },
            ControlsAnnounced = { answer.ControlsAnnounced },
        };
    }
}
