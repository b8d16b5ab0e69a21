using PolicyService.Server.Api;

namespace PolicyService.Server.Tests.Api;

/// <summary>grpc-message as the gRPC HTTP/2 protocol encodes it: only bytes outside 0x20–0x7E, and '%', are percent-encoded.</summary>
public class GrpcStatusResponseTests
{
    [Theory]
    [InlineData("This method needs credentials: a bearer token, or a certificate.", "This method needs credentials: a bearer token, or a certificate.")]
    [InlineData("limit 100% (64 KiB)", "limit 100%25 (64 KiB)")]
    [InlineData("é\n", "%C3%A9%0A")]
    [InlineData("~ /?#[]@!$&'()*+;=", "~ /?#[]@!$&'()*+;=")]
    public void Only_bytes_outside_printable_ascii_and_the_percent_sign_are_encoded(string message, string encoded) =>
        Assert.Equal(encoded, GrpcStatusResponse.EncodeMessage(message));
}
