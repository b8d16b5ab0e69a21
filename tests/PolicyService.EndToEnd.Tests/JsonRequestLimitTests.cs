using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using PolicyService.Testing;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// The JSON API holds each route to its RPC family's limit, as gRPC does, before anything parses the body: refused as
/// RESOURCE_EXHAUSTED / MESSAGE_TOO_LARGE in the google.rpc.Status JSON of every other error, also past Kestrel's own limit.
/// The server answers before the body is sent and closes the connection; large bodies here go with Expect: 100-continue
/// (as curl sends them), since .NET's client otherwise fails writing the rest of the body instead of reading the answer.
/// </summary>
public class JsonRequestLimitTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AssertTooLarge(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(8, body.GetProperty("code").GetInt32()); // RESOURCE_EXHAUSTED
        var info = Assert.Single(body.GetProperty("details").EnumerateArray());
        Assert.Equal("type.googleapis.com/google.rpc.ErrorInfo", info.GetProperty("@type").GetString());
        Assert.Equal("MESSAGE_TOO_LARGE", info.GetProperty("reason").GetString());
        Assert.Equal("Limits:ReadMessageBytes", info.GetProperty("metadata").GetProperty("limit_name").GetString());
        Assert.Equal("65536", info.GetProperty("metadata").GetProperty("limit_bytes").GetString());
    }

    private static string Lookup(int hsDigits) => $$"""{"importer":"US","origin":"CN","hsCode":"{{new string('8', hsDigits)}}"}""";

    [Theory]
    [InlineData(70_000)]      // over the read limit
    [InlineData(40_000_000)]  // over Kestrel's own body limit too (the largest RPC limit, 32 MiB)
    public async Task A_lookup_body_over_the_read_limit_is_413_with_message_too_large(int hsDigits)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/duty:lookup") { Content = new StringContent(Lookup(hsDigits), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await fixture.Http.SendAsync(request, Ct);
        await AssertTooLarge(response);
    }

    [Fact]
    public async Task A_chunked_body_is_read_only_up_to_the_limit()
    {
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Lookup(200_000))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/duty:lookup") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.ExpectContinue = true;
        using var response = await fixture.Http.SendAsync(request, Ct);
        await AssertTooLarge(response);
    }

    [Fact]
    public async Task A_lookup_under_the_limit_still_answers()
    {
        using var content = new StringContent("""{"importer":"US","origin":"CN","hsCode":"850760","asOf":{"year":2025,"month":11,"day":15}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await fixture.Http.PostAsync("/v1/duty:lookup", content, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Sixteen_concurrent_28_MB_lookups_leave_the_server_under_250_MiB_and_answering()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var server = await ServerProcess.StartAsync([new("HttpApi:Url", $"http://127.0.0.1:{port}")], ct: Ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        var body = System.Text.Encoding.UTF8.GetBytes(Lookup(28_000_000));

        var calls = Enumerable.Range(0, 16).Select(async _ =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/duty:lookup") { Content = content };
            request.Headers.ExpectContinue = true;
            using var response = await http.SendAsync(request, Ct);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }).ToList();
        Assert.All(await Task.WhenAll(calls), r => Assert.True(r.StatusCode == HttpStatusCode.RequestEntityTooLarge && r.Item2.Contains("MESSAGE_TOO_LARGE", StringComparison.Ordinal), $"{r.StatusCode} {r.Item2}"));

        var peakMiB = long.Parse(File.ReadLines($"/proc/{server.ProcessId}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        TestContext.Current.AddAttachment("peak-rss-mib", peakMiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        TestContext.Current.TestOutputHelper?.WriteLine($"JSON burst peak RSS {peakMiB} MiB");
        Assert.True(peakMiB < 250, $"peak RSS {peakMiB} MiB");
        using var small = new StringContent("""{"importer":"US","origin":"CN","hsCode":"850760"}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v1/duty:lookup", small, Ct)).StatusCode);
    }
}
