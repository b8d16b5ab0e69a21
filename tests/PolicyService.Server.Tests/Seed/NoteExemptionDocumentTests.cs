using System.Globalization;
using PolicyService.Server.Seed;
using TradePolicy.V1;

namespace PolicyService.Server.Tests.Seed;

/// <summary>
/// The exemptions rebuilt from the U.S. notes (us-exemptions-from-notes.changes.json) against the two note files of
/// shared/reference/us-product-lists, row by row: a document regenerated wrongly (a row lost, a date shifted, the
/// inclusive end not turned into a half-open one, an old undated list left in) fails here.
/// </summary>
public class NoteExemptionDocumentTests
{
    private static readonly ImportChangesRequest Document = SeedUpdates.Load("us-exemptions-from-notes.changes.json");

    private static TariffMeasure Measure(string id) => Document.Changes.Select(c => c.UpdateTariffMeasure).Single(m => m?.Id == id)!;

    [Fact]
    public void The_document_follows_the_coverage_model_and_names_the_notes_as_its_source()
    {
        var names = SeedUpdates.ResourceNames.ToList();
        Assert.Equal(names.IndexOf("coverage.changes.json") + 1, names.IndexOf("us-exemptions-from-notes.changes.json"));
        Assert.Equal("seed:us-exemptions-from-notes", Document.RequestId);
        Assert.Equal(["TAR-US-17", "TAR-US-24"], Document.Changes.Select(c => c.UpdateTariffMeasure.Id));

        var source = Assert.Single(Document.Sources);
        Assert.Equal("N01", source.Id);
        Assert.Contains("2026 Revision 6", source.Title, StringComparison.Ordinal);
        Assert.Contains("2(v)(iii)(a)", source.Title, StringComparison.Ordinal);
        Assert.Contains("2(aa)", source.Title, StringComparison.Ordinal);
        Assert.Contains("https://www.whitehouse.gov/wp-content/uploads/2025/11/annex.pdf", source.Urls);
        foreach (var id in new[] { "TAR-US-17", "TAR-US-24" })
        {
            var m = Measure(id);
            Assert.Contains(m.Sources, s => s.Id == "N01");
            Assert.DoesNotContain(m.Sources, s => s.Id == "L01");   // the superseded compilation backs nothing here any more
            Assert.Empty(m.ProductScope.ExcludedHsPrefixes);          // no undated exemption is left
            Assert.Contains("REPORTED", m.ProductScope.MappingNote, StringComparison.Ordinal);
            Assert.Contains("civil-aircraft", m.ProductScope.MappingNote, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_reciprocal_row_is_one_dated_exclusion_with_its_dates_and_basis()
    {
        var rows = ProductListDocumentTests.Csv("reciprocal-exempt-from-note.csv").ToList();
        Assert.Equal(1115, rows.Count);
        var expected = rows.Select(r => (Prefix: r[0], Start: r[1], End: DayAfter(r[2]), Basis: r[3])).OrderBy(r => r.Prefix, StringComparer.Ordinal).ThenBy(r => r.Start, StringComparer.Ordinal).ToList();
        var actual = Measure("TAR-US-17").ProductScope.DatedExclusions
            .Select(x => (Prefix: x.HsPrefix, Start: Iso(x.StartDate), End: Iso(x.EndDate), Basis: x.Basis.Split(' ')[0])).ToList();
        Assert.Equal(expected, actual);
        // The basis carries the line of the legal text the entry was read from.
        Assert.All(Measure("TAR-US-17").ProductScope.DatedExclusions, x => Assert.Matches(@"^\S+ (rev6 L\d+(-\d+)?|\(removed by EO 14346 from 2025-09-08\))$", x.Basis));
    }

    [Fact]
    public void Every_section_122_row_is_one_exclusion_for_the_whole_term()
    {
        var rows = ProductListDocumentTests.Csv("section122-exempt-from-note.csv").ToList();
        Assert.Equal(1123, rows.Count);
        var expected = rows.Select(r => (Prefix: r[0], Basis: r[1])).OrderBy(r => r.Prefix, StringComparer.Ordinal).ToList();
        var exclusions = Measure("TAR-US-24").ProductScope.DatedExclusions;
        Assert.Equal(expected, exclusions.Select(x => (Prefix: x.HsPrefix, Basis: x.Basis.Split(' ')[0])));
        Assert.All(exclusions, x => Assert.True(x.StartDate is null && x.EndDate is null, $"{x.HsPrefix} is dated"));
        // The three codes the 2026 update named are held through the note's own lines.
        Assert.Contains("28053000", exclusions.Select(x => x.HsPrefix));
        Assert.Contains("8505110070", exclusions.Select(x => x.HsPrefix));
        Assert.Equal(["28461000", "28469020", "28469040", "28469080"], exclusions.Select(x => x.HsPrefix).Where(p => p.StartsWith("2846", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_examples_of_the_reference_are_dated_as_it_says()
    {
        var reciprocal = Measure("TAR-US-17").ProductScope.DatedExclusions;
        ScopeExclusion Only(string prefix) => Assert.Single(reciprocal, x => x.HsPrefix == prefix);
        Assert.Equal(("2025-11-13", "2026-02-24"), (Iso(Only("02023050").StartDate), Iso(Only("02023050").EndDate)));   // beef, ag-2025-11
        Assert.Equal(("2025-04-05", "2025-09-08"), (Iso(Only("39076100").StartDate), Iso(Only("39076100").EndDate)));   // taken out by EO 14346
        Assert.Equal("2025-04-05", Iso(Only("8471").StartDate));
        Assert.Equal("2025-04-05", Iso(Only("85411000").StartDate));
        Assert.DoesNotContain(reciprocal, x => "8507600020".StartsWith(x.HsPrefix, StringComparison.Ordinal));   // Li-ion batteries
        Assert.DoesNotContain(reciprocal, x => "8418100020".StartsWith(x.HsPrefix, StringComparison.Ordinal));   // civil-aircraft lists only
    }

    private static string DayAfter(string iso) =>
        DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Iso(Google.Type.Date? d) => d is null ? "" : $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";
}
