using PolicyService.Server.Domain;
using PolicyService.Server.Queries;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Queries;

/// <summary>
/// A code less specific than the data: the lines under it that answer differently are listed as variants, alike ones
/// grouped, and the answer keeps at its top only what every line shares. Modelled on Li-ion batteries (8507.60.00),
/// whose 10-digit lines carry different Section 301 rates.
/// </summary>
public class DutyVariantsTests
{
    private static readonly TariffMeasure List4A = Measure("LIST-4A", Scope("8507600010", "8507600020"),
        Period("2019-09-01", null, PeriodStatus.InForce, 7.5m)) with
    {
        ExcludedBy = [new StackingExclusion("REVIEW-EV", "the review rate replaces the list rate"), new StackingExclusion("REVIEW-OTHER", "the review rate replaces the list rate")],
    };

    private static readonly TariffMeasure ReviewEv = Measure("REVIEW-EV", Scope("8507600010"),
        Period("2024-09-27", null, PeriodStatus.InForce, 25m));

    private static readonly TariffMeasure ReviewOther = Measure("REVIEW-OTHER", Scope("8507600020"),
        Period("2024-09-13", "2026-01-01", PeriodStatus.Announced, 25m),
        Period("2026-01-01", null, PeriodStatus.InForce, 25m));

    private static readonly TariffMeasure Fentanyl = Measure("FENTANYL", AllProducts(),
        Period("2025-03-04", null, PeriodStatus.InForce, 10m)) with { Kind = TariffKind.IeepaFentanyl };

    private static TariffMeasure Reciprocal(params string[] exempt) => Measure("RECIPROCAL", AllProducts(exempt),
        Period("2025-05-14", null, PeriodStatus.InForce, 10m)) with { Kind = TariffKind.IeepaReciprocal };

    private static DutyAnswer Lookup(string code, string date, params TariffMeasure[] measures) =>
        DutyVariants.Resolve(measures.Length > 0 ? measures : [List4A, ReviewEv, ReviewOther, Fentanyl, Reciprocal("8507600090")], "US", "CN", code, D(date));

    private static string[] Ids(IEnumerable<DutyLayer> layers) => [.. layers.Select(l => l.Measure.Id)];

    [Fact]
    public void Lines_that_answer_differently_are_each_a_variant_and_the_top_keeps_only_what_they_share()
    {
        var answer = Lookup("85076000", "2025-11-15");

        Assert.Equal([["8507600010"], ["8507600020"], ["8507600090"], []], answer.Variants.Select(v => v.HsPrefixes.ToArray()));
        Assert.Equal([false, false, false, true], answer.Variants.Select(v => v.OtherLines));
        Assert.Equal([45m, 27.5m, 10m, 20m], answer.Variants.Select(v => v.Answer.TotalAdValoremPercent));

        var ev = answer.Variants[0].Answer;
        Assert.Equal(["FENTANYL", "RECIPROCAL", "REVIEW-EV"], Ids(ev.Layers));
        Assert.Equal("LIST-4A", Assert.Single(ev.Excluded).Layer.Measure.Id);
        Assert.Equal(["REVIEW-OTHER"], Ids(answer.Variants[1].Answer.Announced));
        Assert.Equal(("RECIPROCAL", "8507600090"), (answer.Variants[2].Answer.Exempted.Single().Layer.Measure.Id, answer.Variants[2].Answer.Exempted.Single().ExcludedPrefix));
        Assert.Equal(["FENTANYL", "RECIPROCAL"], Ids(answer.Variants[3].Answer.Layers));

        // Only the fentanyl duty is paid by every line; nothing else is claimed for the code as a whole.
        Assert.Equal(["FENTANYL"], Ids(answer.Layers));
        Assert.Empty(answer.Excluded);
        Assert.Empty(answer.Announced);
        Assert.Empty(answer.Exempted);
    }

    [Fact]
    public void Prefixes_that_answer_alike_share_one_variant_whatever_exclusion_names_them()
    {
        var answer = Lookup("85076000", "2025-11-15", List4A, ReviewEv, ReviewOther, Fentanyl, Reciprocal("8507600030", "8507600090"));

        var exempt = Assert.Single(answer.Variants, v => v.HsPrefixes.Contains("8507600030"));
        Assert.Equal(["8507600030", "8507600090"], exempt.HsPrefixes);
        Assert.Equal(10m, exempt.Answer.TotalAdValoremPercent);
        Assert.Equal(4, answer.Variants.Count);
    }

    [Fact]
    public void Lines_that_pay_the_same_total_under_different_measures_stay_apart()
    {
        var answer = Lookup("85076000", "2026-01-15");   // both reviews in force: 25 + 10 + 10 on either battery line

        Assert.Equal([["8507600010"], ["8507600020"], ["8507600090"], []], answer.Variants.Select(v => v.HsPrefixes.ToArray()));
        Assert.Equal([45m, 45m], answer.Variants.Take(2).Select(v => v.Answer.TotalAdValoremPercent));
        Assert.Equal(["FENTANYL", "RECIPROCAL", "REVIEW-OTHER"], Ids(answer.Variants[1].Answer.Layers));
    }

