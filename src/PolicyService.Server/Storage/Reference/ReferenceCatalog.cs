using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

/// <summary>
/// Sources, the truce of each term, and the coverage history, held in memory. They are append-only, so a cached copy is
/// never wrong, only possibly incomplete: a key it lacks triggers a reload, and <see cref="SnapshotRefresher"/> reloads
/// it with every batch of changes it applies (of any replica), before it publishes the snapshot.
/// </summary>
public sealed class ReferenceCatalog(IPolicyStore store) : IDisposable
{
    private volatile ReferenceData? _data;
    private readonly SemaphoreSlim _reload = new(1, 1);

    public ReferenceData? Current => _data;

    public async ValueTask<ReferenceData> GetAsync(CancellationToken ct) => _data ?? await ReloadAsync(ct);

    /// <summary>The catalog, reloaded first if any of the given source or term ids is unknown to the cached copy.</summary>
    public async ValueTask<ReferenceData> GetAsync(IEnumerable<string> sourceIds, IEnumerable<string> termIds, CancellationToken ct)
    {
        var data = await GetAsync(ct);
        return sourceIds.All(data.Sources.ContainsKey) && termIds.All(data.TruceIdByTerm.ContainsKey) ? data : await ReloadAsync(ct);
    }

    public async Task<ReferenceData> ReloadAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            return _data = await store.LoadReferenceDataAsync(ct)
                ?? throw new StoreUnavailableException("No policy data has been loaded yet.", new InvalidOperationException("coverage is empty"));
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();
}
