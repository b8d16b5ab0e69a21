using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>An in-force (or announced) measure period that applies to the product.</summary>
public sealed record DutyLayer(TariffMeasure Measure, TariffPeriod Period, string MatchedPrefix)
{
    /// <summary>What the rate is charged on in this answer: the period's basis, unless a stacking rule left it only the non-metal part.</summary>
    public RateBasis Basis { get; init; } = Period.RateBasis;

    /// <summary>What must hold for the duty to apply: the period's conditions and any a stacking rule added.</summary>
    public IReadOnlyList<string> Conditions { get; init; } = Period.Conditions;

    /// <summary>With <see cref="RateBasis.NonMetalContent"/>: the measure charging the metal content, whose rest this layer is charged on.</summary>
    public string? MetalContentMeasureId { get; init; }

    /// <summary>Counted in the total: an in-force ad valorem rate on the full value with no conditions.</summary>
    public bool InTotal => Period is { Status: PeriodStatus.InForce, AdValoremPercent: not null } && Basis == RateBasis.FullValue && Conditions.Count == 0;
}

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
    /// <summary>What a caller must know to price the layers the total leaves out (content-based or conditional ones).</summary>
    public IReadOnlyList<string> PricingNotes { get; init; } = [];

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
            var covered = HsCode.Match(measure.Scope, hsCode, asOf, out var matchedPrefix, out var exemption, out var datedExemption);
            if (!covered && exemption is null) continue;
            if (AsOf.PeriodAt(measure.Periods, asOf) is not { } period) continue;
            if (!covered)
            {
                // Only an exemption from a duty that is in force on the date changes the answer; the rest is noise.
                if (period is { Status: PeriodStatus.InForce, AdValoremPercent: not null })
                    exempted.Add(new ExemptedLayer(new DutyLayer(measure, period, matchedPrefix), exemption!, ExemptionReason(measure, hsCode, exemption!, datedExemption)));
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
        return new DutyAnswer(importer, origin, hsCode, asOf, layers, Total(layers), announced, effects, excluded, nonAdValorem, exempted)
        {
            PricingNotes = Queries.PricingNotes.For(layers),
        };
    }

    /// <summary>The sum of the layers that can be priced on the customs value alone; the others are explained in pricing notes.</summary>
    public static decimal Total(IEnumerable<DutyLayer> layers) => layers.Where(l => l.InTotal).Sum(l => l.Period.AdValoremPercent!.Value);

    public static bool Applies(TariffMeasure measure, string importer, string origin) =>
        measure.Importer == importer && (measure.AllOrigins || measure.Origins.Contains(origin));

    /// <summary>
    /// Layers add up, except a layer whose stacking rule names another in-force layer. With effect EXCLUDE that layer is
    /// left out; with NON_METAL_PART_ONLY it is charged only on the rest of the value when the other is charged on the
    /// metal content (and left out when the other takes the full value). When the other layer is itself conditional, the
    /// layer is not left out but applies only where the other does not. An in-force measure with no ad valorem rate still excludes.
    /// </summary>
    public static (IReadOnlyList<DutyLayer> Layers, IReadOnlyList<ExcludedLayer> Excluded) Stack(IReadOnlyList<DutyLayer> inForce, IReadOnlyList<DutyLayer>? inForceWithoutRate = null)
    {
        var present = new Dictionary<string, DutyLayer>(StringComparer.Ordinal);
        foreach (var l in inForce.Concat(inForceWithoutRate ?? [])) present.TryAdd(l.Measure.Id, l);
        var layers = new List<DutyLayer>(inForce.Count);
        var excluded = new List<ExcludedLayer>();
        foreach (var layer in inForce)
        {
            var stacked = layer;
            ExcludedLayer? exclusion = null;
            foreach (var rule in layer.Measure.ExcludedBy)
            {
                if (!present.TryGetValue(rule.MeasureId, out var other)) continue;
                if (other.Period.Conditions.Count > 0)
                {
                    // Whether the other applies is not known from the code: this one applies exactly where it does not.
                    stacked = stacked with { Conditions = [.. stacked.Conditions, $"only where {other.Measure.Id} does not apply ({string.Join("; ", other.Period.Conditions)})"] };
                }
                else if (rule.Effect == StackingEffect.NonMetalPartOnly && other.Period.RateBasis == RateBasis.MetalContent)
                {
                    stacked = stacked with { Basis = RateBasis.NonMetalContent, MetalContentMeasureId = other.Measure.Id };
                }
                else
                {
                    exclusion = new ExcludedLayer(layer, rule.MeasureId, rule.Reason);
                    break;
                }
            }
            if (exclusion is null) layers.Add(stacked);
            else excluded.Add(exclusion);
        }
        return (layers, excluded);
    }

    private static string ExemptionReason(TariffMeasure measure, string hsCode, string prefix, ScopeExclusion? dated) => dated is null
        ? $"{hsCode} is left out of {measure.Id} by the exclusion {prefix} of its scope: {measure.Scope.Description}"
        : $"{hsCode} is left out of {measure.Id} by the exclusion {prefix} ({dated.Basis}), {dated.PeriodText()}: {measure.Scope.Description}";

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
