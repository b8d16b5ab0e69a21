using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

public sealed record ResumingMeasure(string MeasureType, string MeasureId, string Title, string TruceTermId, DateOnly ResumesOn, string Description);

/// <summary>A window officials announced or reported with no implementing instrument: shown beside the in-force window, never used as it.</summary>
public sealed record ReportedExtension(TruceExtension Window, TruceTerm Term);

public sealed record TruceStatus(Truce Truce, TruceExtension Window, int DaysRemaining, IReadOnlyList<ResumingMeasure> Resuming,
    IReadOnlyList<ReportedExtension>? Reported = null);

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

            result.Add(new TruceStatus(truce, window, window.ExpiryDate.DayNumber - asOf.DayNumber, Resuming(bundle, window, asOf), ReportedAfter(truce, window, asOf)));
        }
        return result;
    }

    /// <summary>The original term or extension covering the date, [StartDate, ExpiryDate).</summary>
    public static TruceExtension? WindowAt(Truce truce, DateOnly asOf) =>
        truce.Extensions.FirstOrDefault(e => ReportedTerm(truce, e) is null && e.StartDate <= asOf && asOf < e.ExpiryDate);

    /// <summary>The latest window in force by instrument (reported-only windows left out), or null.</summary>
    public static TruceExtension? LatestInForce(Truce truce) => truce.Extensions.LastOrDefault(e => ReportedTerm(truce, e) is null);

    /// <summary>
    /// The term behind a window that is reported, not in force: a window whose record is a term with no effective date
    /// (no implementing instrument took effect). Windows of terms with an effective date, or of no term, are in force.
    /// </summary>
    public static TruceTerm? ReportedTerm(Truce truce, TruceExtension window) =>
        truce.Terms.FirstOrDefault(t => t.Id == window.RecordId) is { EffectiveDate: null } term ? term : null;

    /// <summary>Reported windows after the one in force, announced by the as-of date.</summary>
    private static List<ReportedExtension> ReportedAfter(Truce truce, TruceExtension window, DateOnly asOf) =>
        [.. truce.Extensions
            .Where(e => e.StartDate >= window.ExpiryDate)
            .Select(e => (Window: e, Term: ReportedTerm(truce, e)))
            .Where(x => x.Term is { } term && (term.AnnouncedDate is null || term.AnnouncedDate <= asOf))
            .Select(x => new ReportedExtension(x.Window, x.Term!))];

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
