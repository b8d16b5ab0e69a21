using Google.Protobuf;
using Grpc.Core;

namespace PolicyService.EndToEnd.Tests.Fuzz;

/// <summary>
/// Every RPC the server maps — as its reflection lists them, not a list of ours — is behind the request gate: bad
/// bytes, a wrong content type and a declared length over the limit each get a status with ErrorInfo, never
/// UNKNOWN or INTERNAL, and nothing is logged as unhandled.
/// </summary>
public class RequestGateTests(FuzzServerFixture fixture) : IClassFixture<FuzzServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] CutShort = [0, 0, 0, 0, 3, 0x0a, 0x05, (byte)'U']; // a string field that claims 5 bytes and has 1

    [Fact]
    public void The_mapped_methods_are_read_from_the_server_and_include_every_tradepolicy_service()
    {
        var services = fixture.Methods.Select(m => m.Descriptor.Service.FullName).ToHashSet();
        // The contract's services, from the compiled protos: each must be mapped and so reach the gate below.
        var contract = new[] { TradePolicy.V1.TariffReflection.Descriptor, TradePolicy.V1.ProductReflection.Descriptor, TradePolicy.V1.SourceReflection.Descriptor,
            TradePolicy.V1.CalendarReflection.Descriptor, TradePolicy.V1.CoverageReflection.Descriptor, TradePolicy.V1.AdminReflection.Descriptor,
            TradePolicy.V1.ExportControlReflection.Descriptor, TradePolicy.V1.TruceReflection.Descriptor }.SelectMany(f => f.Services).Select(s => s.FullName);
        Assert.Subset(services, contract.ToHashSet());
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task Every_mapped_method_answers_bytes_that_are_not_its_request_with_malformed_request()
    {
        using var http = RawCalls.Grpc();
        var outcomes = new List<string>();
        foreach (var method in fixture.Methods)
        {
            var outcome = await RawCalls.GrpcAsync(http, fixture.Server.Address, method.Path, CutShort, fixture.EditorToken, streaming: false, Ct);
            if (outcome.GrpcStatus != (int)StatusCode.InvalidArgument || outcome.Reason != "MALFORMED_REQUEST")
                outcomes.Add($"{method}: {outcome.Kind(grpc: true)} {outcome.Reason} {outcome.GrpcMessage} {outcome.Error}");
        }
        Assert.Empty(outcomes);
        fixture.AssertNothingLoggedAsFailure();
    }

    [Fact]
    public async Task Every_mapped_method_answers_a_wrong_content_type_with_415_and_malformed_request()
    {
        using var http = RawCalls.Grpc();
        foreach (var method in fixture.Methods)
        {
            var outcome = await RawCalls.GrpcAsync(http, fixture.Server.Address, method.Path, CutShort, fixture.EditorToken, streaming: false, Ct, contentType: "text/plain");
            Assert.True((outcome.Http, outcome.GrpcStatus, outcome.Reason) == (415, (int)StatusCode.InvalidArgument, "MALFORMED_REQUEST"),
                $"{method}: HTTP {outcome.Http}, {outcome.Kind(grpc: true)} {outcome.GrpcMessage}");
        }
        fixture.AssertNothingLoggedAsFailure();
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_unread_with_message_too_large()
    {
        using var http = RawCalls.Grpc();
        foreach (var (path, limitName, limit) in new[]
        {
            ("/tradepolicy.v1.ProductService/GetProduct", "Limits:ReadMessageBytes", 65536),
            ("/tradepolicy.v1.PolicyAdminService/CreateTariffMeasure", "Limits:AdminMessageBytes", 1048576),
            ("/tradepolicy.v1.PolicyAdminService/ImportChanges", "Limits:ImportMessageBytes", 33554432),
        })
        {
            // Five zero bytes frame an empty message; the rest only makes the declared content-length one byte too long.
            var outcome = await RawCalls.GrpcAsync(http, fixture.Server.Address, path, new byte[limit + 6], fixture.EditorToken, streaming: false, Ct);
            Assert.True((outcome.GrpcStatus, outcome.Reason) == ((int)StatusCode.ResourceExhausted, "MESSAGE_TOO_LARGE"), $"{path}: {outcome.Kind(grpc: true)} {outcome.GrpcMessage} {outcome.Error}");
            Assert.Equal(limitName, outcome.Status!.Details.Single().Unpack<Google.Rpc.ErrorInfo>().Metadata["limit_name"]);
        }
        fixture.AssertNothingLoggedAsFailure();
    }

    [Fact]
    public async Task Grpc_message_encodes_only_what_the_grpc_spec_says_so_a_colon_stays_a_colon()
    {
        using var http = RawCalls.Grpc();
        var valid = new TradePolicy.V1.GetHistoryRequest { Id = "TAR-US-14" }.ToByteArray();
        byte[] framed = [0, .. BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(valid.Length)), .. valid];
        var outcome = await RawCalls.GrpcAsync(http, fixture.Server.Address, "/tradepolicy.v1.PolicyAdminService/GetHistory", framed, token: null, streaming: false, Ct);

        Assert.Equal((int)StatusCode.Unauthenticated, outcome.GrpcStatus);
        Assert.Equal("This method needs credentials: a bearer token or a client certificate the service trusts.", outcome.GrpcMessage);
    }
}
