using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

/// <summary>
/// Rates on a part of the value and conditional rates: the total counts only layers on the full value without
/// conditions, the others are listed with a pricing note, and NON_METAL_PART_ONLY leaves a duty the non-metal part.
/// </summary>
public class RateBasisStackingTests
{
    private static readonly TariffMeasure SteelContent = Measure("STEEL-CONTENT", Scope("8431"),
        Period("2025-08-18", "2026-04-06", PeriodStatus.InForce, 50m) with { RateBasis = RateBasis.MetalContent });

    private static readonly TariffMeasure SteelArticle = Measure("STEEL-ARTICLE", Scope("7208"),
        Period("2018-03-23", null, PeriodStatus.InForce, 25m));

    private static readonly TariffMeasure Annex = Measure("ANNEX-IB", Scope("8431"),
        Period("2026-04-06", null, PeriodStatus.InForce, 25m) with { Conditions = ["steel at least 15% of the article's weight"] });

    private static readonly TariffMeasure Reciprocal = Measure("RECIPROCAL", AllProducts(),
        Period("2025-04-05", null, PeriodStatus.InForce, 10m)) with
    {
        ExcludedBy =
        [
            new StackingExclusion("STEEL-CONTENT", "non-232 part only", StackingEffect.NonMetalPartOnly),
            new StackingExclusion("STEEL-ARTICLE", "non-232 part only", StackingEffect.NonMetalPartOnly),
            new StackingExclusion("ANNEX-IB", "not on 232 goods"),
        ],
    };

    private static readonly TariffMeasure Section301 = Measure("S301", AllProducts(), Period("2018-07-06", null, PeriodStatus.InForce, 25m));

    private static DutyAnswer Lookup(string code, string date) =>
        DutyLookup.Resolve([SteelContent, SteelArticle, Annex, Reciprocal, Section301], "US", "CN", code, D(date));

    [Fact]
    public void A_metal_content_duty_leaves_the_other_duty_only_the_non_metal_part_and_neither_is_in_the_total()
    {
        var answer = Lookup("8431200000", "2025-09-01");

        var steel = answer.Layers.Single(l => l.Measure.Id == "STEEL-CONTENT");
        Assert.Equal((RateBasis.MetalContent, false), (steel.Basis, steel.InTotal));
        var reciprocal = answer.Layers.Single(l => l.Measure.Id == "RECIPROCAL");
        Assert.Equal((RateBasis.NonMetalContent, false, "STEEL-CONTENT"), (reciprocal.Basis, reciprocal.InTotal, reciprocal.MetalContentMeasureId));
        Assert.Empty(answer.Excluded);
        Assert.Equal(25m, answer.TotalAdValoremPercent);   // Section 301 alone is on the full value
        Assert.Equal(2, answer.PricingNotes.Count);
        Assert.Contains(answer.PricingNotes, n => n.StartsWith("STEEL-CONTENT (50%) is charged on the value of the metal content only", StringComparison.Ordinal));
        Assert.Contains(answer.PricingNotes, n => n.Contains("RECIPROCAL (10%) is charged only on the value other than the metal content (the metal content pays STEEL-CONTENT)", StringComparison.Ordinal));
    }

    [Fact]
    public void Against_a_full_value_duty_the_non_metal_part_rule_leaves_nothing_and_excludes()
    {
        var answer = Lookup("7208510030", "2025-09-01");

        Assert.Equal(["S301", "STEEL-ARTICLE"], answer.Layers.Select(l => l.Measure.Id).Order(StringComparer.Ordinal));
        Assert.Equal(("RECIPROCAL", "STEEL-ARTICLE"), (Assert.Single(answer.Excluded).Layer.Measure.Id, answer.Excluded[0].ExcludedByMeasureId));
        Assert.Equal(50m, answer.TotalAdValoremPercent);
        Assert.Empty(answer.PricingNotes);
    }

    [Fact]
    public void A_conditional_duty_is_out_of_the_total_and_what_it_excludes_applies_only_where_it_does_not()
    {
        var answer = Lookup("8431200000", "2026-05-01");

        var annex = answer.Layers.Single(l => l.Measure.Id == "ANNEX-IB");
        Assert.Equal((RateBasis.FullValue, false), (annex.Basis, annex.InTotal));
        var reciprocal = answer.Layers.Single(l => l.Measure.Id == "RECIPROCAL");
        Assert.False(reciprocal.InTotal);
        Assert.Equal(["only where ANNEX-IB does not apply (steel at least 15% of the article's weight)"], reciprocal.Conditions);
        Assert.Empty(answer.Excluded);
        Assert.Equal(25m, answer.TotalAdValoremPercent);
        Assert.Contains(answer.PricingNotes, n => n == "ANNEX-IB (25%) is charged on the whole customs value, and only if: steel at least 15% of the article's weight. It is not in the total.");
    }

    [Fact]
    public void Without_a_232_layer_the_total_is_the_plain_sum()
    {
        var answer = Lookup("9999999999", "2025-09-01");
        Assert.Equal(35m, answer.TotalAdValoremPercent);
        Assert.All(answer.Layers, l => Assert.True(l.InTotal));
        Assert.Empty(answer.PricingNotes);
    }

    [Fact]
    public void An_unspecified_effect_excludes_as_before()
    {
        var plain = new StackingExclusion("X", "reason");
        Assert.Equal(StackingEffect.Exclude, plain.Effect);
        var period = Period("2025-01-01", null, PeriodStatus.InForce, 10m);
        Assert.Equal((RateBasis.FullValue, 0, true), (period.RateBasis, period.Conditions.Count, period.OnFullValueUnconditionally));
    }

    [Fact]
    public void An_announced_layer_is_never_in_the_total_and_a_timeline_splits_where_the_basis_changes()
    {
        var announced = new DutyLayer(SteelArticle, Period("2026-01-01", null, PeriodStatus.Announced, 50m), "7208");
        Assert.False(announced.InTotal);

        var timeline = DutyTimeline.Resolve([SteelContent, Annex, Reciprocal], "US", "CN", "8431200000", D("2025-08-01"), D("2026-05-01"));
        Assert.Equal([D("2025-08-01"), D("2025-08-18"), D("2026-04-06")], timeline.Segments.Select(s => s.Start));
        Assert.Equal(RateBasis.NonMetalContent, timeline.Segments[1].Answer.Layers.Single(l => l.Measure.Id == "RECIPROCAL").Basis);
        Assert.Equal(10m, timeline.Segments[0].Answer.TotalAdValoremPercent);
        Assert.Equal(0m, timeline.Segments[1].Answer.TotalAdValoremPercent);
    }

    [Fact]
    public void A_basis_without_a_rate_or_an_empty_condition_is_refused_naming_the_field()
    {
        var bad = Measure("BAD", Scope("8431"),
            Period("2025-01-01", null, PeriodStatus.InForce, null) with { RateBasis = RateBasis.MetalContent, Conditions = [" "] }) with { SourceIds = ["S1"] };
        var known = new KnownIds(new HashSet<string> { "S1" }, new HashSet<string>(), new HashSet<string>());

        var errors = DatasetValidator.Check(bad, "m", known).Select(e => e.Field).ToList();
        Assert.Equal(["m.periods[0].rateBasis", "m.periods[0].conditions[0]"], errors);
        Assert.Empty(DatasetValidator.Check(SteelContent with { SourceIds = ["S1"] }, "m", known));
    }
}
