using PolicyService.Server.Domain;

namespace PolicyService.Server.Tests;

/// <summary>Small builders for domain records in tests.</summary>
internal static class Build
{
    public static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    public static ProductScope Scope(params string[] prefixes) => new(false, prefixes, [], "test scope");

    public static ProductScope AllProducts(params string[] excluded) => new(true, [], excluded, "all goods");

    public static TariffPeriod Period(string start, string? end, PeriodStatus status, decimal? rate,
        decimal? suspended = null, string? suspendedUntil = null, string? term = null, string record = "R") =>
        new(record, D(start), end is null ? null : D(end), status, rate, "", "instrument", suspended,
            suspendedUntil is null ? null : D(suspendedUntil), term, "", Confidence.Confirmed);

    public static TariffMeasure Measure(string id, ProductScope scope, params TariffPeriod[] periods) =>
        new(id, "US", ["CN", "HK"], false, $"measure {id}", TariffKind.Section301, scope, "instrument", Confidence.Confirmed,
            "", ["S01"], periods, []);

    public static ControlPeriod ControlPeriod(string start, string? end, PeriodStatus status, string? suspendedUntil = null, string? term = null) =>
        new("R", D(start), end is null ? null : D(end), status, "", suspendedUntil is null ? null : D(suspendedUntil), term, "", Confidence.Confirmed);

    public static ExportControl Control(string id, ExportControlType type, ProductScope scope, IReadOnlyList<ControlledItem> items, params ControlPeriod[] periods) =>
        new(id, "CN", [], true, $"control {id}", type, scope, items, [], "instrument", Confidence.Confirmed, "", ["S01"], periods);
}
