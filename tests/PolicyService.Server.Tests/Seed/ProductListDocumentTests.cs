using PolicyService.Server.Seed;
using TradePolicy.V1;

namespace PolicyService.Server.Tests.Seed;

/// <summary>
/// The product lists (shared/reference/us-product-lists) as the change document the server applies after the 2026
/// update: every list line is in the scope of the measure the lists' README names, every exemption is an exclusion.
/// </summary>
public class ProductListDocumentTests
{
    private static readonly ImportChangesRequest Lists = SeedUpdates.Load("us-product-lists.changes.json");

    private static TariffMeasure Measure(string id) =>
        Lists.Changes.Select(c => c.UpdateTariffMeasure ?? c.CreateTariffMeasure).Single(m => m?.Id == id)!;

    [Fact]
    public void The_document_follows_the_2026_update_and_names_its_source_as_reported()
    {
        // The exemptions from the U.S. notes follow and replace this document's exemption lists (NoteExemptionDocumentTests).
        Assert.Equal(["us-china-2026-update.changes.json", "us-product-lists.changes.json", "us-china-2025-audit.changes.json", "coverage.changes.json"],
            SeedUpdates.ResourceNames.Take(4));
        Assert.Equal("seed:us-product-lists", Lists.RequestId);
        var source = Assert.Single(Lists.Sources);
        Assert.Equal("L01", source.Id);
        Assert.Contains("tariff-rate-tracker", source.Title, StringComparison.Ordinal);
        foreach (var id in new[] { "TAR-US-01", "TAR-US-02", "TAR-US-03", "TAR-US-04", "TAR-US-07", "TAR-US-17", "TAR-US-24" })
        {
            var m = Measure(id);
            Assert.Contains(m.Sources, s => s.Id == "L01");
            Assert.Contains("REPORTED", m.ProductScope.MappingNote, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void List_4B_is_kept_but_never_in_force()
    {
        var list4B = Measure("TAR-US-04.2");
        Assert.True(list4B.ProductScope.HsPrefixes.Count > 1000);
        Assert.All(list4B.Periods, p => Assert.Equal(PeriodStatus.Suspended, p.Status));
    }

    [Fact]
    public void Every_list_line_of_an_in_force_list_is_in_its_measures_scope()
    {
        var rows = Csv("section301-product-lists.csv").Select(r => (Line: r[0], List: r[1])).ToList();
        foreach (var (list, id) in new[] { ("1", "TAR-US-01"), ("2", "TAR-US-02"), ("3", "TAR-US-03"), ("3_addl", "TAR-US-03"), ("4A", "TAR-US-04"), ("4B", "TAR-US-04.2") })
        {
            var expected = rows.Where(r => r.List == list).Select(r => r.Line).ToHashSet();
            Assert.True(expected.Count > 10, $"list {list}: only {expected.Count} lines");
            Assert.Empty(expected.Except(Measure(id).ProductScope.HsPrefixes));
        }
        // The review lists: every line is in one of TAR-US-05..11 (a few parts keep narrower 10-digit codes, see KEEP_NARROW).
        var review = Lists.Changes.Select(c => c.UpdateTariffMeasure).OfType<TariffMeasure>()
            .Where(m => string.CompareOrdinal(m.Id, "TAR-US-05") >= 0 && string.CompareOrdinal(m.Id, "TAR-US-12") < 0)
            .SelectMany(m => m.ProductScope.HsPrefixes).ToList();
        var reviewLines = rows.Where(r => r.List.StartsWith("biden", StringComparison.Ordinal)).Select(r => r.Line).ToHashSet();
        Assert.DoesNotContain(reviewLines, l => !review.Any(p => p.StartsWith(l, StringComparison.Ordinal) || l.StartsWith(p, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_exemption_lists_are_the_exclusions_of_the_reciprocal_and_section_122_scopes()
    {
        var reciprocal = Csv("ieepa-reciprocal-exempt-products.csv").Select(r => r[0]).Where(c => c.Length == 10).ToHashSet();
        Assert.True(reciprocal.Count > 4000);
        Assert.Equal(reciprocal.Order(StringComparer.Ordinal), Measure("TAR-US-17").ProductScope.ExcludedHsPrefixes);

        var surcharge = Csv("section122-exempt-products.csv").Select(r => r[0]).ToHashSet();
        Assert.True(surcharge.Count > 1600);
        var excluded = Measure("TAR-US-24").ProductScope.ExcludedHsPrefixes;
        Assert.Empty(surcharge.Except(excluded));
        Assert.Contains("2846", excluded);   // the 2026 update's own exemptions stay
    }

    [Fact]
    public void The_document_stays_small_enough_to_ship()
    {
        var size = typeof(SeedUpdates).Assembly.GetManifestResourceNames().Where(n => n.EndsWith(".changes.json", StringComparison.Ordinal))
            .Sum(n => typeof(SeedUpdates).Assembly.GetManifestResourceStream(n)!.Length);
        // A whole-record update resends a measure's scope: the Section 232 document's stacking rules on TAR-US-17 and
        // TAR-US-24 carry their 2,200 note exemptions again, so the documents total about 1.2 MB.
        Assert.InRange(size, 100_000, 1_500_000);
        Assert.InRange(Lists.Changes.Sum(c => (c.UpdateTariffMeasure ?? c.CreateTariffMeasure)?.ProductScope.HsPrefixes.Count ?? 0), 12_000, 13_000);
    }

    /// <summary>The rows of a list file (header skipped, quotes stripped); skips the test when shared/reference is not beside the clone.</summary>
    internal static IEnumerable<string[]> Csv(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "us-product-lists", name);
            if (File.Exists(candidate))
                return File.ReadAllLines(candidate).Skip(1).Where(l => l.Length > 0).Select(l => l.Replace("\"", "", StringComparison.Ordinal).Split(',')).ToList();
        }
        Assert.Skip($"shared/reference/us-product-lists/{name} was not found above {AppContext.BaseDirectory}: the list comparison needs ../shared beside the repository.");
        return [];
    }
}
