using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using TradePolicy.V1;

namespace PolicyService.Client;

/// <summary>
/// Reads the API's exact decimal strings (rates such as <c>"7.5"</c>, quantities) as <see cref="decimal"/>, never
/// through floating point, independent of the current culture, and refusing anything <see cref="decimal"/> cannot hold exactly.
/// </summary>
public static class PolicyDecimal
{
    // decimal holds any 28 significant digits exactly; beyond that decimal.Parse would round silently.
    private const int MaxExactDigits = 28;
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>Parses a decimal string such as <c>"27.5"</c> or <c>"-0.25"</c>; the scale is kept (<c>"7.50"</c> stays 7.50).</summary>
    /// <param name="value">Digits with an optional leading sign and one decimal point; no exponent, spaces or group separators.</param>
    /// <returns>The exact value.</returns>
    /// <exception cref="FormatException">The text is empty, malformed, or has more digits than <see cref="decimal"/> holds exactly.</exception>
    public static decimal Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var result)
            ? result
            : throw new FormatException($"'{value}' is not an exact decimal number (digits, an optional sign and decimal point, at most {MaxExactDigits} digits).");
    }

    /// <summary>Parses a decimal string like <see cref="Parse"/>, without throwing.</summary>
    /// <param name="value">The text, possibly <see langword="null"/>.</param>
    /// <param name="result">The exact value, or 0 when the text is not one.</param>
    /// <returns>Whether the text is an exact decimal number.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out decimal result)
    {
        result = 0;
        if (string.IsNullOrEmpty(value) || !HasExactDigitCount(value)) return false;
        return decimal.TryParse(value, Style, CultureInfo.InvariantCulture, out result);
    }

    /// <summary>
    /// Parses a decimal string that the API leaves empty when it does not apply — e.g. <c>ad_valorem_percent</c> of a
    /// measure that is a fee per ton.
    /// </summary>
    /// <param name="value">The field's text.</param>
    /// <returns>The exact value, or <see langword="null"/> for an empty string.</returns>
    /// <exception cref="FormatException">The text is neither empty nor an exact decimal number.</exception>
    public static decimal? ParseOptional(string? value) => string.IsNullOrEmpty(value) ? null : Parse(value);

    /// <summary>The total additional ad valorem duty of a lookup, in percent of customs value (e.g. 27.5).</summary>
    /// <param name="response">A duty lookup's answer.</param>
    /// <returns>The exact total.</returns>
    /// <exception cref="InvalidOperationException">The code is less specific than the data and its lines pay different totals (<c>total_varies</c>): read each of <c>variants</c>.</exception>
    public static decimal GetTotalAdValoremPercent(this LookupDutyResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.TotalVaries) throw TotalVaries(response.HsCode);
        return Parse(response.TotalAdValoremPercent);
    }

    /// <summary>The total additional ad valorem duty over one segment of a duty timeline, in percent of customs value.</summary>
    /// <param name="segment">A segment of a duty timeline.</param>
    /// <returns>The exact total.</returns>
    /// <exception cref="InvalidOperationException">The lines under the code pay different totals over the segment (<c>total_varies</c>): read each of <c>variants</c>.</exception>
    public static decimal GetTotalAdValoremPercent(this DutyTimelineSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.TotalVaries) throw TotalVaries("the code");
        return Parse(segment.TotalAdValoremPercent);
    }

    /// <summary>The total additional ad valorem duty of the lines of one variant of a less specific code, in percent of customs value.</summary>
    /// <param name="variant">One of the variants of a duty answer.</param>
    /// <returns>The exact total.</returns>
    public static decimal GetTotalAdValoremPercent(this DutyVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return Parse(variant.TotalAdValoremPercent);
    }

    private static InvalidOperationException TotalVaries(string code) =>
        new($"The lines under {code} pay different totals, so the answer has no one total: read the total of each of its variants.");

    /// <summary>The ad valorem rate of one duty layer in percent, or <see langword="null"/> when the layer is not ad valorem.</summary>
    /// <param name="layer">A layer of a duty lookup.</param>
    /// <returns>The exact rate, or <see langword="null"/>.</returns>
    public static decimal? GetAdValoremPercent(this DutyLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return ParseOptional(layer.AdValoremPercent);
    }

    /// <summary>The ad valorem rate of a tariff period in percent, or <see langword="null"/> when the period is not ad valorem.</summary>
    /// <param name="period">A period of a tariff measure.</param>
    /// <returns>The exact rate, or <see langword="null"/>.</returns>
    public static decimal? GetAdValoremPercent(this TariffPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return ParseOptional(period.AdValoremPercent);
    }

    private static bool HasExactDigitCount(string value)
    {
        var digits = value.AsSpan().TrimStart("+-");
        var point = digits.IndexOf('.');
        var integer = (point < 0 ? digits : digits[..point]).TrimStart('0');
        var fraction = point < 0 ? [] : digits[(point + 1)..];
        return integer.Length + fraction.Length <= MaxExactDigits;
    }
}
