namespace PolicyService.Server.Domain;

/// <summary>A status over the half-open date interval [StartDate, EndDate); a null end is open-ended.</summary>
public interface IPeriod
{
    DateOnly StartDate { get; }
    DateOnly? EndDate { get; }
    PeriodStatus Status { get; }
}

/// <summary>As-of resolution: which period of a history covers a date.</summary>
public static class AsOf
{
    public static bool Covers(this IPeriod period, DateOnly date) =>
        period.StartDate <= date && (period.EndDate is not { } end || date < end);

    /// <summary>The period covering <paramref name="date"/>, or null. Histories never overlap, so at most one does.</summary>
    public static T? PeriodAt<T>(IReadOnlyList<T> periods, DateOnly date) where T : class, IPeriod
    {
        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i].Covers(date)) return periods[i];
        }
        return null;
    }
}
