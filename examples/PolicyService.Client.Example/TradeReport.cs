using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PolicyService.Client;

namespace PolicyService.Client.Example;

/// <summary>What to ask: one product, one trading pair and one date.</summary>
public sealed class Questions
{
    public string Importer { get; set; } = "US";
    public string Origin { get; set; } = "CN";
    public string HsCode { get; set; } = "8507.60.00.20";
    public string ExportItem { get; set; } = "gallium";
    public DateOnly? AsOf { get; set; }
}

/// <summary>Asks PolicyService one question of each kind and prints the answers, or why there is none.</summary>
public sealed class TradeReport(IPolicyServiceClient policy, IOptions<Questions> questions)
{
    public async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var q = questions.Value;
        try
        {
            var duty = await policy.LookupDutyAsync(q.Importer, q.Origin, q.HsCode, q.AsOf, cancellationToken: cancellationToken);
            output.WriteLine($"Duty on {q.HsCode} from {duty.Origin} into {duty.Importer} on {Show(duty.AsOf.ToDateOnly())}: " +
                $"{duty.GetTotalAdValoremPercent().ToString(CultureInfo.InvariantCulture)} % of customs value");
            foreach (var layer in duty.Layers)
                output.WriteLine($"  {layer.MeasureId,-10} {layer.Kind,-30} {layer.GetAdValoremPercent()?.ToString(CultureInfo.InvariantCulture),6} %  {layer.LegalInstrument}");
            foreach (var effect in duty.TruceEffects)
                output.WriteLine($"  truce: {effect.Description}");
            if (duty.Coverage.BeyondReviewedHorizon) output.WriteLine($"  note: {duty.Coverage.Notice}");

            // Exporting the named item the other way round: from the origin to the importer.
            var export = await policy.CheckExportAsync(q.Origin, q.Importer, q.ExportItem, q.AsOf, cancellationToken: cancellationToken);
            output.WriteLine($"Export of {export.Item} from {export.Exporter} to {export.Destination}: " +
                (export.Prohibited ? "prohibited" : export.LicenseRequired ? "licence required" : "no licence required"));
            foreach (var control in export.ControlsInForce)
                output.WriteLine($"  in force:  {control.ControlId,-12} {control.LegalInstrument}");
            foreach (var control in export.ControlsSuspended)
                output.WriteLine($"  suspended: {control.ControlId,-12} until {Show(control.Period.SuspendedUntil.ToDateOnlyOrNull())}");

            var truces = await policy.GetTruceStatusAsync(q.Importer, q.Origin, q.AsOf, cancellationToken: cancellationToken);
            if (truces.Truces.Count == 0) output.WriteLine($"No truce between {truces.PartyA} and {truces.PartyB} on {Show(truces.AsOf.ToDateOnly())}");
            foreach (var status in truces.Truces)
            {
                output.WriteLine($"Truce {status.Truce.Id}: expires {Show(status.ExpiryDate.ToDateOnly())} ({status.DaysRemaining} days); " +
                    $"{status.ResumingMeasures.Count} measures resume then");
            }
            return 0;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            // The request was wrong: the details name each bad field. Fix the input; retrying cannot help.
            output.WriteLine("PolicyService rejected the question:");
            foreach (var violation in e.GetFieldViolations()) output.WriteLine($"  {violation.Field}: {violation.Description}");
            return 2;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // Already retried within the deadline by the client: report, and let the caller decide what to do without the answer.
            output.WriteLine($"PolicyService did not answer in time ({e.StatusCode}, {e.GetErrorInfo()?.Reason ?? "no details"}): {e.Status.Detail}");
            return 3;
        }
    }

    private static string Show(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(open)";
}
