using PolicyService.Server.Domain;
using PolicyService.Server.Api;

namespace PolicyService.Server.Tests.Api;

public class PageTokenTests
{
    [Fact]
    public void A_token_round_trips_with_the_same_filters()
    {
        var validation = new RequestValidation();
        var token = PageToken.Create("TAR-US-14", "importer=US");
        Assert.Equal("TAR-US-14", PageToken.Read(token, "importer=US", validation));
        validation.ThrowIfInvalid();
    }

    [Fact]
    public void An_empty_token_starts_at_the_beginning() =>
        Assert.Equal("", PageToken.Read("", "x", new RequestValidation()));

    [Theory]
    [InlineData("not a token!")]
    [InlineData("djEKVEFSLVVTLTE0CjAwMDAwMDAwMDAwMDAwMDAKMDAwMDAwMDAwMDAwMDAwMA")] // well-formed, wrong checksum
    public void A_forged_token_is_rejected_on_page_token(string token)
    {
        var validation = new RequestValidation();
        PageToken.Read(token, "importer=US", validation);
        var error = Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid);
        Assert.Equal("page_token", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void A_token_with_one_character_changed_is_rejected()
    {
        var token = PageToken.Create("TAR-US-14", "importer=US").ToCharArray();
        token[5] = token[5] == 'A' ? 'B' : 'A';
        var validation = new RequestValidation();
        PageToken.Read(new string(token), "importer=US", validation);
        Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid);
    }

    [Fact]
    public void A_token_reused_with_other_filters_is_rejected()
    {
        var validation = new RequestValidation();
        PageToken.Read(PageToken.Create("TAR-US-14", "importer=US"), "importer=CN", validation);
        var error = Assert.Throws<InvalidRequestException>(validation.ThrowIfInvalid);
        Assert.Contains("different filters", error.Violations[0].Description, StringComparison.Ordinal);
    }
}
