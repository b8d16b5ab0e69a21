using System.Net;
using Grpc.Core;
using PolicyService.Testing;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

public class RequestLimitTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly Metadata Gzip = [new("grpc-internal-encoding-request", "gzip")];

    private static LookupDutyRequest Lookup(string hs) => new() { Importer = "US", Origin = "CN", HsCode = hs };

    private static async Task<RpcException> TooLarge(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal("MESSAGE_TOO_LARGE", e.ErrorInfo()?.Reason);
        Assert.Equal("Limits:ReadMessageBytes", e.ErrorInfo()?.Metadata["limit_name"]);
        Assert.Equal("65536", e.ErrorInfo()?.Metadata["limit_bytes"]);
        return e;
    }

    [Fact]
    public async Task A_lookup_over_the_read_limit_is_resource_exhausted_naming_the_limit() =>
        await TooLarge(() => fixture.Tariffs.LookupDutyAsync(Lookup(new string('8', 100_000)), deadline: Deadline).ResponseAsync);

    [Fact]
    public async Task A_gzip_lookup_is_counted_after_decompression()
    {
        // 2 MB of one digit compresses to a few KB: under the limit on the wire, far over it inflated.
        await TooLarge(() => fixture.Tariffs.LookupDutyAsync(Lookup(new string('8', 2_000_000)), Gzip, Deadline).ResponseAsync);
        var small = await fixture.Tariffs.LookupDutyAsync(Lookup("850760"), Gzip, Deadline);
        Assert.Equal("US", small.Importer);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 4, 0x0a, 0x05, 0x55, 0x53 }, StatusCode.InvalidArgument, "MALFORMED_REQUEST")] // a string cut short
    [InlineData(new byte[] { 0, 0, 0, 0, 3, 0xff, 0xff, 0xff }, StatusCode.InvalidArgument, "MALFORMED_REQUEST")] // garbage
    [InlineData(new byte[] { 0, 0xff, 0xff, 0xff, 0xff, 0x0a }, StatusCode.ResourceExhausted, "MESSAGE_TOO_LARGE")] // a 4 GB length prefix
    public async Task Bytes_that_are_not_a_request_get_a_status_with_error_info_and_no_stack_trace(byte[] body, StatusCode code, string reason)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/grpc");
        using var response = await http.PostAsync(new Uri(fixture.Server.Address, "/tradepolicy.v1.TariffService/LookupDuty"), content, TestContext.Current.CancellationToken);
        await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        string? Field(string name) => response.Headers.TryGetValues(name, out var v) || response.TrailingHeaders.TryGetValues(name, out v) ? v.First() : null;

        Assert.Equal(((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture), Field("grpc-status"));
        var details = Field("grpc-status-details-bin");
        Assert.NotNull(details);
        var status = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(details.PadRight(details.Length + (4 - details.Length % 4) % 4, '=')));
        Assert.Equal(reason, status.Details.Select(d => d.Unpack<Google.Rpc.ErrorInfo>()).Single().Reason);
        Assert.DoesNotContain("Exception was thrown by handler", fixture.Server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidProtocolBufferException", fixture.Server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_of_huge_and_inflating_lookups_leaves_memory_bounded_and_the_service_answering()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(ct: ct);
        var tariffs = new TariffService.TariffServiceClient(server.Channel);
        var huge = Lookup(new string('8', 28_000_000));
        var inflating = Lookup(new string('8', 60_000_000));
        var calls = Enumerable.Range(0, 16).Select(_ => tariffs.LookupDutyAsync(huge, deadline: DateTime.UtcNow.AddMinutes(2), cancellationToken: ct).ResponseAsync)
            .Concat(Enumerable.Range(0, 16).Select(_ => tariffs.LookupDutyAsync(inflating, Gzip, DateTime.UtcNow.AddMinutes(2), ct).ResponseAsync))
            .Select(async call => (await Assert.ThrowsAsync<RpcException>(() => call)).StatusCode).ToList();
        Assert.All(await Task.WhenAll(calls), code => Assert.Equal(StatusCode.ResourceExhausted, code));

        var peakMiB = PeakRssMiB(server.ProcessId);
        TestContext.Current.AddAttachment("peak-rss-mib", peakMiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(peakMiB < 300, $"peak RSS {peakMiB} MiB");
        Assert.NotNull(await tariffs.LookupDutyAsync(Lookup("850760"), deadline: Deadline, cancellationToken: ct));
    }

    private static long PeakRssMiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
}
