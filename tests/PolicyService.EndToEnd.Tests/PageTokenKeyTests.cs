using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

public class PageTokenKeyTests
{
    [Fact]
    public async Task A_page_token_is_honoured_only_by_a_server_holding_the_same_key()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var alpha = await ServerProcess.StartAsync([new("PageTokens:Key", "alpha-key")], ct: ct);
        await using var beta = await ServerProcess.StartAsync([new("PageTokens:Key", "beta-key")], ct: ct);
        var first = await new TariffService.TariffServiceClient(alpha.Channel).ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = 2 }, deadline: Deadline, cancellationToken: ct);
        Assert.NotEmpty(first.NextPageToken);

        var next = new ListTariffMeasuresRequest { PageSize = 2, PageToken = first.NextPageToken };
        Assert.NotEmpty((await new TariffService.TariffServiceClient(alpha.Channel).ListTariffMeasuresAsync(next, deadline: Deadline, cancellationToken: ct)).TariffMeasures);
        var e = await Assert.ThrowsAsync<RpcException>(() => new TariffService.TariffServiceClient(beta.Channel).ListTariffMeasuresAsync(next, deadline: Deadline, cancellationToken: ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["page_token"], e.ViolatedFields());
    }
}
