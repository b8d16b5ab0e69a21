using TradePolicy.V1;

namespace PolicyService.Client;

/// <summary>
/// The facade over the generated clients that <c>AddPolicyServiceClient</c> registers. The generated clients stay
/// available through <see cref="Tariffs"/>, <see cref="ExportControls"/> and <see cref="Truces"/> for the other methods
/// (<c>Get…</c>, <c>List…</c>) and for per-call options such as an explicit deadline.
/// </summary>
/// <param name="tariffs">The TariffService client.</param>
/// <param name="exportControls">The ExportControlService client.</param>
/// <param name="truces">The TruceService client.</param>
public sealed class PolicyServiceClient(
    TariffService.TariffServiceClient tariffs,
    ExportControlService.ExportControlServiceClient exportControls,
    TruceService.TruceServiceClient truces) : IPolicyServiceClient
{
    /// <summary>The generated TariffService client, with this package's deadline, retry and credentials policy.</summary>
    public TariffService.TariffServiceClient Tariffs { get; } = tariffs ?? throw new ArgumentNullException(nameof(tariffs));

    /// <summary>The generated ExportControlService client, with this package's deadline, retry and credentials policy.</summary>
    public ExportControlService.ExportControlServiceClient ExportControls { get; } = exportControls ?? throw new ArgumentNullException(nameof(exportControls));

    /// <summary>The generated TruceService client, with this package's deadline, retry and credentials policy.</summary>
    public TruceService.TruceServiceClient Truces { get; } = truces ?? throw new ArgumentNullException(nameof(truces));

    /// <inheritdoc />
    public Task<LookupDutyResponse> LookupDutyAsync(string importer, string origin, string hsCode, DateOnly? asOf = null, DutyView view = DutyView.Full,
        Scenario? scenario = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(importer);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(hsCode);
        var request = new LookupDutyRequest { Importer = importer, Origin = origin, HsCode = hsCode, AsOf = asOf?.ToProtoDate(), View = view, Scenario = scenario };
        return Tariffs.LookupDutyAsync(request, cancellationToken: cancellationToken).ResponseAsync;
    }

    /// <inheritdoc />
    public Task<CheckExportResponse> CheckExportAsync(string exporter, string destination, string item, DateOnly? asOf = null, ExportView view = ExportView.Full,
        Scenario? scenario = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(item);
        var request = new CheckExportRequest { Exporter = exporter, Destination = destination, Item = item, AsOf = asOf?.ToProtoDate(), View = view, Scenario = scenario };
        return ExportControls.CheckExportAsync(request, cancellationToken: cancellationToken).ResponseAsync;
    }

    /// <inheritdoc />
    public Task<GetTruceStatusResponse> GetTruceStatusAsync(string partyA, string partyB, DateOnly? asOf = null, TruceView view = TruceView.Full,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partyA);
        ArgumentNullException.ThrowIfNull(partyB);
        var request = new GetTruceStatusRequest { PartyA = partyA, PartyB = partyB, AsOf = asOf?.ToProtoDate(), View = view };
        return Truces.GetTruceStatusAsync(request, cancellationToken: cancellationToken).ResponseAsync;
    }

    /// <inheritdoc />
    public Task<GetDutyTimelineResponse> GetDutyTimelineAsync(string importer, string origin, string hsCode, DateOnly startDate, DateOnly endDate,
        Scenario? scenario = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(importer);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(hsCode);
        var request = new GetDutyTimelineRequest { Importer = importer, Origin = origin, HsCode = hsCode, StartDate = startDate.ToProtoDate(), EndDate = endDate.ToProtoDate(), Scenario = scenario };
        return Tariffs.GetDutyTimelineAsync(request, cancellationToken: cancellationToken).ResponseAsync;
    }

    /// <inheritdoc />
    public Task<GetExportTimelineResponse> GetExportTimelineAsync(string exporter, string destination, string item, DateOnly startDate, DateOnly endDate,
        Scenario? scenario = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(item);
        var request = new GetExportTimelineRequest { Exporter = exporter, Destination = destination, Item = item, StartDate = startDate.ToProtoDate(), EndDate = endDate.ToProtoDate(), Scenario = scenario };
        return ExportControls.GetExportTimelineAsync(request, cancellationToken: cancellationToken).ResponseAsync;
    }
}
