using PolicyService.Server.Domain;

namespace PolicyService.Server.Storage;

/// <summary>One reviewed-through date and when it was recorded.</summary>
public sealed record CoverageEntry(DateTime RecordedTime, DateOnly ReviewedThrough);

/// <summary>Slow-changing, append-only data every answer needs: cached in memory (see <see cref="ReferenceCatalog"/>).</summary>
public sealed record ReferenceData(
    IReadOnlyList<CoverageEntry> Coverage,
    IReadOnlyDictionary<string, Source> Sources,
    IReadOnlyDictionary<string, string> TruceIdByTerm,
    long LatestChange,
    IReadOnlyList<CoverageModel> CoverageModels)
{
    /// <summary>
    /// The coverage model the service knew at <paramref name="knownAt"/>. Before the first model was recorded the data
    /// was the same, only its scope unstated: the first model describes it.
    /// </summary>
    public CoverageModel CoverageModel(DateTime knownAt) =>
        CoverageModels.LastOrDefault(m => m.Recorded!.RecordedTime <= knownAt) ?? (CoverageModels.Count > 0 ? CoverageModels[0] : Domain.CoverageModel.Empty);

    /// <summary>The reviewed-through date the service knew at <paramref name="knownAt"/>.</summary>
    public DateOnly ReviewedThrough(DateTime knownAt) =>
        Coverage.LastOrDefault(c => c.RecordedTime <= knownAt)?.ReviewedThrough ?? Coverage[0].ReviewedThrough;

    /// <summary>This catalog with sources added (those a change set just wrote, before a reload has seen them).</summary>
    public ReferenceData WithSources(IEnumerable<Source> added)
    {
        var sources = new Dictionary<string, Source>(Sources, StringComparer.Ordinal);
        foreach (var source in added) sources.TryAdd(source.Id, source);
        return this with { Sources = sources };
    }
}
