namespace PolicyService.Server.Domain;

// Plain records of the domain. The seed file deserialises straight into them (camelCase JSON),
// the stores read and write them, and the queries compute answers from them.

/// <summary>
/// When and why the service learned this version of a record. Every change appends a version; none is overwritten.
/// Null for records not yet stored (e.g. read from the seed file).
/// </summary>
public sealed record RecordInfo(int Version, DateTime RecordedTime, string RecordedBy, string Reason)
{
    /// <summary>The version as an opaque concurrency token.</summary>
    public string Etag => Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A stored record: a tariff measure, an export control or a truce, each appended as versions.</summary>
public interface IPolicyRecord
{
    string Id { get; }

    /// <summary>"tariff_measure", "export_control" or "truce": the record's kind as the change log names it.</summary>
    string ResourceType { get; }

    RecordInfo? Recorded { get; }

    IReadOnlyList<string> SourceIds { get; }
}

/// <summary>The kinds of record, by the names the change log and the API use.</summary>
public static class ResourceTypes
{
    public const string TariffMeasure = "tariff_measure";
    public const string ExportControl = "export_control";
    public const string Truce = "truce";
}

/// <summary>A document a record is traced to.</summary>
public sealed record Source(string Id, string Title, IReadOnlyList<string> Urls);

/// <summary>
/// HS prefixes a measure covers, minus exclusions; <c>AllProducts</c> covers every code. <c>ExcludedHsPrefixes</c> are
/// excluded for the measure's whole life; <c>DatedExclusions</c> only over their own period (null reads as none).
/// </summary>
public sealed record ProductScope(
    bool AllProducts,
    IReadOnlyList<string> HsPrefixes,
    IReadOnlyList<string> ExcludedHsPrefixes,
    string Description,
    string MappingNote = "",
    IReadOnlyList<ScopeExclusion>? DatedExclusions = null)
{
    /// <summary>Exclusions with a period and a basis; empty, never null, so the seed file may leave them out.</summary>
    public IReadOnlyList<ScopeExclusion> DatedExclusions { get; init; } = DatedExclusions ?? [];

    /// <summary>The prefixes lookups find this scope under; "" is the key of an all-products scope, which every lookup asks for.</summary>
    public IEnumerable<string> Keys() =>
        (AllProducts ? [""] : Enumerable.Empty<string>()).Concat(HsPrefixes).Distinct(StringComparer.Ordinal);
}

/// <summary>
/// A prefix carved out of a scope over the half-open period [StartDate, EndDate): null start = from the measure's start,
/// null end = open. <c>Basis</c> says why, e.g. "ag-2025-11" with the line of the legal text it comes from.
/// </summary>
public sealed record ScopeExclusion(string HsPrefix, DateOnly? StartDate, DateOnly? EndDate, string Basis)
{
    /// <summary>True when the exclusion removes codes on the date.</summary>
    public bool InForceOn(DateOnly date) => (StartDate is not { } start || start <= date) && (EndDate is not { } end || date < end);

