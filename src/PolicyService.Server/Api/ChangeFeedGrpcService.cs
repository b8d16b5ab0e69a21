using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using PolicyService.Server.Storage;
using TradePolicy.V1;

namespace PolicyService.Server.Api;

/// <summary>
/// Streams the change log in commit order from a resume token. A subscriber that keeps up is served from the changes the
/// snapshot refresher has just read (<see cref="ChangeLogTail"/>), woken when it publishes, so the database is polled once
/// per process; a backlog is read from the database a batch at a time. A subscriber that stops reading is cut off with
/// RESOURCE_EXHAUSTED.
/// </summary>
public sealed class ChangeFeedGrpcService(IPolicyStore store, ChangeLogTail tail, Snapshots.LiveSnapshot live, ChangeFeedOptions options, FeedSubscribers subscribers)
    : ChangeFeedService.ChangeFeedServiceBase
{
    private const int EnhanceYourCalm = 0xb;

    public override async Task WatchChanges(WatchChangesRequest request, IServerStreamWriter<WatchChangesResponse> responseStream, ServerCallContext context)
    {
        var v = new RequestValidation();
        var after = ChangeToken.Read(request.ResumeToken, v, "resume_token");
        v.ThrowIfInvalid();

        var http = context.GetHttpContext();
        var caller = http.User.Identity?.IsAuthenticated == true ? "sub:" + Callers.Subject(http.User) : "ip:" + http.Connection.RemoteIpAddress;
        using var place = subscribers.Enter(caller);
        var ct = context.CancellationToken;
        if (request.StartAtEnd && request.ResumeToken.Length == 0) after = await store.LatestChangeAsync(ct);
        // Headers now tell the subscriber its starting point is fixed: every change committed from here on will reach it.
        await context.WriteResponseHeadersAsync([]);
        while (!ct.IsCancellationRequested)
        {
            var published = live.Published;
            var changes = tail.After(after, options.BatchSize) ?? await store.ChangesAfterAsync(after, options.BatchSize, ct);
            foreach (var change in changes)
            {
                try
                {
                    await responseStream.WriteAsync(ToProto(change), ct).WaitAsync(options.SendTimeout, ct);
                }
                catch (TimeoutException)
                {
                    // The stream is stalled by flow control, so no trailer could get through: reset it with ENHANCE_YOUR_CALM,
                    // which gRPC clients read as RESOURCE_EXHAUSTED once they have taken what was already sent.
                    context.GetHttpContext().Features.Get<IHttpResetFeature>()?.Reset(EnhanceYourCalm);
                    throw new RpcException(new Status(StatusCode.ResourceExhausted,
                        $"The subscriber did not take a change within {options.SendTimeout.TotalSeconds:0.#} s and was cut off; reconnect with the last resume token."));
                }
                after = change.Seq;
            }
            if (changes.Count < options.BatchSize)
            {
                // Caught up: wait for the refresher's next publication (the poll interval bounds the wait before the first snapshot).
                await Task.WhenAny(published, Task.Delay(options.PollInterval, ct));
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    private static WatchChangesResponse ToProto(ChangeEntry c) => new()
    {
        Change = new PolicyChangeEvent
        {
            Sequence = c.Seq,
            RecordedTime = c.RecordedTime.ToTimestamp(),
            RecordedBy = c.RecordedBy,
            Reason = c.Reason,
            RequestId = c.RequestId,
            ResourceType = c.ResourceType,
            ResourceId = c.ResourceId,
            Version = c.Version,
            ChangeKind = c.ChangeKind,
        },
        ResumeToken = ChangeToken.Create(c.Seq),
    };
}
