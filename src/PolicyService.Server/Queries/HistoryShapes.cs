using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>What the horizon rule needs of a kind of record and its periods: their ids, dates and terms, and copies over other dates.</summary>
public sealed record HistoryShape<TRecord, TPeriod>(
    string ResourceType,
    Func<TRecord, string> Id,
    Func<TRecord, string> Title,
    Func<TRecord, IReadOnlyList<TPeriod>> Periods,
    Func<TRecord, IReadOnlyList<TPeriod>, TRecord> WithPeriods,
    Func<TPeriod, string> RecordIdOf,
    Func<TPeriod, DateOnly?> SuspendedUntil,
    Func<TPeriod, string?> Term,
    Func<TPeriod, DateOnly, DateOnly?, TPeriod> WithDates,
    Func<TRecord, TPeriod, string> Resumes)
    where TPeriod : class, IPeriod;

/// <summary>The two histories the horizon rule reads: tariff measures and export controls.</summary>
public static class HistoryShapes
{
    public static readonly HistoryShape<TariffMeasure, TariffPeriod> Tariff = new(
        ResourceTypes.TariffMeasure, m => m.Id, m => m.Title, m => m.Periods, (m, periods) => m with { Periods = periods },
        p => p.RecordId, p => p.SuspendedUntil, p => p.TruceTermId, (p, start, end) => p with { StartDate = start, EndDate = end },
        TariffResumes);

    public static readonly HistoryShape<ExportControl, ControlPeriod> Control = new(
        ResourceTypes.ExportControl, c => c.Id, c => c.Title, c => c.Periods, (c, periods) => c with { Periods = periods },
        p => p.RecordId, p => p.SuspendedUntil, p => p.TruceTermId, (p, start, end) => p with { StartDate = start, EndDate = end },
        (c, _) => $"{c.Title} applies again");

    /// <summary>What a tariff suspension's end brings back: the suspended points on top of the rate, or the whole suspended rate.</summary>
    private static string TariffResumes(TariffMeasure measure, TariffPeriod period) => period switch
    {
        { Status: PeriodStatus.Suspended, AdValoremPercent: { } rate } => $"{measure.Title} applies again at {Percent.Format(rate)}%",
        { Status: PeriodStatus.Suspended } => $"{measure.Title} applies again",
        { SuspendedPercent: > 0 } => $"the {Percent.Format(period.SuspendedPercent)} suspended points apply again " +
                                      $"({Percent.Format((period.AdValoremPercent ?? 0) + period.SuspendedPercent!.Value)}% under {measure.Id})",
        _ => $"{measure.Title} applies without the truce term",
    };
}