    [Fact]
    public void A_prefix_that_answers_like_the_other_lines_is_named_with_them()
    {
        var later = Measure("LATER", Scope("8507600050"), Period("2029-01-01", null, PeriodStatus.InForce, 50m));
        var answer = Lookup("85076000", "2025-11-15", List4A, Fentanyl, later);

        var other = answer.Variants[^1];
        Assert.True(other.OtherLines);
        Assert.Equal(["8507600050"], other.HsPrefixes);
        Assert.Equal(10m, other.Answer.TotalAdValoremPercent);
        Assert.Equal([["8507600010", "8507600020"]], answer.Variants.Where(v => !v.OtherLines).Select(v => v.HsPrefixes.ToArray()));
    }

    [Fact]
    public void When_every_line_answers_alike_the_answer_is_the_codes_own_with_one_total()
    {
        // Before the reciprocal duty: its exemption of 8507.60.00.90 changes nothing yet, and no list names these lines.
        var measures = new[] { Fentanyl, Reciprocal("8507600090") };
        var answer = Lookup("85076000", "2025-04-01", measures);

        Assert.Empty(answer.Variants);
        Assert.Equal(10m, answer.TotalAdValoremPercent);
        Assert.Equal(DutyLookup.Resolve(measures, "US", "CN", "85076000", D("2025-04-01")).Layers, answer.Layers);
    }

    [Fact]
    public void An_exemption_of_every_line_by_one_exclusion_stays_at_the_top()
    {
        var answer = Lookup("85076000", "2025-11-15", List4A, Fentanyl, Reciprocal("850760"));

        Assert.Equal([["8507600010", "8507600020"], []], answer.Variants.Select(v => v.HsPrefixes.ToArray()));
        Assert.Equal(("RECIPROCAL", "850760"), (answer.Exempted.Single().Layer.Measure.Id, answer.Exempted.Single().ExcludedPrefix));
        Assert.Equal(["FENTANYL"], Ids(answer.Layers));
    }

    [Fact]
    public void A_ten_digit_code_has_no_variants_and_answers_exactly_as_the_lookup()
    {
        var measures = new[] { List4A, ReviewEv, ReviewOther, Fentanyl, Reciprocal("8507600090") };
        var answer = Lookup("8507600020", "2025-11-15", measures);
        var plain = DutyLookup.Resolve(measures, "US", "CN", "8507600020", D("2025-11-15"));

        Assert.Empty(answer.Variants);
        Assert.Equal(27.5m, answer.TotalAdValoremPercent);
        Assert.Equal(plain.Layers, answer.Layers);
        Assert.Equal(plain.Announced, answer.Announced);
    }

    [Fact]
    public void A_six_digit_code_groups_lines_of_every_length_under_it()
    {
        var eightDigit = Measure("EIGHT", Scope("85076000"), Period("2019-01-01", null, PeriodStatus.InForce, 5m));
        var answer = Lookup("850760", "2025-11-15", List4A, Fentanyl, eightDigit);

        // In the order of their first prefix: the 8-digit line (without its two named lines), then those two, then the rest.
        Assert.Equal([["85076000"], ["8507600010", "8507600020"], []], answer.Variants.Select(v => v.HsPrefixes.ToArray()));
        Assert.Equal([15m, 22.5m, 10m], answer.Variants.Select(v => v.Answer.TotalAdValoremPercent));
    }

    [Fact]
    public void The_timeline_of_a_less_specific_code_ends_a_segment_where_a_variant_changes()
    {
        var measures = new[] { List4A, ReviewEv, ReviewOther, Fentanyl, Reciprocal("8507600090") };
        var timeline = DutyTimeline.Resolve(measures, "US", "CN", "85076000", D("2025-11-01"), D("2026-02-01"));

        var segment = Assert.Single(timeline.Segments, s => s.Start == D("2026-01-01"));
        Assert.Equal(D("2025-11-01"), timeline.Segments[0].Start);
        Assert.Equal(2, timeline.Segments.Count);
        Assert.Equal([27.5m, 45m], timeline.Segments.Select(s => s.Answer.Variants[1].Answer.TotalAdValoremPercent));
        Assert.All(timeline.Segments, s => Assert.Equal(["8507600020"], s.Answer.Variants[1].HsPrefixes));
        Assert.Contains(segment.Changes, c => c.Record.Id == "REVIEW-OTHER");
        // Every segment's answer is the variant lookup of each of its dates.
        foreach (var s in timeline.Segments)
        {
            for (var day = s.Start; day < s.End; day = day.AddDays(9))
            {
                Assert.True(DutyVariants.SameAnswer(DutyVariants.Resolve(measures, "US", "CN", "85076000", day), s.Answer), $"{day}");
            }
        }
    }
}

