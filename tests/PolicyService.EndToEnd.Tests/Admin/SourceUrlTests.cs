using Grpc.Core;
using TradePolicy.V1;

namespace PolicyService.EndToEnd.Tests.Admin;

/// <summary>A source's URL becomes a link on the analysts' page: only http and https URLs are accepted at write time.</summary>
public class SourceUrlTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("/relative/path")]
    public async Task A_record_whose_source_url_is_not_a_web_url_is_invalid_argument_naming_the_url(string url)
    {
        var measure = TestRecords.ToyDuty(TestRecords.NewId("URL"));
        measure.Sources[0].Id = TestRecords.NewId("S-URL");
        measure.Sources[0].Urls.Add(url); // after the valid https one: the index names the bad one

        var e = await Assert.ThrowsAsync<RpcException>(() => fixture.Admin.CreateTariffMeasureAsync(
            new CreateTariffMeasureRequest { TariffMeasure = measure, Reason = "bad link" }, fixture.Editor(), Calls.Deadline).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["tariff_measure.sources[0].urls[1]"], e.ViolatedFields());
    }

    [Fact]
    public async Task An_import_whose_source_url_is_not_a_web_url_is_invalid_argument_naming_the_url()
    {
        var request = new ImportChangesRequest { RequestId = Guid.NewGuid().ToString(), Reason = "bad link" };
        request.Sources.Add(new Source { Id = TestRecords.NewId("S-IMP"), Title = "A source", Urls = { "javascript:alert(1)" } });
        request.Changes.Add(new PolicyChange { CreateTariffMeasure = TestRecords.ToyDuty(TestRecords.NewId("IMP")) });

        var e = await Assert.ThrowsAsync<RpcException>(() => fixture.Admin.ImportAsync(request, fixture.Editor()));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("sources[0].urls[0]", e.ViolatedFields());
    }

    [Fact]
    public async Task An_https_source_url_is_recorded_as_given()
    {
        var measure = TestRecords.ToyDuty(TestRecords.NewId("URLOK"));
        measure.Sources[0].Id = TestRecords.NewId("S-OK");
        measure.Sources[0].Urls[0] = "https://www.federalregister.gov/d/2024-21217";

        await fixture.Admin.CreateTariffMeasureAsync(new CreateTariffMeasureRequest { TariffMeasure = measure, Reason = "good link" }, fixture.Editor(), Calls.Deadline);

        var source = await new SourceService.SourceServiceClient(fixture.Server.Channel).GetSourceAsync(new GetSourceRequest { Id = measure.Sources[0].Id }, deadline: Calls.Deadline);
        Assert.Equal(["https://www.federalregister.gov/d/2024-21217"], source.Source.Urls);
    }
}
