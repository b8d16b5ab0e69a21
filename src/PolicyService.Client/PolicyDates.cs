namespace PolicyService.Client;

/// <summary>Converts between <see cref="DateOnly"/> and the API's calendar dates (<c>google.type.Date</c>).</summary>
public static class PolicyDates
{
    /// <summary>The date as a <c>google.type.Date</c> with year, month and day set.</summary>
    /// <param name="date">A calendar date.</param>
    /// <returns>A new message.</returns>
    public static Google.Type.Date ToProtoDate(this DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    /// <summary>The calendar date of a <c>google.type.Date</c>.</summary>
    /// <param name="date">A full date: the API never sends a partial one (year, month or day 0).</param>
    /// <returns>The same day.</returns>
    /// <exception cref="ArgumentException">The message is partial or names no real day (e.g. 30 February).</exception>
    public static DateOnly ToDateOnly(this Google.Type.Date date)
    {
        ArgumentNullException.ThrowIfNull(date);
        if (date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
            throw new ArgumentException($"{date.Year:D4}-{date.Month:D2}-{date.Day:D2} is not a full calendar date.", nameof(date));
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    /// <summary>
    /// The calendar date of an optional field, or <see langword="null"/> when the field is unset — e.g. the open end of
    /// a period (<c>end_date</c>) or a suspension without an end (<c>suspended_until</c>).
    /// </summary>
    /// <param name="date">The field's value, possibly <see langword="null"/>.</param>
    /// <returns>The day, or <see langword="null"/>.</returns>
    public static DateOnly? ToDateOnlyOrNull(this Google.Type.Date? date) => date is null ? null : date.ToDateOnly();
}
