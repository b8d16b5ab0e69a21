namespace PolicyService.Server.Storage;

/// <summary>
/// Sources, the truce of each term, and the reviewed-through date, held in memory. These rows are only ever added,
/// never changed, so a cached copy stays correct across replicas: a key it lacks triggers one reload.
/// </summary>
public sealed class ReferenceCatalog(IPolicyStore store) : IDisposable
{
    private volatile ReferenceData? _data;
    private readonly SemaphoreSlim _reload = new(1, 1);

    public async ValueTask<ReferenceData> GetAsync(CancellationToken ct) => _data ?? await ReloadAsync(ct);

    /// <summary>The catalog, reloaded first if any of the given source or term ids is unknown to the cached copy.</summary>
    public async ValueTask<ReferenceData> GetAsync(IEnumerable<string> sourceIds, IEnumerable<string> termIds, CancellationToken ct)
    {
        var data = await GetAsync(ct);
        return sourceIds.All(data.Sources.ContainsKey) && termIds.All(data.TruceIdByTerm.ContainsKey) ? data : await ReloadAsync(ct);
    }

    private async Task<ReferenceData> ReloadAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            return _data = await store.LoadReferenceDataAsync(ct)
                ?? throw new StoreUnavailableException("No policy data has been loaded yet.", new InvalidOperationException("dataset_info is empty"));
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();
}
