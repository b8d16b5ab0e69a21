using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>
/// The sentences a duty answer carries for the layers its total leaves out: a rate on a part of the value, or one that
/// depends on a condition, cannot be priced from the customs value alone, so the caller is told what it must know.
/// </summary>
public static class PricingNotes
{
    public static IReadOnlyList<string> For(IEnumerable<DutyLayer> layers) =>
        [.. layers.Where(l => !l.InTotal && l.Period.AdValoremPercent is not null).Select(Note)];

    private static string Note(DutyLayer l)
    {
        var rate = $"{l.Measure.Id} ({Percent.Format(l.Period.AdValoremPercent)}%)";
        var basis = l.Basis switch
        {
            RateBasis.MetalContent => $"{rate} is charged on the value of the metal content only, not on the whole customs value",
            RateBasis.NonMetalContent => $"{rate} is charged only on the value other than the metal content" +
                                         (l.MetalContentMeasureId is { } m ? $" (the metal content pays {m})" : ""),
            _ => $"{rate} is charged on the whole customs value",
        };
        var conditions = l.Conditions.Count > 0 ? $", and only if: {string.Join("; ", l.Conditions)}" : "";
        return $"{basis}{conditions}. It is not in the total.";
    }
}
