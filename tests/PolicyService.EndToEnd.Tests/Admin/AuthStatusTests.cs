using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests.Admin;

public class AuthStatusTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private Task<CreateTariffMeasureResponse> Create(Metadata? headers) =>
        fixture.Admin.CreateTariffMeasureAsync(new CreateTariffMeasureRequest
        {
            TariffMeasure = TestRecords.ToyDuty(TestRecords.NewId("AUTHS")),
            Reason = "auth statuses",
        }, headers, Deadline).ResponseAsync;

    [Fact]
    public async Task A_call_without_credentials_is_unauthenticated_with_error_info()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Create(null));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("CREDENTIALS_MISSING", e.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task A_reader_writing_is_permission_denied_with_error_info()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Create(Testing.TestCredentials.Bearer(fixture.Credentials.Token("reader-2", [Testing.TestCredentials.Reader]))));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("ROLE_MISSING", e.ErrorInfo()?.Reason);
    }
}

public class ReflectionAuthTests
{
    [Fact]
    public async Task Reflection_needs_the_reader_role_when_lookups_do()
    {
        using var credentials = new Testing.TestCredentials();
        await using var server = await Testing.ServerProcess.StartAsync(credentials.ServerSettings(requireReaderForLookups: true), ct: TestContext.Current.CancellationToken);
        var client = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(server.Channel);

        async Task<IReadOnlyList<string>> ListAsync(Metadata? headers)
        {
            using var call = client.ServerReflectionInfo(headers, Deadline);
            await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
            Assert.True(await call.ResponseStream.MoveNext());
            return [.. call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name)];
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => ListAsync(null));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("tradepolicy.v1.PolicyAdminService", await ListAsync(Testing.TestCredentials.Bearer(credentials.Token("svc", [Testing.TestCredentials.Reader]))));
    }
}
