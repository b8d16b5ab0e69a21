using Grpc.Core;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>ProductService and the products carried by lookups, asked of the real server over HTTP/2.</summary>
public class ProductTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ProductService.ProductServiceClient Products => new(fixture.Server.Channel);

    private async Task<Product> Get(string code) => (await Products.GetProductAsync(new GetProductRequest { HsCode = code }, deadline: Deadline)).Product;

    private async Task<SearchProductsResponse> Search(string query, int pageSize = 0, string token = "") =>
        await Products.SearchProductsAsync(new SearchProductsRequest { Query = query, PageSize = pageSize, PageToken = token }, deadline: Deadline);

    private static async Task<RpcException> Fails(Func<Task> call, StatusCode code)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        return e;
    }

    [Fact]
    public async Task A_national_code_is_described_at_its_subheading_with_heading_and_chapter()
    {
        var p = await Get("8507.60.00.20");
        Assert.Equal(("850760", 6, "8507"), (p.HsCode, p.Level, p.ParentCode));
        Assert.Contains("lithium-ion", p.Description, StringComparison.Ordinal);
        Assert.Equal("8507", p.HeadingCode);
        Assert.StartsWith("Electric accumulators", p.HeadingDescription, StringComparison.Ordinal);
        Assert.Equal("85", p.ChapterCode);
        Assert.StartsWith("Electrical machinery", p.ChapterDescription, StringComparison.Ordinal);
        Assert.Equal("XVI", p.Section);
    }

    [Theory]
    [InlineData("1201", "1201", 4)]
    [InlineData("85", "85", 2)]
    [InlineData("2805.30", "280530", 6)]
    [InlineData("280599", "2805", 4)]   // not a subheading of HS 2022: its heading is the longest known level
    public async Task A_code_is_answered_at_its_longest_known_level(string asked, string code, int level)
    {
        var p = await Get(asked);
        Assert.Equal((code, level), (p.HsCode, p.Level));
    }

    [Fact]
    public async Task An_unknown_code_is_not_found() =>
        await Fails(async () => await Get("9903.88.15"), StatusCode.NotFound);

    [Theory]
    [InlineData("")]
    [InlineData("8507-60")]
    [InlineData("850")]
    [InlineData("85076000201")]
    [InlineData("lithium")]
    public async Task A_malformed_code_is_invalid_argument_naming_hs_code(string code)
    {
        var e = await Fails(async () => await Get(code), StatusCode.InvalidArgument);
        Assert.Equal(["hs_code"], e.ViolatedFields());
        Assert.Equal("INVALID_ARGUMENT", e.ErrorInfo()?.Reason);
    }

    [Theory]
    [InlineData("lithium-ion batteries", "850760")]
    [InlineData("soya beans", "1201")]
    [InlineData("8507.60", "850760")]
    public async Task Search_ranks_the_expected_product_first(string query, string first)
    {
        var r = await Search(query);
        Assert.Equal(first, r.Products[0].HsCode);
        Assert.NotEmpty(r.Products[0].ChapterDescription);
    }

    [Fact]
    public async Task Rare_earth_finds_the_metals_and_the_compounds()
    {
        var codes = (await Search("rare earth", 5)).Products.Select(p => p.HsCode).ToList();
        Assert.Contains("280530", codes);
        Assert.Contains("2846", codes);
    }

    [Fact]
    public async Task Search_pages_with_an_opaque_token_bound_to_the_query()
    {
        var all = (await Search("rare earth", 1000)).Products.Select(p => p.HsCode).ToList();
        Assert.True(all.Count > 4, $"only {all.Count} results");
        var first = await Search("rare earth", 2);
        Assert.Equal(all[..2], first.Products.Select(p => p.HsCode));
        Assert.NotEmpty(first.NextPageToken);
        var second = await Search("rare earth", 2, first.NextPageToken);
        Assert.Equal(all[2..4], second.Products.Select(p => p.HsCode));

        var reused = await Fails(async () => await Search("soya beans", 2, first.NextPageToken), StatusCode.InvalidArgument);
        Assert.Equal(["page_token"], reused.ViolatedFields());
        var forged = await Fails(async () => await Search("rare earth", 2, "bm90LWEtdG9rZW4"), StatusCode.InvalidArgument);
        Assert.Equal(["page_token"], forged.ViolatedFields());
    }

    [Fact]
    public async Task The_last_page_has_no_token_and_page_sizes_follow_the_list_rules()
    {
        var r = await Search("soya beans", 1000);
        Assert.Empty(r.NextPageToken);
        Assert.InRange(r.Products.Count, 1, 999);
        Assert.True((await Search("animals")).Products.Count <= 50);   // 0 means 50
        var e = await Fails(async () => await Search("soya", -1), StatusCode.InvalidArgument);
        Assert.Equal(["page_size"], e.ViolatedFields());
        var empty = await Fails(async () => await Search("  "), StatusCode.InvalidArgument);
        Assert.Equal(["query"], empty.ViolatedFields());
    }

    [Fact]
    public async Task A_duty_lookup_carries_the_product_asked_about()
    {
        var r = await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = "8507.60.00.20", AsOf = Date("2026-10-01") }, deadline: Deadline);
        Assert.Equal(("850760", "8507", "85"), (r.Product.HsCode, r.Product.HeadingCode, r.Product.ChapterCode));
    }

    [Fact]
    public async Task An_export_check_for_a_code_carries_the_product_and_one_for_a_named_item_does_not()
    {
        var byCode = await fixture.ExportControls.CheckExportAsync(new CheckExportRequest { Exporter = "CN", Destination = "US", Item = "2805.30", AsOf = Date("2026-10-01") }, deadline: Deadline);
        Assert.Equal(("280530", "2805"), (byCode.Product.HsCode, byCode.Product.HeadingCode));
        var byName = await fixture.ExportControls.CheckExportAsync(new CheckExportRequest { Exporter = "CN", Destination = "US", Item = "gallium", AsOf = Date("2026-10-01") }, deadline: Deadline);
        Assert.Null(byName.Product);
    }
}
