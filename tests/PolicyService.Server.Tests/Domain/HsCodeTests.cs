using PolicyService.Server.Domain;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Domain;

public class HsCodeTests
{
    private static readonly DateOnly AnyDay = new(2025, 11, 15);

    [Theory]
    [InlineData("8507.60.00.20", "8507600020")]
    [InlineData(" 8507 60 ", "850760")]
    [InlineData("85076000", "85076000")]
    public void Normalize_strips_dots_and_spaces(string input, string expected)
    {
        Assert.True(HsCode.TryNormalize(input, out var digits));
        Assert.Equal(expected, digits);
    }

    [Theory]
    [InlineData("")]
    [InlineData("85076")]          // five digits
    [InlineData("85076000201")]    // eleven digits
    [InlineData("8507-60")]
    [InlineData("85O760")]         // letter O
    [InlineData("８５０７６０")]     // full-width digits are not ASCII digits
    public void Normalize_rejects_anything_but_6_to_10_digits(string input)
    {
        Assert.False(HsCode.TryNormalize(input, out var digits));
        Assert.Equal("", digits);
    }

    [Fact]
    public void Covered_by_the_longest_matching_prefix()
    {
        Assert.True(HsCode.IsCovered(Scope("85", "850760"), "8507600020", AnyDay, out var prefix));
        Assert.Equal("850760", prefix);
        // In whichever order the scope lists them.
        Assert.True(HsCode.IsCovered(Scope("850760", "85", "8507"), "8507600020", AnyDay, out var first));
        Assert.Equal("850760", first);
    }

    [Fact]
    public void Not_covered_when_no_prefix_matches() =>
        Assert.False(HsCode.IsCovered(Scope("850710", "8541"), "8507600020", AnyDay, out _));

    [Fact]
    public void An_exclusion_prefix_removes_a_covered_code()
    {
        var scope = new ProductScope(false, ["8507"], ["85076000"], "batteries except li-ion");
        Assert.False(HsCode.IsCovered(scope, "8507600020", AnyDay, out _));
        Assert.True(HsCode.IsCovered(scope, "8507100000", AnyDay, out _));
    }

    [Fact]
    public void All_products_matches_every_code_with_an_empty_prefix_unless_excluded()
    {
        Assert.True(HsCode.IsCovered(AllProducts(), "1201901100", AnyDay, out var prefix));
        Assert.Equal("", prefix);
        Assert.False(HsCode.IsCovered(AllProducts("12"), "1201901100", AnyDay, out _));
    }

    private static readonly ScopeExclusion Beef = new("02023050", new(2025, 11, 13), new(2026, 2, 24), "ag-2025-11 rev6 L12403");

    [Theory]
    [InlineData("2025-11-12", true)]    // the day before the exemption
    [InlineData("2025-11-13", false)]   // its first day
    [InlineData("2026-02-23", false)]   // its last day
    [InlineData("2026-02-24", true)]    // end_date is the first day no longer excluded
    public void A_dated_exclusion_removes_the_code_only_inside_its_half_open_period(string date, bool covered)
    {
        var scope = new ProductScope(true, [], [], "all goods", "", [Beef]);
        Assert.Equal(covered, HsCode.Match(scope, "0202305000", DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            out _, out var excludedBy, out var dated));
        Assert.Equal(covered ? null : "02023050", excludedBy);
        Assert.Equal(covered ? null : Beef, dated);
    }

    [Fact]
    public void An_unset_start_or_end_runs_from_the_measures_start_or_without_end()
    {
        var scope = new ProductScope(true, [], [], "all goods", "",
            [new("8471", null, new(2025, 4, 5), "until"), new("8542", new(2025, 4, 5), null, "from")]);
        Assert.False(HsCode.IsCovered(scope, "8471300100", new DateOnly(1990, 1, 1), out _));
        Assert.True(HsCode.IsCovered(scope, "8471300100", new DateOnly(2025, 4, 5), out _));
        Assert.True(HsCode.IsCovered(scope, "8542310000", new DateOnly(2025, 4, 4), out _));
        Assert.False(HsCode.IsCovered(scope, "8542310000", new DateOnly(2099, 1, 1), out _));
    }

    [Fact]
    public void Entries_sharing_a_prefix_each_exclude_over_their_own_period()
    {
        // Exempt, then not (EO 14346 took it out), then exempt again: three entries, one prefix.
        var periods = new ScopeExclusion[]
        {
            new("39076100", new(2025, 4, 5), new(2025, 9, 8), "annex-ii-original"),
            new("39076100", new(2025, 11, 13), null, "again"),
        };
        // Small scopes are scanned, large ones indexed: both must answer the same.
        var small = new ProductScope(true, [], [], "all", "", periods);
        var large = small with { DatedExclusions = [.. periods, .. Enumerable.Range(0, 40).Select(i => new ScopeExclusion($"0101{i:D4}", null, null, "filler"))] };
        foreach (var scope in new[] { small, large })
        {
            Assert.False(HsCode.Match(scope, "3907610000", new DateOnly(2025, 6, 1), out _, out _, out var first));
            Assert.Equal("annex-ii-original", first!.Basis);
            Assert.True(HsCode.IsCovered(scope, "3907610000", new DateOnly(2025, 10, 1), out _));
            Assert.False(HsCode.Match(scope, "3907610000", new DateOnly(2025, 12, 1), out _, out _, out var again));
            Assert.Equal("again", again!.Basis);
        }
    }

    [Fact]
    public void A_whole_life_exclusion_wins_over_a_dated_one_and_removes_the_code_on_every_date()
    {
        var scope = new ProductScope(true, [], ["8507"], "all goods", "", [new("850760", new(2025, 1, 1), null, "dated")]);
        Assert.False(HsCode.Match(scope, "8507600020", new DateOnly(2025, 6, 1), out _, out var excludedBy, out var dated));
        Assert.Equal("8507", excludedBy);
        Assert.Null(dated);
        Assert.False(HsCode.IsCoveredOnSomeDate(scope, "8507600020", out _));
        // A dated exclusion leaves the code covered on some date, so a timeline keeps the measure.
        Assert.True(HsCode.IsCoveredOnSomeDate(new ProductScope(true, [], [], "all", "", [Beef]), "0202305000", out _));
    }

    [Fact]
    public void Matching_a_small_scope_with_dated_exclusions_allocates_nothing()
    {
        var scope = new ProductScope(false, ["02", "39"], [], "small", "", new List<ScopeExclusion> { Beef, new("3907", null, null, "x") });
        var day = new DateOnly(2025, 12, 1);
        HsCode.Match(scope, "0202305000", day, out _, out _, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var covered = 0;
        for (var i = 0; i < 1000; i++)
        {
            if (HsCode.Match(scope, "0202305000", day, out _, out _, out _)) covered++;
            if (HsCode.Match(scope, "0201100500", day, out _, out _, out _)) covered++;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, covered);
    }

    [Theory]
    [InlineData("85", true)]
    [InlineData("8507600020", true)]
    [InlineData("850", false)]
    [InlineData("", false)]
    [InlineData("85a7", false)]
    public void Valid_prefixes_have_an_even_length_of_2_to_10_digits(string prefix, bool valid) =>
        Assert.Equal(valid, HsCode.IsValidPrefix(prefix));
}
