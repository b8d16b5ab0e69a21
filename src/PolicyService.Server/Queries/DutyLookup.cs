using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>An in-force (or announced) measure period that applies to the product.</summary>
public sealed record DutyLayer(TariffMeasure Measure, TariffPeriod Period, string MatchedPrefix);

public sealed record ExcludedLayer(DutyLayer Layer, string ExcludedByMeasureId, string Reason);

/// <summary>An in-force measure the product is exempt from: its scope matched but the exclusion prefix removed the code.</summary>
public sealed record ExemptedLayer(DutyLayer Layer, string ExcludedPrefix, string Reason);

/// <summary>A truce term that changed the answer on the date.</summary>
public sealed record TruceEffect(string TruceTermId, string MeasureId, string Description, decimal? SuspendedPercent, DateOnly? Until);

public sealed record DutyAnswer(
    string Importer,
    string Origin,
    string HsCode,
    DateOnly AsOf,
    IReadOnlyList<DutyLayer> Layers,
    decimal TotalAdValoremPercent,
    IReadOnlyList<DutyLayer> Announced,
    IReadOnlyList<TruceEffect> TruceEffects,
    IReadOnlyList<ExcludedLayer> Excluded,
    IReadOnlyList<DutyLayer> NonAdValorem,
    IReadOnlyList<ExemptedLayer> Exempted)
{
    /// <summary>
    /// Empty unless the lines under a less specific code answer differently (<see cref="DutyVariants"/>): then each
    /// distinct answer, the lists above hold only what every variant shares, and the total is no answer's total.
    /// </summary>
    public IReadOnlyList<LineVariant<DutyAnswer>> Variants { get; init; } = [];
}

/// <summary>Which duties apply to a product on a date, and how they stack. Pure: the store only narrows the candidates.</summary>
public static class DutyLookup
{
    public static DutyAnswer Resolve(IEnumerable<TariffMeasure> candidates, string importer, string origin, string hsCode, DateOnly asOf)
    {
        var inForce = new List<DutyLayer>();
        var announced = new List<DutyLayer>();
        var nonAdValorem = new List<DutyLayer>();
        var effects = new List<TruceEffect>();
        var exempted = new List<ExemptedLayer>();

        foreach (var measure in candidates.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            if (!Applies(measure, importer, origin)) continue;
            var covered = HsCode.Match(measure.Scope, hsCode, out var matchedPrefix, out var exemption);
            if (!covered && exemption is null) continue;
            if (AsOf.PeriodAt(measure.Periods, asOf) is not { } period) continue;
            if (!covered)
            {
                // Only an exemption from a duty that is in force on the date changes the answer; the rest is noise.
                if (period is { Status: PeriodStatus.InForce, AdValoremPercent: not null })
                    exempted.Add(new ExemptedLayer(new DutyLayer(measure, period, matchedPrefix), exemption!, ExemptionReason(measure, hsCode, exemption!)));
                continue;
            }

            var layer = new DutyLayer(measure, period, matchedPrefix);
            switch (period.Status)
            {
                case PeriodStatus.InForce when period.AdValoremPercent is not null:
                    inForce.Add(layer);
                    break;
                case PeriodStatus.InForce:
                    nonAdValorem.Add(layer);
                    break;
                case PeriodStatus.Announced:
                    announced.Add(layer);
                    break;
            }
            if (TruceEffectOf(measure, period) is { } effect) effects.Add(effect);
        }

        var (layers, excluded) = Stack(inForce, nonAdValorem);
        return new DutyAnswer(importer, origin, hsCode, asOf, layers, layers.Sum(l => l.Period.AdValoremPercent!.Value),
            announced, effects, excluded, nonAdValorem, exempted);
    }

    public static bool Applies(TariffMeasure measure, string importer, string origin) =>
        measure.Importer == importer && (measure.AllOrigins || measure.Origins.Contains(origin));

    /// <summary>Layers add up, except a layer whose stacking rule names another in-force layer: that one is left out.
    /// An in-force measure with no ad valorem rate (a Section 232 regime whose rate depends on an annex) still excludes.</summary>
    public static (IReadOnlyList<DutyLayer> Layers, IReadOnlyList<ExcludedLayer> Excluded) Stack(IReadOnlyList<DutyLayer> inForce, IReadOnlyList<DutyLayer>? inForceWithoutRate = null)
    {
        var present = inForce.Concat(inForceWithoutRate ?? []).Select(l => l.Measure.Id).ToHashSet(StringComparer.Ordinal);
        var layers = new List<DutyLayer>(inForce.Count);
        var excluded = new List<ExcludedLayer>();
        foreach (var layer in inForce)
        {
            var rule = layer.Measure.ExcludedBy.FirstOrDefault(r => present.Contains(r.MeasureId));
            if (rule is null) layers.Add(layer);
            else excluded.Add(new ExcludedLayer(layer, rule.MeasureId, rule.Reason));
        }
        return (layers, excluded);
    }

    private static string ExemptionReason(TariffMeasure measure, string hsCode, string prefix) =>
        $"{hsCode} is left out of {measure.Id} by the exclusion {prefix} of its scope: {measure.Scope.Description}";

    private static TruceEffect? TruceEffectOf(TariffMeasure measure, TariffPeriod period)
    {
        if (period.TruceTermId is not { Length: > 0 } term) return null;
        if (period.Status is not (PeriodStatus.InForce or PeriodStatus.Suspended)) return null;

        var until = period.SuspendedUntil ?? period.EndDate;
        var untilText = until is { } u ? $" until {u:yyyy-MM-dd}" : string.Empty;
        var description = (period.Status, period.SuspendedPercent) switch
        {
            (PeriodStatus.Suspended, _) => $"{measure.Title} suspended{untilText} by term {term}",
            (_, { } points) when points > 0 =>
                $"{Percent.Format(points)} points of {measure.Title} suspended{untilText} by term {term}; {Percent.Format(period.AdValoremPercent)}% applies",
            _ => $"{measure.Title} set to {Percent.Format(period.AdValoremPercent)}% by term {term}",
        };
        var suspended = period.Status == PeriodStatus.Suspended ? period.AdValoremPercent : period.SuspendedPercent;
        return new TruceEffect(term, measure.Id, description, suspended, until);
    }
}