/// <summary>Export checks of a code less specific than a control's scope.</summary>
public class ExportVariantsTests
{
    private static readonly ExportControl Licence = Control("LICENCE", ExportControlType.LicenseRequired, Scope("8112929010"), [],
        ControlPeriod("2023-08-01", null, PeriodStatus.InForce));

    private static readonly ExportControl Ban = Control("BAN", ExportControlType.Prohibited, Scope("8112929010", "8112929020"), [],
        ControlPeriod("2024-12-03", "2025-11-09", PeriodStatus.InForce),
        ControlPeriod("2025-11-09", null, PeriodStatus.Suspended, suspendedUntil: "2026-11-27", term: "TRU-9"));

    private static ExportAnswer Check(string code, string date) => ExportVariants.Resolve([Licence, Ban], "CN", "US", new ExportItem(code, null), D(date));

    [Fact]
    public void A_code_with_controlled_and_free_lines_says_a_licence_is_needed_for_some_and_lists_which()
    {
        var answer = Check("811292", "2025-06-01");

        Assert.Equal([["8112929010"], ["8112929020"], []], answer.Variants.Select(v => v.HsPrefixes.ToArray()));
        Assert.Equal([true, true, false], answer.Variants.Select(v => v.Answer.LicenseRequired));
        Assert.Equal([true, true, false], answer.Variants.Select(v => v.Answer.Prohibited));
        Assert.True(answer.LicenseRequired);
        Assert.True(answer.Prohibited);
        Assert.Empty(answer.InForce);   // no control covers every line
    }

    [Fact]
    public void Lines_under_the_same_controls_share_a_variant_and_a_named_item_has_none()
    {
        var answer = Check("81129290", "2025-12-01");   // the ban is suspended: gallium needs a licence, 9020 is free

        Assert.Equal([["8112929010"], ["8112929020"], []], answer.Variants.Select(v => v.HsPrefixes.ToArray()));
        Assert.Equal(["BAN"], answer.Variants[1].Answer.Suspended.Select(m => m.Control.Id));
        Assert.False(answer.Prohibited);
        Assert.Empty(ExportVariants.Resolve([Licence, Ban], "CN", "US", new ExportItem(null, "gallium"), D("2025-06-01")).Variants);
        Assert.Empty(Check("8112929010", "2025-06-01").Variants);
    }

    [Fact]
    public void The_export_timeline_of_a_less_specific_code_carries_the_variants()
    {
        var timeline = ExportTimeline.Resolve([Licence, Ban], "CN", "US", new ExportItem("811292", null), D("2025-01-01"), D("2026-01-01"));

        Assert.Equal([D("2025-01-01"), D("2025-11-09")], timeline.Segments.Select(s => s.Start));
        Assert.All(timeline.Segments, s => Assert.Equal(3, s.Answer.Variants.Count));
        Assert.True(timeline.Segments[0].Answer.Prohibited);
        Assert.False(timeline.Segments[1].Answer.Prohibited);
    }
}

/// <summary>The prefixes of a scope under a code, found the same way for small scopes (a scan) and large ones (a sorted index).</summary>
public class HsDescendantsTests
{
    [Fact]
    public void Small_and_large_scopes_give_the_prefixes_longer_than_the_code_that_start_with_it()
    {
        var random = new Random(8507);
        for (var round = 0; round < 40; round++)
        {
            var prefixes = Enumerable.Range(0, random.Next(1, 120)).Select(_ => $"85{random.Next(0, 100_000_000):D8}"[..(2 * random.Next(1, 6))]).Distinct().ToList();
            var exclusions = Enumerable.Range(0, random.Next(0, 40)).Select(_ => $"85{random.Next(0, 100_000_000):D8}"[..(2 * random.Next(2, 6))]).Distinct().ToList();
            var scope = new ProductScope(false, prefixes, exclusions, "random");
            foreach (var code in prefixes.Concat(exclusions).Where(p => p.Length >= 6).Select(p => p[..6]).Concat(["850760", "8507600", "99"]).Distinct())
            {
                var expected = prefixes.Concat(exclusions).Where(p => p.Length > code.Length && p.StartsWith(code, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal);
                var found = new SortedSet<string>(StringComparer.Ordinal);
                HsDescendants.AddUnder(scope, code, found);
                Assert.Equal(expected, found);
                Assert.Equal(found.Count > 0, HsDescendants.AnyUnder(scope, code));
            }
        }
    }

    [Fact]
    public void A_ten_digit_code_has_nothing_under_it_and_the_last_prefix_under_a_code_is_padded_with_nines()
    {
        Assert.False(HsDescendants.AnyUnder(new ProductScope(false, ["8507600020"], [], ""), "8507600020"));
        Assert.Equal("8507609999", HsDescendants.LastUnder("850760"));
        Assert.Equal("8507600020", HsDescendants.LastUnder("8507600020"));
    }
}
