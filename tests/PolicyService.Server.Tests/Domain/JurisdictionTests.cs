using PolicyService.Server.Domain;

namespace PolicyService.Server.Tests.Domain;

public class JurisdictionTests
{
    [Theory]
    [InlineData(" us ", "US")]
    [InlineData("cn", "CN")]
    [InlineData("HK", "HK")]
    public void Trims_and_upper_cases_assigned_codes(string input, string expected)
    {
        Assert.True(Jurisdiction.TryNormalize(input, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("USA")]
    [InlineData("XX")]   // user-assigned, not a country
    [InlineData("EU")]   // exceptionally reserved, not assigned
    [InlineData("U")]
    public void Rejects_codes_that_are_not_assigned(string input) => Assert.False(Jurisdiction.TryNormalize(input, out _));

    // A code from each row of the list, first and last, so that no row of the 249 can go missing unnoticed.
    [Theory]
    [InlineData("AD")] [InlineData("BJ")] [InlineData("BL")] [InlineData("CR")] [InlineData("CU")] [InlineData("FR")]
    [InlineData("GA")] [InlineData("HU")] [InlineData("ID")] [InlineData("KZ")] [InlineData("LA")] [InlineData("MQ")]
    [InlineData("MR")] [InlineData("PF")] [InlineData("PG")] [InlineData("SI")] [InlineData("SJ")] [InlineData("TR")]
    [InlineData("TT")] [InlineData("ZW")]
    public void Every_row_of_the_assigned_codes_is_known(string code)
    {
        Assert.True(Jurisdiction.TryNormalize(code.ToLowerInvariant(), out var normalized));
        Assert.Equal(code, normalized);
        Assert.True(Jurisdiction.IsAssigned(code));
    }

    [Fact]
    public void A_null_input_is_no_code()
    {
        Assert.False(Jurisdiction.TryNormalize(null, out var code));
        Assert.Equal("", code);
    }
}
