using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PolicyService.Testing;

namespace PolicyService.EndToEnd.Tests;

/// <summary>The real server with the JSON API on a port of its own, as on a default run (there: 127.0.0.1:5081).</summary>
public sealed class HttpApiFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var port = FreePort();
        Server = await ServerProcess.StartAsync([new("HttpApi:Url", $"http://127.0.0.1:{port}")]);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), DefaultRequestVersion = HttpVersion.Version11, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>JSON over HTTP/1.1 transcoded from the protos: the same answers and the same google.rpc.Status errors as gRPC.</summary>
public class HttpApiTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Version = HttpVersion.Version11 };
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await fixture.Http.SendAsync(request, Ct);
        Assert.Equal(HttpVersion.Version11, response.Version);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(text.Length > 0, $"{(int)response.StatusCode} with an empty body");
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private const string Duty = """{"importer":"US","origin":"CN","hsCode":"8507.60.00.20","asOf":{"year":2025,"month":11,"day":15}}""";

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-www-form-urlencoded")] // what `curl -d` sends
    public async Task A_duty_lookup_answers_27_5_with_its_layers_and_no_exemption(string contentType)
    {
        var (status, body) = await Send(HttpMethod.Post, "/v1/duty:lookup", Duty, contentType);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("27.5", body.GetProperty("totalAdValoremPercent").GetString());
        Assert.Equal(["TAR-US-04", "TAR-US-14", "TAR-US-17"], body.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("measureId").GetString()));
        // No U.S. note exempts Li-ion batteries from the reciprocal duty: nothing is exempted (an empty list is left out of the JSON).
        Assert.True(!body.TryGetProperty("exemptedLayers", out var exempted) || exempted.GetArrayLength() == 0);
        var reviewed = body.GetProperty("coverage").GetProperty("reviewedThrough");
        Assert.Equal((2026, 10, 8), (reviewed.GetProperty("year").GetInt32(), reviewed.GetProperty("month").GetInt32(), reviewed.GetProperty("day").GetInt32()));
    }

    [Fact]
    public async Task A_less_specific_code_shows_its_variants_in_json_and_no_total()
    {
        var (status, body) = await Send(HttpMethod.Post, "/v1/duty:lookup", """{"importer":"US","origin":"CN","hsCode":"8507.60.00","asOf":{"year":2025,"month":11,"day":15}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("totalVaries").GetBoolean());
        Assert.Equal("", body.GetProperty("totalAdValoremPercent").GetString());   // no one total: the lines under the code pay different ones
        var variants = body.GetProperty("variants").EnumerateArray().ToList();
        var prefixes = variants.SelectMany(v => v.TryGetProperty("hsPrefixes", out var p) ? p.EnumerateArray().Select(x => x.GetString()) : []).ToList();
        Assert.Contains("8507600010", prefixes);
        Assert.Contains("8507600020", prefixes);
        Assert.True(variants[^1].GetProperty("otherLines").GetBoolean());
        Assert.All(variants, v => Assert.NotEmpty(v.GetProperty("totalAdValoremPercent").GetString()!));
    }

    [Fact]
    public async Task An_export_check_and_a_truce_status_answer_as_over_grpc()
    {
        var (exportStatus, export) = await Send(HttpMethod.Post, "/v1/exports:check", """{"exporter":"CN","destination":"US","item":"gallium","asOf":{"year":2025,"month":12,"day":1}}""");
        Assert.Equal(HttpStatusCode.OK, exportStatus);
        Assert.True(export.GetProperty("licenseRequired").GetBoolean());
        Assert.Contains("EXC-CN-01", export.GetProperty("controlsInForce").EnumerateArray().Select(c => c.GetProperty("controlId").GetString()));

        var (truceStatus, truce) = await Send(HttpMethod.Post, "/v1/truces:status", """{"partyA":"US","partyB":"CN","asOf":{"year":2025,"month":11,"day":15}}""");
        Assert.Equal(HttpStatusCode.OK, truceStatus);
        var inForce = Assert.Single(truce.GetProperty("truces").EnumerateArray());
        Assert.Equal("TRUCE-US-CN-2025", inForce.GetProperty("truce").GetProperty("id").GetString());
        Assert.Equal(360, inForce.GetProperty("daysRemaining").GetInt32());
    }

    [Fact]
    public async Task A_duty_timeline_is_posted_as_json_and_its_segments_carry_the_totals_and_cliffs()
    {
        var (status, body) = await Send(HttpMethod.Post, "/v1/duty:timeline",
            """{"importer":"US","origin":"CN","hsCode":"8507.60.00.20","startDate":{"year":2025,"month":11,"day":1},"endDate":{"year":2026,"month":3,"day":1}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var segments = body.GetProperty("segments").EnumerateArray().ToList();
        // No U.S. note exempts batteries: the reciprocal duty until 2026-02-24, Section 122 (announced 2026-02-20) after it.
        Assert.Equal(["37.5", "27.5", "45", "45", "35"], segments.Select(s => s.GetProperty("totalAdValoremPercent").GetString()));
        var november = segments[1];
        Assert.Equal(10, november.GetProperty("startDate").GetProperty("day").GetInt32());
        var fentanyl = november.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("measureId").GetString() == "TAR-US-14");
        Assert.Equal("TIMELINE_CHANGE_KIND_RATE_CHANGED", fentanyl.GetProperty("kind").GetString());
        Assert.Equal(("20", "10"), (fentanyl.GetProperty("adValoremPercentBefore").GetString(), fentanyl.GetProperty("adValoremPercentAfter").GetString()));

        var (exportStatus, export) = await Send(HttpMethod.Post, "/v1/exports:timeline",
            """{"exporter":"CN","destination":"US","item":"gallium","startDate":{"year":2025,"month":1,"day":1},"endDate":{"year":2026,"month":1,"day":1}}""");
        Assert.Equal(HttpStatusCode.OK, exportStatus);
        Assert.Equal([true, false], export.GetProperty("segments").EnumerateArray().Select(s => s.TryGetProperty("prohibited", out var p) && p.GetBoolean()));
    }

    [Fact]
    public async Task Products_are_searched_by_words_and_described_by_code_from_the_query_string_and_path()
    {
        var (status, found) = await Send(HttpMethod.Get, "/v1/products:search?query=lithium-ion%20batteries&pageSize=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("850760", Assert.Single(found.GetProperty("products").EnumerateArray()).GetProperty("hsCode").GetString());
        Assert.False(string.IsNullOrEmpty(found.GetProperty("nextPageToken").GetString()), "a second match is on the next page");

        var (productStatus, product) = await Send(HttpMethod.Get, "/v1/products/8507.60.00.20");
        Assert.Equal(HttpStatusCode.OK, productStatus);
        Assert.Equal(("850760", "8507"), (product.GetProperty("product").GetProperty("hsCode").GetString(), product.GetProperty("product").GetProperty("headingCode").GetString()));
    }

    [Fact]
    public async Task A_timeline_without_dates_is_400_naming_both()
    {
        var (status, body) = await Send(HttpMethod.Post, "/v1/duty:timeline", """{"importer":"US","origin":"CN","hsCode":"8507600020"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var badRequest = body.GetProperty("details").EnumerateArray().Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.BadRequest");
        Assert.Equal(["start_date", "end_date"], badRequest.GetProperty("fieldViolations").EnumerateArray().Select(v => v.GetProperty("field").GetString()));
    }

    [Theory]
    [InlineData("/v1/tariffMeasures/TAR-US-14", "tariffMeasure")]
    [InlineData("/v1/exportControls/EXC-CN-01", "exportControl")]
    [InlineData("/v1/truces/TRUCE-US-CN-2025", "truce")]
    public async Task A_record_is_read_by_id_from_the_path(string path, string field)
    {
        var (status, body) = await Send(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(path[(path.LastIndexOf('/') + 1)..], body.GetProperty(field).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Lists_take_their_filters_and_paging_as_query_parameters()
    {
        var (status, first) = await Send(HttpMethod.Get, "/v1/tariffMeasures?importer=US&origin=CN&pageSize=2");
        Assert.Equal(HttpStatusCode.OK, status);
        var page = first.GetProperty("tariffMeasures").EnumerateArray().ToList();
        Assert.Equal(2, page.Count);
        Assert.All(page, m => Assert.Equal("US", m.GetProperty("importer").GetString()));
        var token = first.GetProperty("nextPageToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));

        var (_, second) = await Send(HttpMethod.Get, $"/v1/tariffMeasures?importer=US&origin=CN&pageSize=2&pageToken={Uri.EscapeDataString(token)}");
        var next = second.GetProperty("tariffMeasures").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.NotEmpty(next);
        Assert.True(string.CompareOrdinal(page[1].GetProperty("id").GetString(), next[0]) < 0, "pages are ordered by id");

        var (exportsStatus, exports) = await Send(HttpMethod.Get, "/v1/exportControls?exporter=CN&asOf.year=2025&asOf.month=12&asOf.day=1&pageSize=1");
        Assert.Equal(HttpStatusCode.OK, exportsStatus);
        Assert.Equal("CN", Assert.Single(exports.GetProperty("exportControls").EnumerateArray()).GetProperty("exporter").GetString());
        var (trucesStatus, truces) = await Send(HttpMethod.Get, "/v1/truces?party=CN");
        Assert.Equal(HttpStatusCode.OK, trucesStatus);
        Assert.Contains("TRUCE-US-CN-2025", truces.GetProperty("truces").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Bad_input_is_400_with_the_google_rpc_status_naming_every_field()
    {
        var (status, body) = await Send(HttpMethod.Post, "/v1/duty:lookup", """{"importer":"USA","origin":"CN","hsCode":"85"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(3, body.GetProperty("code").GetInt32()); // INVALID_ARGUMENT
        var details = body.GetProperty("details").EnumerateArray().ToList();
        var info = details.Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.ErrorInfo");
        Assert.Equal("INVALID_ARGUMENT", info.GetProperty("reason").GetString());
        Assert.Equal("tradepolicy.v1", info.GetProperty("domain").GetString());
        var badRequest = details.Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.BadRequest");
        Assert.Equal(["importer", "hs_code"], badRequest.GetProperty("fieldViolations").EnumerateArray().Select(v => v.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task An_unknown_id_is_404_with_its_reason()
    {
        var (status, body) = await Send(HttpMethod.Get, "/v1/tariffMeasures/TAR-US-99");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(5, body.GetProperty("code").GetInt32()); // NOT_FOUND
        Assert.Equal("RESOURCE_NOT_FOUND", body.GetProperty("details")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_route_described_from_the_proto_comments()
    {
        var (status, doc) = await Send(HttpMethod.Get, "/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, status);
        var routes = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([
            "GET /v1/coverage", "GET /v1/exportControls", "GET /v1/exportControls/{id}", "GET /v1/products/{hsCode}", "GET /v1/products:search", "GET /v1/scheduledChanges", "GET /v1/tariffMeasures", "GET /v1/tariffMeasures/{id}", "GET /v1/truces",
            "GET /v1/truces/{id}", "POST /v1/duty:lookup", "POST /v1/duty:timeline", "POST /v1/exports:check", "POST /v1/exports:timeline",
            "POST /v1/truces:status",
        ], routes);
        Assert.Equal("Every additional duty in force for a product between two jurisdictions on a date, and why.",
            doc.GetProperty("paths").GetProperty("/v1/duty:lookup").GetProperty("post").GetProperty("summary").GetString());
        Assert.StartsWith("Importing jurisdiction, ISO 3166-1 alpha-2",
            doc.GetProperty("components").GetProperty("schemas").GetProperty("LookupDutyRequest").GetProperty("properties").GetProperty("importer").GetProperty("description").GetString(),
            StringComparison.Ordinal);
        Assert.Equal("Status", doc.GetProperty("paths").GetProperty("/v1/duty:lookup").GetProperty("post").GetProperty("responses").GetProperty("default")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1]);
    }

    [Fact]
    public async Task An_interactive_reference_page_reads_that_document()
    {
        using var response = await fixture.Http.GetAsync("/openapi/index.html", Ct);
        var page = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", page, StringComparison.Ordinal);
        using var config = await fixture.Http.GetAsync("/openapi/index.js", Ct);
        Assert.Contains("/openapi/v1.json", await config.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
