namespace PolicyService.Server.Domain;

/// <summary>A new status of a measure from an effective date (tariff fields are ignored for export controls).</summary>
public sealed record StatusChange(
    string MeasureId,
    PeriodStatus Status,
    DateOnly EffectiveDate,
    decimal? AdValoremPercent,
    decimal? SuspendedPercent,
    DateOnly? SuspendedUntil,
    string? TruceTermId,
    string LegalInstrument,
    string RecordId,
    string Note,
    Confidence Confidence);

/// <summary>The effective date is not after the latest period's start: history before it is corrected by an update, not a status change.</summary>
public sealed class StatusChangeOrderException(DateOnly latestStart)
    : Exception($"must be after {latestStart:yyyy-MM-dd}, the start of the measure's latest period; correct earlier history with an update")
{
    public DateOnly LatestStart { get; } = latestStart;
}

/// <summary>
/// Appends a status to a measure's timeline: the latest period ends the day the new one starts, and the new one is
/// open-ended. Earlier periods are never touched.
/// </summary>
public static class StatusChanges
{
    public static TariffMeasure Apply(TariffMeasure measure, StatusChange change)
    {
        var latest = Latest(measure.Periods, change);
        // An ended measure has no rate; otherwise the rate carries on unless the change sets a new one.
        var carriesOn = change.Status is not (PeriodStatus.Expired or PeriodStatus.Revoked);
        var rate = carriesOn ? change.AdValoremPercent ?? latest.AdValoremPercent : null;
        var description = carriesOn && change.AdValoremPercent is null ? latest.RateDescription : "";
        var next = new TariffPeriod(change.RecordId, change.EffectiveDate, null, change.Status, rate, description,
            change.LegalInstrument, change.SuspendedPercent, change.SuspendedUntil, change.TruceTermId, change.Note, change.Confidence)
        {
            // The rate's basis and conditions belong to the rate: they carry on with it.
            RateBasis = carriesOn ? latest.RateBasis : RateBasis.FullValue,
            Conditions = carriesOn ? latest.Conditions : [],
        };
        return measure with { Periods = Close(measure.Periods, latest with { EndDate = change.EffectiveDate }, next) };
    }

    public static ExportControl Apply(ExportControl control, StatusChange change)
    {
        var latest = Latest(control.Periods, change);
        var next = new ControlPeriod(change.RecordId, change.EffectiveDate, null, change.Status, change.LegalInstrument,
            change.SuspendedUntil, change.TruceTermId, change.Note, change.Confidence);
        return control with { Periods = Close(control.Periods, latest with { EndDate = change.EffectiveDate }, next) };
    }

    private static T Latest<T>(IReadOnlyList<T> periods, StatusChange change) where T : IPeriod
    {
        var latest = periods[^1];
        if (change.EffectiveDate <= latest.StartDate) throw new StatusChangeOrderException(latest.StartDate);
        return latest;
    }

    // The latest period keeps its end if it already ended before the change (a gap is "nothing known").
    private static List<T> Close<T>(IReadOnlyList<T> periods, T closed, T next) where T : IPeriod =>
        [.. periods.Take(periods.Count - 1), periods[^1].EndDate is { } end && end <= next.StartDate ? periods[^1] : closed, next];
}
