using PolicyService.Server.Domain;
using PolicyService.Server.Queries;

namespace PolicyService.Server.Storage;

public sealed record TariffFilter(string? Importer, string? Origin, string? HsCode, DateOnly? AsOf);

public sealed record ExportFilter(string? Exporter, string? Destination, ExportItem? Item, DateOnly? AsOf);

public sealed record TruceFilter(string? Party, DateOnly? AsOf);

/// <summary>Slow-changing data every answer needs: cached in memory, reloaded when a key is missing.</summary>
public sealed record ReferenceData(
    DateOnly ReviewedThrough,
    IReadOnlyDictionary<string, Source> Sources,
    IReadOnlyDictionary<string, string> TruceIdByTerm);

/// <summary>
/// Reads and writes policy data. Every read is one database round trip; lists page by id after <c>after</c>
/// and return up to <c>take</c> records.
/// </summary>
public interface IPolicyStore
{
    Task<IReadOnlyList<TariffMeasure>> FindTariffCandidatesAsync(string importer, string origin, string hsCode, CancellationToken ct);

    Task<TariffMeasure?> GetTariffMeasureAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<TariffMeasure>> ListTariffMeasuresAsync(TariffFilter filter, string after, int take, CancellationToken ct);

    Task<IReadOnlyList<ExportControl>> FindExportCandidatesAsync(string exporter, string destination, ExportItem item, CancellationToken ct);

    Task<ExportControl?> GetExportControlAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<ExportControl>> ListExportControlsAsync(ExportFilter filter, string after, int take, CancellationToken ct);

    Task<IReadOnlyList<TruceBundle>> FindTrucesAsync(string partyA, string partyB, CancellationToken ct);

    Task<Truce?> GetTruceAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<Truce>> ListTrucesAsync(TruceFilter filter, string after, int take, CancellationToken ct);

    /// <summary>Null when no dataset has been loaded yet.</summary>
    Task<ReferenceData?> LoadReferenceDataAsync(CancellationToken ct);

    /// <summary>Writes a whole dataset in one transaction: all of it or nothing.</summary>
    Task ImportAsync(PolicyDataset dataset, CancellationToken ct);

    /// <summary>Throws <see cref="StoreUnavailableException"/> when the database cannot be reached.</summary>
    Task PingAsync(CancellationToken ct);
}
