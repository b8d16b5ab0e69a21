using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PolicyService.Client.UnitTests;

public class DefaultDeadlineInterceptorTests
{
    private static readonly DateTime Now = new(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Method<string, string> Unary = new(MethodType.Unary, "tradepolicy.v1.TariffService", "LookupDuty",
        Marshallers.Create(System.Text.Encoding.UTF8.GetBytes, System.Text.Encoding.UTF8.GetString),
        Marshallers.Create(System.Text.Encoding.UTF8.GetBytes, System.Text.Encoding.UTF8.GetString));

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>The deadline the next step of the call pipeline receives.</summary>
    private static DateTime? DeadlineSeen(CallOptions options)
    {
        var interceptor = new DefaultDeadlineInterceptor(TimeSpan.FromSeconds(2), new FixedTime());
        DateTime? seen = null;
        interceptor.AsyncUnaryCall("request", new ClientInterceptorContext<string, string>(Unary, null, options), (request, context) =>
        {
            seen = context.Options.Deadline;
            return new AsyncUnaryCall<string>(Task.FromResult("response"), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        });
        return seen;
    }

    [Fact]
    public void A_call_without_a_deadline_gets_the_default_one() => Assert.Equal(Now.AddSeconds(2), DeadlineSeen(new CallOptions()));

    [Fact]
    public void A_call_with_a_deadline_keeps_it() => Assert.Equal(Now.AddMinutes(5), DeadlineSeen(new CallOptions(deadline: Now.AddMinutes(5))));

    [Fact]
    public void An_explicitly_infinite_deadline_is_kept() => Assert.Equal(DateTime.MaxValue, DeadlineSeen(new CallOptions(deadline: DateTime.MaxValue)));

    [Fact]
    public void The_cancellation_token_and_headers_pass_through()
    {
        using var cancellation = new CancellationTokenSource();
        var headers = new Metadata { { "x-request-id", "42" } };
        var interceptor = new DefaultDeadlineInterceptor(TimeSpan.FromSeconds(2), new FixedTime());
        CallOptions seen = default;
        interceptor.BlockingUnaryCall("request", new ClientInterceptorContext<string, string>(Unary, null, new CallOptions(headers, cancellationToken: cancellation.Token)),
            (request, context) => { seen = context.Options; return "response"; });

        Assert.Equal(cancellation.Token, seen.CancellationToken);
        Assert.Same(headers, seen.Headers);
        Assert.Equal(Now.AddSeconds(2), seen.Deadline);
    }
}
