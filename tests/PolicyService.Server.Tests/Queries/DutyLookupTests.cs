using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

public class DutyLookupTests
{
    private static readonly TariffMeasure List4A = Measure("LIST-4A", Scope("8507600020"),
        Period("2019-09-01", "2020-02-14", PeriodStatus.InForce, 15m),
        Period("2020-02-14", null, PeriodStatus.InForce, 7.5m)) with { ExcludedBy = [new StackingExclusion("REVIEW", "the review rate replaces the list rate")] };

    private static readonly TariffMeasure Review = Measure("REVIEW", Scope("850760"),
        Period("2024-09-13", "2026-01-01", PeriodStatus.Announced, 25m),
        Period("2026-01-01", null, PeriodStatus.InForce, 25m));

    private static readonly TariffMeasure Reciprocal = Measure("RECIPROCAL", AllProducts(),
        Period("2025-04-10", "2025-05-14", PeriodStatus.InForce, 125m),
        Period("2025-05-14", "2026-02-24", PeriodStatus.InForce, 10m, suspended: 24m, suspendedUntil: "2026-11-10", term: "TRU-X"),
        Period("2026-02-24", null, PeriodStatus.Revoked, null)) with { Kind = TariffKind.IeepaReciprocal };

    private static readonly TariffMeasure[] All = [List4A, Review, Reciprocal];

    private static DutyAnswer Lookup(string date, string code = "8507600020", string origin = "CN") =>
        DutyLookup.Resolve(All, "US", origin, code, D(date));

    [Fact]
    public void Layers_of_different_measures_add_up_exactly()
    {
        var answer = Lookup("2025-04-15");
        Assert.Equal(["LIST-4A", "RECIPROCAL"], answer.Layers.Select(l => l.Measure.Id));
        Assert.Equal(132.5m, answer.TotalAdValoremPercent);
        Assert.Equal("132.5", Percent.Format(answer.TotalAdValoremPercent));
    }

    [Fact]
    public void Announced_measures_are_reported_beside_the_answer_not_in_the_total()
    {
        var answer = Lookup("2025-11-15");
        Assert.Equal(["REVIEW"], answer.Announced.Select(l => l.Measure.Id));
        Assert.Equal(17.5m, answer.TotalAdValoremPercent);
    }

    [Fact]
    public void A_stacking_rule_leaves_the_replaced_layer_out_of_the_total()
    {
        var answer = Lookup("2026-01-15");
        Assert.Equal(["RECIPROCAL", "REVIEW"], answer.Layers.Select(l => l.Measure.Id));
        var excluded = Assert.Single(answer.Excluded);
        Assert.Equal("LIST-4A", excluded.Layer.Measure.Id);
        Assert.Equal("REVIEW", excluded.ExcludedByMeasureId);
        Assert.Equal(35m, answer.TotalAdValoremPercent);
    }

    [Fact]
    public void A_stacking_rule_does_nothing_while_the_excluding_measure_is_not_in_force()
    {
        var answer = Lookup("2025-12-31");
        Assert.Contains(answer.Layers, l => l.Measure.Id == "LIST-4A");
        Assert.Empty(answer.Excluded);
    }

