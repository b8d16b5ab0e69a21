using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>
/// A duty lookup for a code that may be less specific than the data (8507.60.00 where List 4A names 8507.60.00.10 and
/// .20): never one branch taken silently. When the lines under the code answer alike, the answer is the code's own;
/// when they differ, it carries each distinct answer (<see cref="DutyAnswer.Variants"/>) and keeps at its top only what
/// every variant shares.
/// </summary>
public static class DutyVariants
{
    public static DutyAnswer Resolve(IReadOnlyList<TariffMeasure> candidates, string importer, string origin, string hsCode, DateOnly asOf)
    {
        var own = DutyLookup.Resolve(candidates, importer, origin, hsCode, asOf);
        if (!HsDescendants.CanHaveAny(hsCode)) return own;

        var under = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var measure in candidates)
        {
            if (DutyLookup.Applies(measure, importer, origin)) HsDescendants.AddUnder(measure.Scope, hsCode, under);
        }
        if (under.Count == 0) return own;
        var variants = LineVariants.Group(own, under, prefix => DutyLookup.Resolve(candidates, importer, origin, prefix, asOf), Alike);
        return variants.Count == 0 ? own : Common(own, variants);
    }

    /// <summary>
    /// Two answers of lines under one code are alike when they pay the same (layers and their periods, the total, what is
    /// excluded, announced or without a rate, the truce effects) and are exempt from the same measures. Which prefix
    /// matched or named the exemption does not count: it differs from line to line by construction.
    /// </summary>
    public static bool Alike(DutyAnswer a, DutyAnswer b) =>
        DutyTimeline.SameAnswer(a, b) &&
        a.Exempted.Count == b.Exempted.Count &&
        a.Exempted.Zip(b.Exempted).All(p => SameLayer(p.First.Layer, p.Second.Layer));

    /// <summary>What a timeline compares from one date to the next: the answer and, when it varies below the code, every variant.</summary>
    public static bool SameAnswer(DutyAnswer a, DutyAnswer b) =>
        DutyTimeline.SameAnswer(a, b) && LineVariants.SameVariants(a.Variants, b.Variants, Alike);

    /// <summary>The truce terms an answer names, its variants' included (the mapping names the truce of each).</summary>
    public static IEnumerable<string> TruceTermIds(DutyAnswer answer) =>
        answer.TruceEffects.Concat(answer.Variants.SelectMany(v => v.Answer.TruceEffects)).Select(e => e.TruceTermId).Distinct(StringComparer.Ordinal);

    // The top of a varied answer: what every variant shares, entries as the first variant has them; its total is the sum
    // of the shared layers only, which no line pays on its own, so the mapping leaves the total unset.
    private static DutyAnswer Common(DutyAnswer own, IReadOnlyList<LineVariant<DutyAnswer>> variants)
    {
        var answers = variants.Select(v => v.Answer).ToList();
        var layers = LineVariants.Shared(answers, a => a.Layers, SameLayer);
        return own with
        {
            Layers = layers,
            TotalAdValoremPercent = DutyLookup.Total(layers),
            PricingNotes = LineVariants.Shared(answers, a => a.PricingNotes, (x, y) => x == y),
            Announced = LineVariants.Shared(answers, a => a.Announced, SameLayer),
            TruceEffects = LineVariants.Shared(answers, a => a.TruceEffects, (x, y) => x == y),
            Excluded = LineVariants.Shared(answers, a => a.Excluded, (x, y) => SameLayer(x.Layer, y.Layer) && x.ExcludedByMeasureId == y.ExcludedByMeasureId),
            NonAdValorem = LineVariants.Shared(answers, a => a.NonAdValorem, SameLayer),
            // Shared only when the same exclusion names every line: an exemption of some lines is no exemption of the code.
            Exempted = LineVariants.Shared(answers, a => a.Exempted, (x, y) => SameLayer(x.Layer, y.Layer) && x.ExcludedPrefix == y.ExcludedPrefix),
            Variants = variants,
        };
    }

    private static bool SameLayer(DutyLayer a, DutyLayer b) => a.Measure.Id == b.Measure.Id && a.Period == b.Period;
}
