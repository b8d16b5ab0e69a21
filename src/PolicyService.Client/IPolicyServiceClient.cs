using TradePolicy.V1;

namespace PolicyService.Client;

/// <summary>
/// The everyday PolicyService questions. Each answer is the service's own message, reasons and sources included.
/// Failures are <see cref="Grpc.Core.RpcException"/>s; <see cref="PolicyServiceErrors"/> reads their details.
/// </summary>
public interface IPolicyServiceClient
{
    /// <summary>Every additional duty in force for a product between two jurisdictions on a date, with the total and why.</summary>
    /// <param name="importer">Importing jurisdiction, ISO 3166-1 alpha-2 (e.g. <c>US</c>).</param>
    /// <param name="origin">Origin jurisdiction, ISO 3166-1 alpha-2 (e.g. <c>CN</c>).</param>
    /// <param name="hsCode">HS code of 6 to 10 digits; dots and spaces are ignored (e.g. <c>8507.60.00.20</c>).</param>
    /// <param name="asOf">The date of the question; <see langword="null"/> means today (UTC) at the server.</param>
    /// <param name="view">How much of the answer to send: <c>Full</c> (the default) for people, <c>Basic</c> for callers that price at volume (ids, rates, dates; sources by id).</param>
    /// <param name="scenario">A what-if for this call only (a truce lapses, an announced measure takes effect); <see langword="null"/>: the enacted data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The layers, their total (<see cref="PolicyDecimal.GetTotalAdValoremPercent(LookupDutyResponse)"/>), announced measures and truce effects.</returns>
    Task<LookupDutyResponse> LookupDutyAsync(string importer, string origin, string hsCode, DateOnly? asOf = null, DutyView view = DutyView.Full, Scenario? scenario = null, CancellationToken cancellationToken = default);

    /// <summary>The export controls that apply to an item from one jurisdiction to another on a date, and whether a licence is required.</summary>
    /// <param name="exporter">Exporting (imposing) jurisdiction, ISO 3166-1 alpha-2.</param>
    /// <param name="destination">Destination jurisdiction, ISO 3166-1 alpha-2.</param>
    /// <param name="item">An HS code of 6 to 10 digits, or a named item such as <c>gallium</c>.</param>
    /// <param name="asOf">The date of the question; <see langword="null"/> means today (UTC) at the server.</param>
    /// <param name="view">How much of the answer to send: <c>Full</c> (the default) for people, <c>Basic</c> for callers that price at volume (ids, rates, dates; sources by id).</param>
    /// <param name="scenario">A what-if for this call only (a truce lapses, an announced measure takes effect); <see langword="null"/>: the enacted data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The controls in force, suspended and announced, and the licence and prohibition flags.</returns>
    Task<CheckExportResponse> CheckExportAsync(string exporter, string destination, string item, DateOnly? asOf = null, ExportView view = ExportView.Full, Scenario? scenario = null, CancellationToken cancellationToken = default);

    /// <summary>The truces in force between two parties on a date, and what resumes when each ends.</summary>
    /// <param name="partyA">One party, ISO 3166-1 alpha-2.</param>
    /// <param name="partyB">The other party, ISO 3166-1 alpha-2.</param>
    /// <param name="asOf">The date of the question; <see langword="null"/> means today (UTC) at the server.</param>
    /// <param name="view">How much of the answer to send: <c>Full</c> (the default) for people, <c>Basic</c> for callers that price at volume (ids, rates, dates; sources by id).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The truces in force, each with its expiry and the measures that resume after it.</returns>
    Task<GetTruceStatusResponse> GetTruceStatusAsync(string partyA, string partyB, DateOnly? asOf = null, TruceView view = TruceView.Full, CancellationToken cancellationToken = default);

    /// <summary>The duty on a product between two dates as segments over which the answer stays the same, with what changes at each boundary.</summary>
    /// <param name="importer">Importing jurisdiction, ISO 3166-1 alpha-2 (e.g. <c>US</c>).</param>
    /// <param name="origin">Origin jurisdiction, ISO 3166-1 alpha-2 (e.g. <c>CN</c>).</param>
    /// <param name="hsCode">HS code of 6 to 10 digits; dots and spaces are ignored (e.g. <c>8507.60.00.20</c>).</param>
    /// <param name="startDate">The first day of the timeline.</param>
    /// <param name="endDate">The first day after the timeline: later than <paramref name="startDate"/>, at most 20 years after it.</param>
    /// <param name="scenario">A what-if for this call only (a truce lapses, an announced measure takes effect); <see langword="null"/>: the enacted data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The segments in date order, each with its total, layers and the changes at its start.</returns>
    Task<GetDutyTimelineResponse> GetDutyTimelineAsync(string importer, string origin, string hsCode, DateOnly startDate, DateOnly endDate, Scenario? scenario = null, CancellationToken cancellationToken = default);

    /// <summary>The export outcome for an item between two dates as segments over which it stays the same, with what changes at each boundary.</summary>
    /// <param name="exporter">Exporting (imposing) jurisdiction, ISO 3166-1 alpha-2.</param>
    /// <param name="destination">Destination jurisdiction, ISO 3166-1 alpha-2.</param>
    /// <param name="item">An HS code of 6 to 10 digits, or a named item such as <c>gallium</c>.</param>
    /// <param name="startDate">The first day of the timeline.</param>
    /// <param name="endDate">The first day after the timeline: later than <paramref name="startDate"/>, at most 20 years after it.</param>
    /// <param name="scenario">A what-if for this call only (a truce lapses, an announced measure takes effect); <see langword="null"/>: the enacted data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The segments in date order, each with the licence and prohibition flags, the matched controls and the changes at its start.</returns>
    Task<GetExportTimelineResponse> GetExportTimelineAsync(string exporter, string destination, string item, DateOnly startDate, DateOnly endDate, Scenario? scenario = null, CancellationToken cancellationToken = default);
}