    /// <summary>The period in words, e.g. "from 2025-11-13 to 2026-02-23" (the last day excluded), for answers.</summary>
    public string PeriodText() => (StartDate, EndDate) switch
    {
        (null, null) => "for the measure's whole term",
        ({ } s, null) => $"from {s:yyyy-MM-dd}",
        (null, { } e) => $"until {e.AddDays(-1):yyyy-MM-dd}",
        ({ } s, { } e) => $"from {s:yyyy-MM-dd} to {e.AddDays(-1):yyyy-MM-dd}",
    };
}

/// <summary>One period of a tariff measure over the half-open interval [StartDate, EndDate).</summary>
public sealed record TariffPeriod(
    string RecordId,
    DateOnly StartDate,
    DateOnly? EndDate,
    PeriodStatus Status,
    decimal? AdValoremPercent,
    string RateDescription,
    string LegalInstrument,
    decimal? SuspendedPercent,
    DateOnly? SuspendedUntil,
    string? TruceTermId,
    string Note,
    Confidence Confidence) : IPeriod
{
    /// <summary>What <see cref="AdValoremPercent"/> is charged on; full value for data recorded before bases were kept.</summary>
    public RateBasis RateBasis { get; init; } = RateBasis.FullValue;

    /// <summary>What must hold for the duty to apply (a metal share of the weight, an end-use, a top-up to a floor); empty: unconditional.</summary>
    public IReadOnlyList<string> Conditions { get; init; } = [];

    /// <summary>A rate that can be priced from the customs value alone: on the full value and without conditions.</summary>
    public bool OnFullValueUnconditionally => RateBasis == RateBasis.FullValue && Conditions.Count == 0;
}

/// <summary>"When measure <c>MeasureId</c> applies, it excludes this one" (or, by <c>Effect</c>, leaves it only the non-metal part) — a stacking rule kept as data.</summary>
public sealed record StackingExclusion(string MeasureId, string Reason, StackingEffect Effect = StackingEffect.Exclude);

public sealed record TariffMeasure(
    string Id,
    string Importer,
    IReadOnlyList<string> Origins,
    bool AllOrigins,
    string Title,
    TariffKind Kind,
    ProductScope Scope,
    string LegalInstrument,
    Confidence Confidence,
    string Notes,
    IReadOnlyList<string> SourceIds,
    IReadOnlyList<TariffPeriod> Periods,
    IReadOnlyList<StackingExclusion> ExcludedBy,
    RecordInfo? Recorded = null) : IPolicyRecord
{
    public string ResourceType => ResourceTypes.TariffMeasure;
}

public sealed record ControlledItem(string Name, string ControlCode, IReadOnlyList<string> HsCodes);

public sealed record ControlPeriod(
    string RecordId,
    DateOnly StartDate,
    DateOnly? EndDate,
    PeriodStatus Status,
    string LegalInstrument,
    DateOnly? SuspendedUntil,
    string? TruceTermId,
    string Note,
    Confidence Confidence) : IPeriod;

public sealed record ExportControl(
    string Id,
    string Exporter,
    IReadOnlyList<string> Destinations,
    bool AllDestinations,
    string Title,
    ExportControlType ControlType,
    ProductScope Scope,
    IReadOnlyList<ControlledItem> Items,
    IReadOnlyList<string> Rules,
    string LegalInstrument,
    Confidence Confidence,
    string Notes,
    IReadOnlyList<string> SourceIds,
    IReadOnlyList<ControlPeriod> Periods,
    RecordInfo? Recorded = null) : IPolicyRecord
{
    public string ResourceType => ResourceTypes.ExportControl;
}

/// <summary>One validity window of a truce: the original term or an extension, [StartDate, ExpiryDate).</summary>
public sealed record TruceExtension(string RecordId, DateOnly StartDate, DateOnly ExpiryDate, string LegalInstrument, string Note);

public sealed record PurchaseCommitment(string Commodity, string HsPrefix, decimal Quantity, string Unit, DateOnly StartDate, DateOnly EndDate);

public sealed record TruceTerm(
    string Id,
    IReadOnlyList<string> CommittingParties,
    TruceTermType TermType,
    string Scope,
    string Description,
    string LegalInstrument,
    DateOnly? AnnouncedDate,
    DateOnly? EffectiveDate,
    string StatusNote,
    IReadOnlyList<string> MeasureIds,
    IReadOnlyList<PurchaseCommitment> Purchases,
    IReadOnlyList<string> SourceIds,
    Confidence Confidence);

public sealed record PolicyEvent(
    string Id,
    DateOnly Date,
    IReadOnlyList<string> Actors,
    string Subject,
    string Description,
    IReadOnlyList<string> SourceIds,
    Confidence Confidence);

public sealed record Truce(
    string Id,
    IReadOnlyList<string> Parties,
    string Title,
    DateOnly ConcludedDate,
    DateOnly EffectiveDate,
    Confidence Confidence,
    string Notes,
    IReadOnlyList<string> SourceIds,
    IReadOnlyList<TruceExtension> Extensions,
    IReadOnlyList<TruceTerm> Terms,
    IReadOnlyList<PolicyEvent> Events,
    RecordInfo? Recorded = null) : IPolicyRecord
{
    public string ResourceType => ResourceTypes.Truce;
}

/// <summary>Everything the service knows, as loaded in one transaction (the seed file is one).</summary>
public sealed record PolicyDataset(
    DateOnly ReviewedThrough,
    IReadOnlyList<Source> Sources,
    IReadOnlyList<TariffMeasure> TariffMeasures,
    IReadOnlyList<ExportControl> ExportControls,
    IReadOnlyList<Truce> Truces);
