using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

public class ResourceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_tariff_measure_comes_with_its_whole_history_and_sources()
    {
        var m = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-14" }, deadline: Deadline)).TariffMeasure;
        Assert.Equal(TariffKind.IeepaFentanyl, m.Kind);
        Assert.Equal(["TAR-US-14", "TAR-US-15", "TAR-US-16", "TAR-US-23"], m.Periods.Select(p => p.RecordId).Distinct());
        Assert.Contains(m.Sources, s => s.Id == "S07" && s.Urls.Count > 0);
        Assert.Equal(Confidence.Confirmed, m.Confidence);
    }

    [Fact]
    public async Task Paging_through_tariff_measures_returns_each_once_in_id_order()
    {
        var ids = new List<string>();
        var request = new ListTariffMeasuresRequest { Importer = "US", PageSize = 5 };
        do
        {
            var page = await fixture.Tariffs.ListTariffMeasuresAsync(request, deadline: Deadline);
            Assert.True(page.TariffMeasures.Count <= 5);
            ids.AddRange(page.TariffMeasures.Select(m => m.Id));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains("TAR-US-14", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("TAR-CN", StringComparison.Ordinal));
    }

    // Every List RPC walked page by page, at page sizes that put a boundary at each position, gives exactly the records
    // one unpaged call gives (and nothing twice): a token that skips or repeats a record at a boundary fails here.
    private async Task<List<string>> WalkTariffs(int pageSize, Google.Protobuf.WellKnownTypes.Timestamp? knownAt = null)
    {
        var ids = new List<string>();
        var request = new ListTariffMeasuresRequest { PageSize = pageSize, KnownAt = knownAt };
        do
        {
            var page = await fixture.Tariffs.ListTariffMeasuresAsync(request, deadline: Deadline);
            Assert.InRange(page.TariffMeasures.Count, page.NextPageToken.Length > 0 ? pageSize : 0, pageSize);
            ids.AddRange(page.TariffMeasures.Select(m => m.Id));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return ids;
    }

    private async Task<List<string>> WalkExportControls(int pageSize)
    {
        var ids = new List<string>();
        var request = new ListExportControlsRequest { PageSize = pageSize };
        do
        {
            var page = await fixture.ExportControls.ListExportControlsAsync(request, deadline: Deadline);
            Assert.InRange(page.ExportControls.Count, page.NextPageToken.Length > 0 ? pageSize : 0, pageSize);
            ids.AddRange(page.ExportControls.Select(c => c.Id));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return ids;
    }

    private async Task<List<string>> WalkTruces(int pageSize, string party = "")
    {
        var ids = new List<string>();
        var request = new ListTrucesRequest { PageSize = pageSize, Party = party };
        do
        {
            var page = await fixture.Truces.ListTrucesAsync(request, deadline: Deadline);
            Assert.InRange(page.Truces.Count, page.NextPageToken.Length > 0 ? pageSize : 0, pageSize);
            ids.AddRange(page.Truces.Select(t => t.Id));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return ids;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Walking_every_page_of_each_list_gives_the_whole_list_once_in_id_order(int pageSize)
    {
        var tariffs = (await fixture.Tariffs.ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = 1000 }, deadline: Deadline)).TariffMeasures.Select(m => m.Id).ToList();
        var controls = (await fixture.ExportControls.ListExportControlsAsync(new ListExportControlsRequest { PageSize = 1000 }, deadline: Deadline)).ExportControls.Select(c => c.Id).ToList();
        // Literal members of the seed and the 2026 update, so an empty or truncated full list cannot pass.
        Assert.Contains("TAR-US-04", tariffs);
        Assert.Contains("TAR-US-32", tariffs);
        Assert.Contains("TAR-CN-03", tariffs);
        Assert.Contains("EXC-CN-01", controls);
        Assert.Contains("EXC-US-01", controls);
        Assert.True(tariffs.Count > 3 * pageSize && controls.Count > 3 * pageSize, "the lists are long enough to have several pages");

        Assert.Equal(tariffs, await WalkTariffs(pageSize));
        Assert.Equal(controls, await WalkExportControls(pageSize));
        Assert.Equal(["TRUCE-US-CN-2025"], await WalkTruces(pageSize));
    }

    [Fact]
    public async Task A_list_of_one_truce_a_page_at_a_time_ends_after_it()
    {
        var first = await fixture.Truces.ListTrucesAsync(new ListTrucesRequest { PageSize = 1, Party = "US" }, deadline: Deadline);
        Assert.Equal(["TRUCE-US-CN-2025"], first.Truces.Select(t => t.Id));
        // One truce and a page of one: whether the page says "more" or not, the next page is empty and the walk ends.
        if (first.NextPageToken.Length > 0)
        {
            var next = await fixture.Truces.ListTrucesAsync(new ListTrucesRequest { PageSize = 1, Party = "US", PageToken = first.NextPageToken }, deadline: Deadline);
            Assert.Empty(next.Truces);
            Assert.Empty(next.NextPageToken);
        }
    }

    [Fact]
    public async Task Walking_the_pages_as_known_at_an_instant_gives_that_instant_s_whole_list()
    {
        var knownAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddSeconds(-1));
        var full = (await fixture.Tariffs.ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = 1000, KnownAt = knownAt }, deadline: Deadline))
            .TariffMeasures.Select(m => m.Id).ToList();
        Assert.Contains("TAR-US-14", full);
        Assert.Equal(full, await WalkTariffs(4, knownAt));
    }

    // A page token carries the known_at of the first request: continuing it as known at another instant (or as of now)
    // is refused on page_token, for every list.
    [Fact]
    public async Task A_page_token_is_refused_when_known_at_changes_between_pages()
    {
        var then = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddSeconds(-2));
        var other = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(then.ToDateTime().AddMilliseconds(1));

        var tariffs = await fixture.Tariffs.ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = 2, KnownAt = then }, deadline: Deadline);
        var controls = await fixture.ExportControls.ListExportControlsAsync(new ListExportControlsRequest { PageSize = 2, KnownAt = then }, deadline: Deadline);
        Assert.NotEmpty(tariffs.NextPageToken);
        Assert.NotEmpty(controls.NextPageToken);
        // The one truce fills a page of one, so that page has a token whenever a full page says "more".
        var truces = await fixture.Truces.ListTrucesAsync(new ListTrucesRequest { PageSize = 1, KnownAt = then }, deadline: Deadline);

        foreach (var knownAt in new[] { other, null })
        {
            await RefusedOnPageToken(() => fixture.Tariffs.ListTariffMeasuresAsync(
                new ListTariffMeasuresRequest { PageSize = 2, KnownAt = knownAt, PageToken = tariffs.NextPageToken }, deadline: Deadline).ResponseAsync);
            await RefusedOnPageToken(() => fixture.ExportControls.ListExportControlsAsync(
                new ListExportControlsRequest { PageSize = 2, KnownAt = knownAt, PageToken = controls.NextPageToken }, deadline: Deadline).ResponseAsync);
            if (truces.NextPageToken.Length > 0)
            {
                await RefusedOnPageToken(() => fixture.Truces.ListTrucesAsync(
                    new ListTrucesRequest { PageSize = 1, KnownAt = knownAt, PageToken = truces.NextPageToken }, deadline: Deadline).ResponseAsync);
            }
        }
        // Continued as known at the same instant, each goes on.
        await fixture.Tariffs.ListTariffMeasuresAsync(new ListTariffMeasuresRequest { PageSize = 2, KnownAt = then, PageToken = tariffs.NextPageToken }, deadline: Deadline);
        await fixture.ExportControls.ListExportControlsAsync(new ListExportControlsRequest { PageSize = 2, KnownAt = then, PageToken = controls.NextPageToken }, deadline: Deadline);
    }

    private static async Task RefusedOnPageToken(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(call);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["page_token"], e.ViolatedFields());
    }

    [Fact]
    public async Task Listing_filters_by_product_and_date()
    {
        var page = await fixture.Tariffs.ListTariffMeasuresAsync(new ListTariffMeasuresRequest
        {
            Importer = "US", Origin = "CN", HsCode = "8507600020", AsOf = Date("2025-11-15"), PageSize = 1000,
        }, deadline: Deadline);
        var ids = page.TariffMeasures.Select(m => m.Id).ToList();
        Assert.Contains("TAR-US-04", ids);
        Assert.Contains("TAR-US-14", ids);
        Assert.Contains("TAR-US-17", ids);       // no U.S. note exempts Li-ion batteries from the reciprocal duty (Seed/README.md)
        Assert.DoesNotContain("TAR-US-24", ids); // the Section 122 surcharge started in 2026
        Assert.Empty(page.NextPageToken);
    }

    [Fact]
    public async Task Export_controls_and_truces_are_listed_and_fetched_by_id()
    {
        var controls = await fixture.ExportControls.ListExportControlsAsync(new ListExportControlsRequest { Exporter = "CN", Item = "dysprosium" }, deadline: Deadline);
        Assert.Contains(controls.ExportControls, c => c.Id == "EXC-CN-06");
        var control = (await fixture.ExportControls.GetExportControlAsync(new GetExportControlRequest { Id = "EXC-CN-06" }, deadline: Deadline)).ExportControl;
        Assert.Contains(control.Items, i => i.Name == "dysprosium");

        var truces = await fixture.Truces.ListTrucesAsync(new ListTrucesRequest { Party = "CN", AsOf = Date("2025-11-15") }, deadline: Deadline);
        var truce = Assert.Single(truces.Truces);
        Assert.Equal(["TRU-01", "TRU-04", "TRU-15", "TRU-21"], truce.Extensions.Select(e => e.RecordId));   // TRU-21: reported only
        Assert.Equal(Date("2026-11-10"), truce.ExpiryDate);
        Assert.Equal(15, truce.Events.Count);   // 7 seeded, 8 from the 2026 update
        var soybeans = truce.Terms.Single(t => t.Id == "TRU-12").Purchases;
        Assert.Contains(soybeans, p => p.HsPrefix == "1201" && p.Quantity == "25000000");

        Assert.Empty((await fixture.Truces.ListTrucesAsync(new ListTrucesRequest { Party = "MX" }, deadline: Deadline)).Truces);
    }

    [Fact]
    public async Task Without_authentication_configured_everyone_sees_who_recorded_a_version_and_why()
    {
        var measure = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-04" }, deadline: Deadline)).TariffMeasure;
        Assert.Equal("seed", measure.Recorded.RecordedBy);
        Assert.NotEmpty(measure.Recorded.Reason);
    }
}
