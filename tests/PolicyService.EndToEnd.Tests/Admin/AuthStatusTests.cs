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
