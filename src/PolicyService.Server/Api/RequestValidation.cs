using System.Globalization;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Api;

/// <summary>Reads request fields into domain values, collecting every violation to throw them together.</summary>
public sealed class RequestValidation : FieldViolations
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public string Jurisdiction(string field, string value)
    {
        if (Domain.Jurisdiction.TryNormalize(value, out var code)) return code;
        Fail(field, string.IsNullOrWhiteSpace(value)
            ? "is required: an ISO 3166-1 alpha-2 country code such as \"US\""
            : $"\"{Echo.Cut(value)}\" is not an ISO 3166-1 alpha-2 country code");
        return code;
    }

    public string? OptionalJurisdiction(string field, string value) =>
        string.IsNullOrWhiteSpace(value) ? null : Jurisdiction(field, value);

    public string HsCode(string field, string value)
    {
        if (Domain.HsCode.TryNormalize(value, out var digits)) return digits;
        Fail(field, string.IsNullOrWhiteSpace(value)
            ? "is required: an HS code of 6 to 10 digits"
            : $"\"{Echo.Cut(value)}\" is not an HS code: give 6 to 10 digits (dots and spaces are ignored)");
        return digits;
    }

    public string? OptionalHsCode(string field, string value) =>
        string.IsNullOrWhiteSpace(value) ? null : HsCode(field, value);

    /// <summary>An HS code when the value is one, otherwise a named item ("dysprosium").</summary>
    public ExportItem Item(string field, string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            Fail(field, "is required: an HS code of 6 to 10 digits or a named item such as \"gallium\"");
            return new ExportItem(null, string.Empty);
        }
        if (trimmed.Any(char.IsAsciiDigit)) return new ExportItem(HsCode(field, trimmed), null);
        if (trimmed.Length > 100 || !trimmed.All(c => char.IsLetter(c) || c is ' ' or '-' or '\''))
        {
            Fail(field, $"\"{Echo.Cut(trimmed)}\" is neither an HS code nor an item name (letters, spaces and hyphens)");
        }
        return new ExportItem(null, trimmed.ToLowerInvariant());
    }

    public ExportItem? OptionalItem(string field, string value) => string.IsNullOrWhiteSpace(value) ? null : Item(field, value);

    public DateOnly? OptionalDate(string field, Google.Type.Date? date)
    {
        if (date is null) return null;
        if (date.Year is >= 1 and <= 9999 && date.Month is >= 1 and <= 12 && date.Day >= 1 && date.Day <= DateTime.DaysInMonth(date.Year, date.Month))
            return new DateOnly(date.Year, date.Month, date.Day);
        Fail(field, $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2} is not a calendar date (year, month and day are all required)");
        return null;
    }

    /// <summary>
    /// The instant to answer as of: the given timestamp, or <see cref="DateTime.MaxValue"/> (everything recorded so far).
    /// A future instant cannot be answered yet and is rejected.
    /// </summary>
    public DateTime KnownAt(string field, Google.Protobuf.WellKnownTypes.Timestamp? knownAt, TimeProvider clock)
    {
        if (knownAt is null) return DateTime.MaxValue;
        if (knownAt.Seconds < -62135596800 || knownAt.Seconds > 253402300799 || knownAt.Nanos is < 0 or > 999_999_999)
        {
            Fail(field, "is not a valid timestamp");
            return DateTime.MaxValue;
        }
        var instant = knownAt.ToDateTime();
        if (instant > clock.GetUtcNow().UtcDateTime.AddMinutes(1))
        {
            Fail(field, "is in the future: the service can only answer as it knew things up to now");
        }
        return instant;
    }

    /// <summary>The as-of date: given, else the date of known_at when that is set, else today (UTC).</summary>
    public DateOnly AsOf(string field, Google.Type.Date? date, DateTime knownAt, TimeProvider clock) =>
        OptionalDate(field, date) ?? DateOnly.FromDateTime(knownAt == DateTime.MaxValue ? clock.GetUtcNow().UtcDateTime : knownAt);

    /// <summary>The change-log position a min_change_token names; 0 when it is empty.</summary>
    public long MinChange(string field, string token) => ChangeToken.Read(token, this, field);

    public int PageSize(string field, int pageSize)
    {
        if (pageSize < 0) Fail(field, "must not be negative (0 means the default of 50)");
        return pageSize switch { <= 0 => DefaultPageSize, > MaxPageSize => MaxPageSize, _ => pageSize };
    }

    /// <summary>An answer view (AIP-157): UNSPECIFIED means FULL; a number the contract does not define is an error.</summary>
    public T View<T>(string field, T view) where T : struct, Enum
    {
        if (!Enum.IsDefined(view)) Fail(field, $"{Convert.ToInt32(view, System.Globalization.CultureInfo.InvariantCulture)} is not a view: use BASIC or FULL");
        return view;
    }

    public string Id(string field, string value)
    {
        var id = value.Trim();
        if (id.Length == 0) Fail(field, "is required");
        else if (id.Length > 64) Fail(field, "is longer than any id (64 characters)");
        return id;
    }

    /// <summary>
    /// A timeline's half-open range [start, end): both required, start before end, at most
    /// <paramref name="maxYears"/> years long (so one request cannot ask for an unbounded amount of work).
    /// </summary>
    public (DateOnly Start, DateOnly End) DateRange(string startField, Google.Type.Date? start, string endField, Google.Type.Date? end, int maxYears)
    {
        if (start is null) Fail(startField, "is required: the first day of the range");
        if (end is null) Fail(endField, "is required: the first day after the range");
        var from = OptionalDate(startField, start);
        var to = OptionalDate(endField, end);
        if (from is not { } f || to is not { } t) return (DateOnly.MinValue, DateOnly.MaxValue);
        if (t <= f) Fail(endField, string.Create(CultureInfo.InvariantCulture, $"{t:yyyy-MM-dd} is not after {startField} {f:yyyy-MM-dd}: the range is [{startField}, {endField})"));
        else if (f.Year + maxYears > 9999 || t > f.AddYears(maxYears))
            Fail(endField, string.Create(CultureInfo.InvariantCulture, $"{t:yyyy-MM-dd} is more than {maxYears} years after {startField} {f:yyyy-MM-dd}"));
        return (f, t);
    }
}
