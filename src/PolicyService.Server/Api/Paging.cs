using PolicyService.Server.Domain;

namespace PolicyService.Server.Api;

/// <summary>One page of a List RPC and the token of the next one ("" on the last page).</summary>
internal sealed record Page<T>(IReadOnlyList<T> Records, string NextPageToken);

internal static class Paging
{
    /// <summary>
    /// Reads the page after the request's token: one record more than the page holds is asked for, so a full page
    /// knows whether another follows. The token is bound to <paramref name="binding"/> (filters and known_at).
    /// </summary>
    public static Task<Page<T>> ReadPageAsync<T>(this RequestValidation v, string pageToken, int pageSize, string binding,
        Func<string, int, Task<IReadOnlyList<T>>> list) where T : IPolicyRecord =>
        v.ReadPageAsync(pageToken, pageSize, binding, list, r => r.Id);

    /// <param name="keyOf">The key the list is ordered by, which the next page continues after.</param>
    public static async Task<Page<T>> ReadPageAsync<T>(this RequestValidation v, string pageToken, int pageSize, string binding,
        Func<string, int, Task<IReadOnlyList<T>>> list, Func<T, string> keyOf)
    {
        var after = PageToken.Read(pageToken, binding, v);
        v.ThrowIfInvalid();
        var records = await list(after, pageSize + 1);
        return records.Count > pageSize
            ? new([.. records.Take(pageSize)], PageToken.Create(keyOf(records[pageSize - 1]), binding))
            : new(records, "");
    }
}
