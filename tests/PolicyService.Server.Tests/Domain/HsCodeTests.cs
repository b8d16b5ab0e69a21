using PolicyService.Server.Domain;
using static PolicyService.Server.Tests.Build;

namespace PolicyService.Server.Tests.Domain;

public class HsCodeTests
{
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
        Assert.True(HsCode.IsCovered(Scope("85", "850760"), "8507600020", out var prefix));
        Assert.Equal("850760", prefix);
        // In whichever order the scope lists them.
        Assert.True(HsCode.IsCovered(Scope("850760", "85", "8507"), "8507600020", out var first));
        Assert.Equal("850760", first);
    }

    [Fact]
    public void Not_covered_when_no_prefix_matches() =>
        Assert.False(HsCode.IsCovered(Scope("850710", "8541"), "8507600020", out _));

    [Fact]
    public void An_exclusion_prefix_removes_a_covered_code()
    {
        var scope = new ProductScope(false, ["8507"], ["85076000"], "batteries except li-ion");
        Assert.False(HsCode.IsCovered(scope, "8507600020", out _));
        Assert.True(HsCode.IsCovered(scope, "8507100000", out _));
    }

    [Fact]
    public void All_products_matches_every_code_with_an_empty_prefix_unless_excluded()
    {
        Assert.True(HsCode.IsCovered(AllProducts(), "1201901100", out var prefix));
        Assert.Equal("", prefix);
        Assert.False(HsCode.IsCovered(AllProducts("12"), "1201901100", out _));
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
