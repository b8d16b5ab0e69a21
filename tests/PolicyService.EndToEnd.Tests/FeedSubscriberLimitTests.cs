using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

public class FeedSubscriberLimitTests
{
    [Fact]
    public async Task Feed_subscribers_over_the_per_caller_cap_are_resource_exhausted_and_a_closed_one_frees_its_place()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync([new("ChangeFeed:MaxSubscribersPerCaller", "2")], ct: ct);
        var feed = new ChangeFeedService.ChangeFeedServiceClient(server.Channel);
        AsyncServerStreamingCall<WatchChangesResponse> Watch() => feed.WatchChanges(new WatchChangesRequest { StartAtEnd = true }, cancellationToken: ct);

        using var first = Watch();
        await first.ResponseHeadersAsync;
        var second = Watch();
        await second.ResponseHeadersAsync;

        using var third = Watch();
        var e = await Assert.ThrowsAsync<RpcException>(() => third.ResponseStream.MoveNext(ct));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal("TOO_MANY_SUBSCRIBERS", e.ErrorInfo()?.Reason);
        Assert.Equal("ChangeFeed:MaxSubscribersPerCaller", e.ErrorInfo()?.Metadata["limit_name"]);

        second.Dispose();
        // The place is free once the server has seen the cancellation: until then a new subscription is refused, so ask
        // again until one is admitted (headers come only once it is; a refused one ends with a status instead).
        var deadline = Deadline;
        while (true)
        {
            var fourth = Watch();
            try
            {
                Assert.NotNull(await fourth.ResponseHeadersAsync.WaitAsync(deadline - DateTime.UtcNow, ct));
                fourth.Dispose();
                break;
            }
            catch (RpcException refused) when (refused.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
            {
                fourth.Dispose();
                await Task.Delay(50, ct);
            }
        }
    }
}
