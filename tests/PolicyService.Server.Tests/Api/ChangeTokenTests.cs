using PolicyService.Server.Api;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Tests.Api;

public class ChangeTokenTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(127L)]
    [InlineData(128L)]
    [InlineData(long.MaxValue)]
    public void A_token_names_the_position_it_was_created_for(long position)
    {
        var v = new RequestValidation();
        Assert.Equal(position, ChangeToken.Read(ChangeToken.Create(position), v, "min_change_token"));
        v.ThrowIfInvalid();
    }

    [Fact]
    public void An_empty_token_is_position_zero() => Assert.Equal(0, ChangeToken.Read("", new RequestValidation(), "min_change_token"));

    // Each is refused as a violation of the field, never thrown as an exception (a malformed token was once INTERNAL).
    [Theory]
    [InlineData("not-a-token")]
    [InlineData("!!!!")]
    [InlineData("a")]
    [InlineData("AQE")]
    [InlineData("AQEAAAAAAAA")]
    public void A_token_this_service_did_not_issue_is_a_violation_of_the_field(string token)
    {
        var v = new RequestValidation();
        Assert.Equal(0, ChangeToken.Read(token, v, "min_change_token"));
        var error = Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid);
        var violation = Assert.Single(error.Violations);
        Assert.Equal("min_change_token", violation.Field);
        Assert.Equal("is not a token this service issued", violation.Description);
    }

    // Signed with the service's own key, so that only the varint is wrong: a version byte (1), continuation bytes that
    // never end (or run past 64 bits), then the 6-byte MAC.
    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void A_signed_token_whose_position_never_ends_is_a_violation_of_the_field(int continuationBytes)
    {
        var signed = new byte[1 + continuationBytes];
        signed[0] = 1;
        signed.AsSpan(1).Fill(0x80);
        var token = System.Buffers.Text.Base64Url.EncodeToString([.. signed, .. PageToken.Mac(signed, 6)]);

        var v = new RequestValidation();
        Assert.Equal(0, ChangeToken.Read(token, v, "min_change_token"));
        var violation = Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations);
        Assert.Equal(("min_change_token", "is not a token this service issued"), (violation.Field, violation.Description));
    }

    // The change feed's first resume tokens were page tokens of the "change-feed" scope; they still name their position.
    [Theory]
    [InlineData(1L)]
    [InlineData(987654321L)]
    public void A_resume_token_of_the_first_format_still_names_its_position(long position)
    {
        var v = new RequestValidation();
        Assert.Equal(position, ChangeToken.Read(PageToken.Create(position.ToString(System.Globalization.CultureInfo.InvariantCulture), "change-feed"), v, "resume_token"));
        v.ThrowIfInvalid();
    }

    [Theory]
    [InlineData("change-feed", "")]
    [InlineData("change-feed", "-5")]
    [InlineData("change-feed", "twelve")]
    [InlineData("tariffs.v1", "12")]
    public void A_page_token_that_is_not_a_resume_token_is_refused(string scope, string position)
    {
        var v = new RequestValidation();
        Assert.Equal(0, ChangeToken.Read(PageToken.Create(position, scope), v, "resume_token"));
        Assert.Equal("resume_token", Assert.Single(Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid).Violations).Field);
    }

    [Fact]
    public void A_token_with_one_character_changed_is_refused()
    {
        var token = ChangeToken.Create(4242).ToCharArray();
        token[3] = token[3] == 'A' ? 'B' : 'A';
        var v = new RequestValidation();
        ChangeToken.Read(new string(token), v, "min_change_token");
        Assert.Throws<InvalidRequestException>(v.ThrowIfInvalid);
    }
}
