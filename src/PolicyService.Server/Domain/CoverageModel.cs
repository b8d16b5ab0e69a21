namespace PolicyService.Server.Domain;

/// <summary>
/// What the data covers, versioned like a record: which importers' tariff measures (for which origins, of which duty
/// kinds), which exporters' controls (for which destinations), which truce parties, and through when each was reviewed.
/// An answer outside it must say so: a request the data does not cover lists nothing because nothing is held.
/// </summary>
public sealed record CoverageModel(
    IReadOnlyList<TariffCoverage> Tariffs,
    IReadOnlyList<ExportCoverage> ExportControls,
    IReadOnlyList<TruceCoverage> Truces,
    RecordInfo? Recorded = null)
{
    public const string ResourceType = "coverage";

    /// <summary>The change log's resource id of the one coverage model.</summary>
    public const string ResourceId = "coverage";

    /// <summary>A database with no model recorded yet covers nothing.</summary>
    public static readonly CoverageModel Empty = new([], [], []);
}

/// <param name="Origins">Origins whose every measure was reviewed: those naming them and those on all origins.</param>
/// <param name="AllOriginMeasures">The importer's measures on all origins are held whatever the origin.</param>
/// <param name="ReviewedThrough">Null: reviewed with the whole data.</param>
public sealed record TariffCoverage(string Importer, IReadOnlyList<string> Origins, bool AllOriginMeasures,
    IReadOnlyList<TariffKind> Kinds, DateOnly? ReviewedThrough, string Note);

/// <param name="Destinations">Destinations whose every control was reviewed: those naming them and those on all destinations.</param>
/// <param name="AllDestinationControls">The exporter's controls on every destination are held whatever the destination.</param>
public sealed record ExportCoverage(string Exporter, IReadOnlyList<string> Destinations, bool AllDestinationControls,
    DateOnly? ReviewedThrough, string Note);

/// <summary>A pair of truce parties, in either order.</summary>
public sealed record TruceCoverage(string PartyA, string PartyB, DateOnly? ReviewedThrough, string Note)
{
    public bool Is(string a, string b) => (PartyA == a && PartyB == b) || (PartyA == b && PartyB == a);
}
