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
        Assert.DoesNotContain("TAR-US-17", ids); // its scope excludes the line: Li-ion batteries are reciprocal-exempt (Seed/README.md)
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
