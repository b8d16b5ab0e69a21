using Grpc.Core;

namespace PolicyService.Client.Tests;

/// <summary>Retries, attempt bounds and deadlines of the packed client, against a fake server that fails on cue.</summary>
public class ResilienceTests(PackedClient package)
{
    private static string[] Duty(FakeTariffServer server, params string[] settings) =>
        ["duty", "US", "CN", "850760", "2025-06-01", $"--PolicyService:Address={server.Address}", .. settings];

    [Fact]
    public async Task A_server_answering_unavailable_twice_is_retried_to_success()
    {
        await using var server = await FakeTariffServer.StartAsync(FakeTariffServer.FailFirst(2));

        var result = await package.RunHarnessAsync(Duty(server, "--PolicyService:Retry:InitialBackoff=00:00:00.05"));

        Assert.Equal("OK", (string?)result["status"]);
        Assert.Equal("12.5", (string?)result["total"]);
        Assert.Equal([1, 2, 3], server.Calls.Select(c => c.Attempt));
    }

    [Fact]
    public async Task Retries_stop_at_the_configured_number_of_attempts()
    {
        await using var server = await FakeTariffServer.StartAsync(FakeTariffServer.FailFirst(int.MaxValue));

        var result = await package.RunHarnessAsync(Duty(server, "--PolicyService:Retry:MaxAttempts=3", "--PolicyService:Retry:InitialBackoff=00:00:00.05"));

        Assert.Equal("Unavailable", (string?)result["status"]);
        Assert.Equal(3, server.Calls.Count);
    }

    [Fact]
    public async Task One_attempt_means_no_retry()
    {
        await using var server = await FakeTariffServer.StartAsync(FakeTariffServer.FailFirst(1));

        var result = await package.RunHarnessAsync(Duty(server, "--PolicyService:Retry:MaxAttempts=1"));

        Assert.Equal("Unavailable", (string?)result["status"]);
        Assert.Single(server.Calls);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.NotFound)]
    public async Task Other_failures_are_not_retried(StatusCode code)
    {
        await using var server = await FakeTariffServer.StartAsync(FakeTariffServer.FailFirst(1, code));

        var result = await package.RunHarnessAsync(Duty(server));

        Assert.Equal(code.ToString(), (string?)result["status"]);
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task A_slow_call_ends_in_deadline_exceeded_at_the_configured_deadline()
    {
        // Every call is slow. Several calls on the same clients, the last one reported: on a loaded machine a cold first
        // call can spend its whole deadline connecting, and then never reaches the server at all.
        await using var server = await FakeTariffServer.StartAsync(FakeTariffServer.Slow(TimeSpan.FromSeconds(30)));

        var result = await package.RunHarnessAsync(Duty(server, "--PolicyService:DefaultDeadline=00:00:01", "--calls=4"));

        Assert.True((string?)result["status"] == "DeadlineExceeded", result.ToJsonString());
        // 1 s deadline; the upper bound only leaves room for a busy machine, far below the server's 30 s.
        Assert.InRange((long)result["elapsedMs"]!, 950, 6000);
        var call = Assert.IsType<ReceivedCall>(server.Calls.LastOrDefault(), exactMatch: false);
        // The deadline travelled with the call (grpc-timeout), so the server gave up on it too.
        Assert.InRange(call.DeadlineUtc - call.ReceivedUtc, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1000));
        await WaitUntilAsync(() => call.CancelledUtc is not null);
    }

    [Fact]
    public async Task A_call_with_its_own_deadline_keeps_it()
    {
        await using var server = await FakeTariffServer.StartAsync(FakeTariffServer.Slow(TimeSpan.FromSeconds(1.5)));

        var result = await package.RunHarnessAsync("measure", "TAR-US-14", $"--PolicyService:Address={server.Address}",
            "--PolicyService:DefaultDeadline=00:00:00.5", "--deadline-ms=20000");

        Assert.Equal("OK", (string?)result["status"]);
        var call = Assert.Single(server.Calls);
        Assert.True(call.DeadlineUtc - call.ReceivedUtc > TimeSpan.FromSeconds(10), $"deadline was {call.DeadlineUtc - call.ReceivedUtc}");
    }

    [Fact]
    public async Task Unavailable_retries_happen_within_the_deadline()
    {
        await using var server = await FakeTariffServer.StartAsync(FakeTariffServer.FailFirst(int.MaxValue));

        // Backoff bounds far longer than the deadline: the deadline ends the call, not the attempts.
        var result = await package.RunHarnessAsync(Duty(server, "--PolicyService:DefaultDeadline=00:00:00.7",
            "--PolicyService:Retry:InitialBackoff=00:00:05", "--PolicyService:Retry:MaxBackoff=00:00:05"));

        Assert.Contains((string?)result["status"], new[] { "DeadlineExceeded", "Unavailable" });
        Assert.InRange((long)result["elapsedMs"]!, 0, 3000);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
