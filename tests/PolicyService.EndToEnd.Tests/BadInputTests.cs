using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>Run on every storage provider: see the concrete classes at the end of the file.</summary>
public abstract class BadInputTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    private static async Task<RpcException> Fails(Func<Task> call, StatusCode code)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        Assert.DoesNotContain("   at ", e.Status.Detail, StringComparison.Ordinal); // no stack trace
        return e;
    }

    private Task<RpcException> Lookup(string importer, string origin, string hs, Google.Type.Date? asOf = null) =>
        Fails(() => fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = importer, Origin = origin, HsCode = hs, AsOf = asOf }, deadline: Deadline).ResponseAsync,
            StatusCode.InvalidArgument);

    [Theory]
    [InlineData("USA", "CN", "850760", "importer")]
    [InlineData("XX", "CN", "850760", "importer")]
    [InlineData("US", "", "850760", "origin")]
    [InlineData("US", "C1", "850760", "origin")]
    [InlineData("US", "CN", "8507", "hs_code")]
    [InlineData("US", "CN", "85076000201", "hs_code")]
    [InlineData("US", "CN", "8507-60", "hs_code")]
    public async Task Malformed_fields_are_invalid_argument_naming_the_field(string importer, string origin, string hs, string field)
    {
        var e = await Lookup(importer, origin, hs);
        Assert.Equal([field], e.ViolatedFields());
        Assert.Equal("INVALID_ARGUMENT", e.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task Impossible_dates_are_invalid_argument_on_as_of()
    {
        var e = await Lookup("US", "CN", "850760", new Google.Type.Date { Year = 2025, Month = 2, Day = 30 });
        Assert.Equal(["as_of"], e.ViolatedFields());
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var e = await Lookup("USA", "CHN", "85");
        Assert.Equal(["importer", "origin", "hs_code"], e.ViolatedFields());
    }

    [Fact]
    public async Task Export_checks_reject_items_that_are_neither_codes_nor_names()
    {
        var e = await Fails(() => fixture.ExportControls.CheckExportAsync(
            new CheckExportRequest { Exporter = "CN", Destination = "US", Item = "1234" }, deadline: Deadline).ResponseAsync, StatusCode.InvalidArgument);
        Assert.Equal(["item"], e.ViolatedFields());
    }

    [Fact]
    public async Task Truce_status_names_the_bad_party()
    {
        var e = await Fails(() => fixture.Truces.GetTruceStatusAsync(
            new GetTruceStatusRequest { PartyA = "US", PartyB = "China" }, deadline: Deadline).ResponseAsync, StatusCode.InvalidArgument);
        Assert.Equal(["party_b"], e.ViolatedFields());
    }

    [Fact]
    public async Task A_negative_page_size_is_invalid_argument()
    {
        var e = await Fails(() => fixture.Tariffs.ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = -1 }, deadline: Deadline).ResponseAsync,
            StatusCode.InvalidArgument);
        Assert.Equal(["page_size"], e.ViolatedFields());
    }

    [Fact]
    public async Task A_tampered_page_token_is_invalid_argument()
    {
        var first = await fixture.Tariffs.ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = 2 }, deadline: Deadline);
        Assert.NotEmpty(first.NextPageToken);
        var tampered = first.NextPageToken[..^2] + (first.NextPageToken[^2] == 'A' ? "B" : "A") + first.NextPageToken[^1];
        var e = await Fails(() => fixture.Tariffs.ListTariffMeasuresAsync(
            new ListTariffMeasuresRequest { PageSize = 2, PageToken = tampered }, deadline: Deadline).ResponseAsync, StatusCode.InvalidArgument);
        Assert.Equal(["page_token"], e.ViolatedFields());

        var otherFilters = await Fails(() => fixture.Tariffs.ListTariffMeasuresAsync(
            new ListTariffMeasuresRequest { PageSize = 2, Importer = "CN", PageToken = first.NextPageToken }, deadline: Deadline).ResponseAsync,
            StatusCode.InvalidArgument);
        Assert.Equal(["page_token"], otherFilters.ViolatedFields());
    }

    [Fact]
    public async Task Unknown_ids_are_not_found()
    {
        var tariff = await Fails(() => fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-99" }, deadline: Deadline).ResponseAsync,
            StatusCode.NotFound);
        Assert.Equal("RESOURCE_NOT_FOUND", tariff.ErrorInfo()?.Reason);
        await Fails(() => fixture.ExportControls.GetExportControlAsync(new GetExportControlRequest { Id = "EXC-XX-01" }, deadline: Deadline).ResponseAsync,
            StatusCode.NotFound);
        await Fails(() => fixture.Truces.GetTruceAsync(new GetTruceRequest { Id = "nope" }, deadline: Deadline).ResponseAsync, StatusCode.NotFound);
    }

    [Fact]
    public async Task An_empty_id_is_invalid_argument()
    {
        var e = await Fails(() => fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = " " }, deadline: Deadline).ResponseAsync,
            StatusCode.InvalidArgument);
        Assert.Equal(["id"], e.ViolatedFields());
    }
}

public sealed class SqliteBadInputTests(ServerFixture fixture) : BadInputTests<ServerFixture>(fixture);

public sealed class SqlServerBadInputTests(SqlServerFixture fixture) : BadInputTests<SqlServerFixture>(fixture);

public class EchoedValueTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("importer")]
    [InlineData("hs_code")]
    public async Task A_long_bad_value_is_echoed_cut_to_64_characters_so_the_trailers_stay_small(string field)
    {
        var huge = new string('9', 20_000) + "x";
        var request = new LookupDutyRequest { Importer = field == "importer" ? huge : "US", Origin = "CN", HsCode = field == "hs_code" ? huge : "850760" };
        var call = fixture.Tariffs.LookupDutyAsync(request, deadline: Deadline);
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var description = e.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations.Single().Description;
        Assert.Contains("\"" + new string('9', 64) + "…\"", description, StringComparison.Ordinal);
        var trailerBytes = e.Trailers.Sum(t => t.Key.Length + (t.IsBinary ? t.ValueBytes.Length : t.Value.Length));
        Assert.True(trailerBytes < 2_000, $"{trailerBytes} bytes of trailers");
    }
}