    [Fact]
    public void A_truce_term_that_suspends_points_is_named_with_its_end_date()
    {
        var effect = Assert.Single(Lookup("2025-11-15").TruceEffects);
        Assert.Equal("TRU-X", effect.TruceTermId);
        Assert.Equal("RECIPROCAL", effect.MeasureId);
        Assert.Equal(24m, effect.SuspendedPercent);
        Assert.Equal(D("2026-11-10"), effect.Until);
        Assert.Contains("24 points", effect.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoked_periods_add_nothing()
    {
        var answer = Lookup("2026-03-01");
        Assert.DoesNotContain(answer.Layers, l => l.Measure.Id == "RECIPROCAL");
        Assert.Empty(answer.TruceEffects);
    }

    [Fact]
    public void Measures_for_other_origins_or_importers_do_not_apply()
    {
        Assert.Empty(Lookup("2025-11-15", origin: "VN").Layers);
        Assert.Empty(DutyLookup.Resolve(All, "CN", "CN", "8507600020", D("2025-11-15")).Layers);
    }

    [Fact]
    public void Products_outside_every_scope_only_get_all_products_measures()
    {
        var answer = Lookup("2025-11-15", code: "1201901100");
        Assert.Equal(["RECIPROCAL"], answer.Layers.Select(l => l.Measure.Id));
        Assert.Equal("", answer.Layers[0].MatchedPrefix);
    }

    [Fact]
    public void In_force_measures_without_an_ad_valorem_rate_are_listed_apart()
    {
        var fee = Measure("DE-MINIMIS", AllProducts(), Period("2025-05-02", null, PeriodStatus.InForce, null));
        var answer = DutyLookup.Resolve([fee, Reciprocal], "US", "CN", "8507600020", D("2025-06-01"));
        Assert.Equal(["DE-MINIMIS"], answer.NonAdValorem.Select(l => l.Measure.Id));
        Assert.Equal(10m, answer.TotalAdValoremPercent);
    }

    // What each kind of truce term did, in words and figures: the whole measure suspended, points of it, or a rate set.
    [Fact]
    public void Each_kind_of_truce_effect_is_described_with_its_figures_and_end()
    {
        var suspended = Measure("SUSP", AllProducts(), Period("2025-01-01", "2026-01-01", PeriodStatus.Suspended, 25m, term: "TRU-A"));
        var points = Measure("PTS", AllProducts(), Period("2025-01-01", null, PeriodStatus.InForce, 10m, suspended: 24m, suspendedUntil: "2026-11-10", term: "TRU-B"));
        var reduced = Measure("RED", AllProducts(), Period("2025-01-01", null, PeriodStatus.InForce, 10m, suspended: 0m, term: "TRU-C"));
        var open = Measure("OPEN", AllProducts(), Period("2025-01-01", null, PeriodStatus.Suspended, 15m, term: "TRU-D"));
        var untermed = Measure("PLAIN", AllProducts(), Period("2025-01-01", null, PeriodStatus.InForce, 5m, suspended: 5m, suspendedUntil: "2026-01-01"));

        var answer = DutyLookup.Resolve([suspended, points, reduced, open, untermed], "US", "CN", "8507600020", D("2025-06-01"));

        Assert.Equal(
        [
            new TruceEffect("TRU-D", "OPEN", "measure OPEN suspended by term TRU-D", 15m, null),
            new TruceEffect("TRU-B", "PTS", "24 points of measure PTS suspended until 2026-11-10 by term TRU-B; 10% applies", 24m, D("2026-11-10")),
            new TruceEffect("TRU-C", "RED", "measure RED set to 10% by term TRU-C", 0m, null),
            new TruceEffect("TRU-A", "SUSP", "measure SUSP suspended until 2026-01-01 by term TRU-A", 25m, D("2026-01-01")),
        ], answer.TruceEffects);
    }

    [Fact]
    public void An_in_force_measure_without_a_rate_excludes_the_layer_its_rule_names()
    {
        var regime = new DutyLayer(Measure("S232", AllProducts(), Period("2025-03-12", null, PeriodStatus.InForce, null)), Period("2025-03-12", null, PeriodStatus.InForce, null), "");
        var layer = new DutyLayer(List4A, List4A.Periods[1], "8507600020");
        var replaced = new DutyLayer(List4A with { ExcludedBy = [new StackingExclusion("S232", "232 goods pay 232 only")] }, List4A.Periods[1], "8507600020");

        var (layers, excluded) = DutyLookup.Stack([replaced], [regime]);
        Assert.Empty(layers);
        Assert.Equal(("S232", "232 goods pay 232 only"), (Assert.Single(excluded).ExcludedByMeasureId, excluded[0].Reason));

        var (alone, none) = DutyLookup.Stack([layer]);
        Assert.Equal(["LIST-4A"], alone.Select(l => l.Measure.Id));
        Assert.Empty(none);
    }
}

/// <summary>The 2024 review increases over the Section 301 lists, and exemptions kept as scope exclusions.</summary>
public class ListStackingTests
{
    // List 3 at 25% on a line that the review raises to 50% from 2025-01-01 (the semiconductors of TAR-US-07).
    private static readonly TariffMeasure List3 = Measure("LIST-3", Scope("85411000"),
        Period("2018-09-24", "2019-05-10", PeriodStatus.InForce, 10m),
        Period("2019-05-10", null, PeriodStatus.InForce, 25m)) with { ExcludedBy = [new StackingExclusion("REVIEW-50", "the review rate replaces the list rate")] };

    private static readonly TariffMeasure Review50 = Measure("REVIEW-50", Scope("85411000"),
        Period("2024-09-13", "2025-01-01", PeriodStatus.Announced, 50m),
        Period("2025-01-01", null, PeriodStatus.InForce, 50m));

    private static readonly TariffMeasure Reciprocal = Measure("RECIPROCAL", AllProducts("8541100080", "847130"),
        Period("2025-05-14", null, PeriodStatus.InForce, 10m)) with { Kind = TariffKind.IeepaReciprocal };

    private static DutyAnswer Lookup(string code, string date) => DutyLookup.Resolve([List3, Review50, Reciprocal], "US", "CN", code, D(date));

    [Theory]
    [InlineData("2019-05-09", 10)]
    [InlineData("2019-05-10", 25)]
    [InlineData("2024-12-31", 25)]   // the increase is announced, the list rate applies
    [InlineData("2025-01-01", 50)]   // from the increase: 50, not 75
    public void A_review_increase_replaces_the_list_rate_from_its_first_day(string date, int total)
    {
        var answer = Lookup("8541100020", date);
        Assert.Equal(total, answer.TotalAdValoremPercent - answer.Layers.Where(l => l.Measure.Id == "RECIPROCAL").Sum(l => l.Period.AdValoremPercent!.Value));
        Assert.Equal(date == "2025-01-01" ? ["LIST-3"] : [], answer.Excluded.Select(x => x.Layer.Measure.Id));
    }

    [Fact]
    public void An_exempt_line_gets_no_reciprocal_layer_and_the_answer_names_the_exemption()
    {
        var exempt = Lookup("8541100080", "2025-11-15");
        Assert.Equal(["REVIEW-50"], exempt.Layers.Select(l => l.Measure.Id));
        Assert.Equal(50m, exempt.TotalAdValoremPercent);
        var exemption = Assert.Single(exempt.Exempted);
        Assert.Equal(("RECIPROCAL", "8541100080"), (exemption.Layer.Measure.Id, exemption.ExcludedPrefix));
        Assert.Contains("all goods", exemption.Reason, StringComparison.Ordinal);

        var charged = Lookup("8541100020", "2025-11-15");   // the same 8-digit line, another statistical suffix
        Assert.Equal(60m, charged.TotalAdValoremPercent);
        Assert.Empty(charged.Exempted);
    }

    [Fact]
    public void An_exemption_from_a_measure_not_in_force_on_the_date_is_not_reported()
    {
        Assert.Empty(Lookup("8471300100", "2025-05-13").Exempted);
        Assert.Equal("RECIPROCAL", Assert.Single(Lookup("8471300100", "2025-05-14").Exempted).Layer.Measure.Id);
    }

}
