using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>
/// An export check for a code that may be less specific than the controls' scopes: as <see cref="DutyVariants"/>, the
/// lines under the code that answer differently are listed (<see cref="ExportAnswer.Variants"/>). The top of a varied
/// answer keeps the controls every variant shares, and says a licence is required (or the export prohibited) when it
/// is for some line, so that no caller reads "no licence" for a code with lines that need one.
/// </summary>
public static class ExportVariants
{
    public static ExportAnswer Resolve(IReadOnlyList<ExportControl> candidates, string exporter, string destination, ExportItem item, DateOnly asOf)
    {
        var own = ExportCheck.Resolve(candidates, exporter, destination, item, asOf);
        if (item.HsCode is not { } code || !HsDescendants.CanHaveAny(code)) return own;

        var under = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var control in candidates)
        {
            if (ExportCheck.Applies(control, exporter, destination)) HsDescendants.AddUnder(control.Scope, code, under);
        }
        if (under.Count == 0) return own;
        var variants = LineVariants.Group(own, under,
            prefix => ExportCheck.Resolve(candidates, exporter, destination, new ExportItem(prefix, null), asOf), Alike);
        if (variants.Count == 0) return own;

        var answers = variants.Select(v => v.Answer).ToList();
        return own with
        {
            LicenseRequired = answers.Any(a => a.LicenseRequired),
            Prohibited = answers.Any(a => a.Prohibited),
            InForce = LineVariants.Shared(answers, a => a.InForce, SameMatch),
            Suspended = LineVariants.Shared(answers, a => a.Suspended, SameMatch),
            Announced = LineVariants.Shared(answers, a => a.Announced, SameMatch),
            Variants = variants,
        };
    }

    /// <summary>Two answers of lines under one code are alike when the outcome and every matched control's period are; the prefix that matched does not count.</summary>
    public static bool Alike(ExportAnswer a, ExportAnswer b) =>
        a.LicenseRequired == b.LicenseRequired && a.Prohibited == b.Prohibited &&
        SameMatches(a.InForce, b.InForce) && SameMatches(a.Suspended, b.Suspended) && SameMatches(a.Announced, b.Announced);

    /// <summary>What a timeline compares from one date to the next: the answer and, when it varies below the code, every variant.</summary>
    public static bool SameAnswer(ExportAnswer a, ExportAnswer b) =>
        ExportTimeline.SameAnswer(a, b) && LineVariants.SameVariants(a.Variants, b.Variants, Alike);

    private static bool SameMatches(IReadOnlyList<ControlMatch> a, IReadOnlyList<ControlMatch> b) =>
        a.Count == b.Count && a.Zip(b).All(p => SameMatch(p.First, p.Second));

    private static bool SameMatch(ControlMatch a, ControlMatch b) => a.Control.Id == b.Control.Id && a.Period == b.Period;
}
