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
}
