using PolicyService.Server.Api;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Tests.Api;

/// <summary>
/// The paging of every List RPC: each page asks the store for the records after the token's key. Walked here over a
/// list in key order (what each store's list statement returns), so a token that skips or repeats a record at a page
/// boundary shows up as a missing or doubled key.
/// </summary>
public class PagingTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(1, 23).Select(i => $"REC-{i:D2}")];

    private static Task<IReadOnlyList<string>> After(string after, int take) =>
        Task.FromResult<IReadOnlyList<string>>([.. Keys.Where(k => string.CompareOrdinal(k, after) > 0).Take(take)]);

    private static async Task<(List<string> Seen, int Pages)> Walk(int pageSize, string binding = "list.v1")
    {
        var seen = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var v = new RequestValidation();
            var page = await v.ReadPageAsync(token, pageSize, binding, After, k => k);
            v.ThrowIfInvalid();
            Assert.True(page.Records.Count <= pageSize, $"a page of {page.Records.Count} records for a page size of {pageSize}");
            seen.AddRange(page.Records);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages <= Keys.Length + 1);
        return (seen, pages);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(1000)]
    public async Task Walking_every_page_returns_every_record_once_in_order(int pageSize)
    {
        var (seen, pages) = await Walk(pageSize);
        Assert.Equal(Keys, seen);
        // Full pages, then the rest: the last page is the first one that is not full (23 is a whole page and says so).
        Assert.Equal(Math.Max(1, (Keys.Length + pageSize - 1) / pageSize), pages);
    }

    [Fact]
    public async Task A_page_that_ends_exactly_at_the_last_record_has_no_next_token()
    {
        var v = new RequestValidation();
        var page = await v.ReadPageAsync("", Keys.Length, "list.v1", After, k => k);
        Assert.Equal(Keys, page.Records);
        Assert.Equal("", page.NextPageToken);
    }

    [Fact]
    public async Task The_next_token_continues_after_the_last_record_of_the_page()
    {
        var v = new RequestValidation();
        var first = await v.ReadPageAsync("", 5, "list.v1", After, k => k);
        Assert.Equal(["REC-01", "REC-02", "REC-03", "REC-04", "REC-05"], first.Records);
        Assert.Equal("REC-05", PageToken.Read(first.NextPageToken, "list.v1", v));
        v.ThrowIfInvalid();
    }

    [Fact]
    public async Task A_token_of_another_binding_is_refused_before_the_store_is_read()
    {
        var v = new RequestValidation();
        var first = await v.ReadPageAsync("", 5, "list.v1", After, k => k);
        var read = false;
        var refusing = new RequestValidation();
        await Assert.ThrowsAsync<InvalidRequestException>(() => refusing.ReadPageAsync(first.NextPageToken, 5, "list.v2",
            (a, t) => { read = true; return After(a, t); }, k => k));
        Assert.False(read);
    }
}
