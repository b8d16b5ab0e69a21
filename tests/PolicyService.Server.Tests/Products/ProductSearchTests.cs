using PolicyService.Server.Products;

namespace PolicyService.Server.Tests.Products;

public class ProductSearchTests
{
    private static readonly ProductCatalog Catalog = ProductCatalog.LoadEmbedded();

    private static List<string> Codes(string query, int take = 10) => [.. Catalog.Index.Search(query, take).Select(e => e.Code)];

    [Fact]
    public void The_nomenclature_is_loaded_without_the_pseudo_codes()
    {
        Assert.Equal(96, Catalog.Entries.Count(e => e.Level == 2));
        Assert.Equal(1228, Catalog.Entries.Count(e => e.Level == 4));
        Assert.Equal(5612, Catalog.Entries.Count(e => e.Level == 6));
        Assert.Null(Catalog.Find("TOTAL"));
        Assert.Null(Catalog.Find("99"));
        Assert.Equal("Horses, asses, mules and hinnies; live", Catalog.Find("0101")!.Description);   // a quoted field with commas
    }

    [Fact]
    public void Lithium_ion_batteries_find_the_lithium_ion_accumulators_first()
    {
        var codes = Codes("lithium-ion batteries");
        Assert.Equal("850760", codes[0]);
    }

    [Fact]
    public void Soya_beans_find_the_heading_first_and_soybeans_find_it_too()
    {
        Assert.Equal("1201", Codes("soya beans")[0]);
        Assert.Contains("1201", Codes("soybeans", 3));
        Assert.Contains("1201", Codes("soya bean", 3));   // singular
    }

    [Fact]
    public void Rare_earth_finds_the_metals_and_the_compounds_ahead_of_the_rest_of_chapter_28()
    {
        var top = Codes("rare earth", 5);
        Assert.Contains("280530", top);
        Assert.Contains("2846", top);
    }

    [Fact]
    public void Every_word_counts()
    {
        var primary = Codes("lithium primary batteries", 3);
        Assert.Equal("850650", primary[0]);              // primary lithium cells, not the accumulators
        Assert.DoesNotContain("850760", primary);
        Assert.All(Catalog.Index.Search("cattle breeding", 20), e => Assert.Contains("cattle", Catalog.Describe(e).Entry.Description + Catalog.Describe(e).Heading?.Description, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("8507.60", "850760")]
    [InlineData("850760", "850760")]
    [InlineData("2846", "2846")]
    [InlineData("8507.60.00.20", "850760")]
    public void A_code_typed_as_text_finds_that_code_first(string query, string first) => Assert.Equal(first, Codes(query)[0]);

    [Fact]
    public void A_heading_code_also_finds_its_subheadings()
    {
        var codes = Codes("8507", 20);
        Assert.Equal("8507", codes[0]);
        Assert.Contains("850760", codes);
        Assert.All(codes, c => Assert.StartsWith("8507", c, StringComparison.Ordinal));
    }

    [Fact]
    public void Words_that_match_nothing_find_nothing() => Assert.Empty(Codes("xylophonequark"));

    [Fact]
    public void A_code_is_described_at_its_longest_known_level_with_heading_and_chapter()
    {
        var p = Catalog.Describe("8507600020")!;
        Assert.Equal(("850760", 6, "8507"), (p.Entry.Code, p.Entry.Level, p.Entry.ParentCode));
        Assert.Equal("8507", p.Heading!.Code);
        Assert.Equal("85", p.Chapter.Code);
        Assert.Equal("XVI", p.Section);
        Assert.NotEmpty(p.SectionName);
        Assert.Null(Catalog.Describe("999999"));
    }
}
