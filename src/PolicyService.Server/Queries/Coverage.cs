using System.Globalization;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Queries;

/// <summary>How current an answer's data is. Silence past the reviewed horizon must never read as "nothing changed".</summary>
public sealed record Coverage(DateOnly ReviewedThrough, bool BeyondReviewedHorizon, string Notice)
{
    public static Coverage For(DateOnly reviewedThrough, DateOnly asOf) =>
        asOf > reviewedThrough
            ? new(reviewedThrough, true, string.Create(CultureInfo.InvariantCulture,
                $"The data was reviewed through {reviewedThrough:yyyy-MM-dd}; changes that took effect after that date, and before {asOf:yyyy-MM-dd}, may be missing from this answer."))
            : new(reviewedThrough, false, string.Empty);
}

/// <summary>Exact decimal percents as the API writes them: "7.5", "45", "0".</summary>
public static class Percent
{
    public static string Format(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    public static string Format(decimal? value) => value is { } v ? Format(v) : string.Empty;
}
