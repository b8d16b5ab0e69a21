using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

public sealed record ResumingMeasure(string MeasureType, string MeasureId, string Title, string TruceTermId, DateOnly ResumesOn, string Description);

public sealed record TruceStatus(Truce Truce, TruceExtension Window, int DaysRemaining, IReadOnlyList<ResumingMeasure> Resuming);

/// <summary>Which truces are in force between two parties on a date, and what resumes when each ends.</summary>
public static class TruceStatusLookup
{
    public const string Tariff = "tariff";
    public const string ExportControl = "export_control";

    public static IReadOnlyList<TruceStatus> Resolve(IEnumerable<TruceBundle> bundles, string partyA, string partyB, DateOnly asOf)
    {
        var result = new List<TruceStatus>();
        foreach (var bundle in bundles.OrderBy(b => b.Truce.Id, StringComparer.Ordinal))
        {
            var truce = bundle.Truce;
            if (!truce.Parties.Contains(partyA) || !truce.Parties.Contains(partyB)) continue;
            if (WindowAt(truce, asOf) is not { } window) continue;

            result.Add(new TruceStatus(truce, window, window.ExpiryDate.DayNumber - asOf.DayNumber, Resuming(bundle, window, asOf)));
        }
        return result;
    }

    /// <summary>The original term or extension covering the date, [StartDate, ExpiryDate).</summary>
    public static TruceExtension? WindowAt(Truce truce, DateOnly asOf) =>
        truce.Extensions.FirstOrDefault(e => e.StartDate <= asOf && asOf < e.ExpiryDate);

    private static List<ResumingMeasure> Resuming(TruceBundle bundle, TruceExtension window, DateOnly asOf)
    {
        var terms = bundle.Truce.Terms.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var resuming = new List<ResumingMeasure>();

        foreach (var measure in bundle.TariffMeasures.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            if (AsOf.PeriodAt(measure.Periods, asOf) is not { TruceTermId: { } term } period || !terms.Contains(term)) continue;
            if (period.Status == PeriodStatus.Suspended)
            {
                resuming.Add(new(Tariff, measure.Id, measure.Title, term, ResumesOn(period.SuspendedUntil, period.EndDate, window),
                    $"{measure.Title} ({Percent.Format(period.AdValoremPercent)}%{(period.RateDescription.Length > 0 ? "; " + period.RateDescription : "")})"));
            }
            else if (period.Status == PeriodStatus.InForce && period.SuspendedPercent is > 0)
            {
                resuming.Add(new(Tariff, measure.Id, measure.Title, term, ResumesOn(period.SuspendedPercent is null ? null : period.SuspendedUntil, period.EndDate, window),
                    $"{Percent.Format(period.SuspendedPercent)} suspended points of {measure.Title}, on top of the {Percent.Format(period.AdValoremPercent)}% that applies"));
            }
        }

        foreach (var control in bundle.ExportControls.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            if (AsOf.PeriodAt(control.Periods, asOf) is not { Status: PeriodStatus.Suspended, TruceTermId: { } term } period || !terms.Contains(term)) continue;
            resuming.Add(new(ExportControl, control.Id, control.Title, term, ResumesOn(period.SuspendedUntil, period.EndDate, window), control.Title));
        }
        return resuming;
    }

    private static DateOnly ResumesOn(DateOnly? suspendedUntil, DateOnly? periodEnd, TruceExtension window) =>
        suspendedUntil ?? periodEnd ?? window.ExpiryDate;
}
