using System.Globalization;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Api;

/// <summary>Small helpers shared by the read services.</summary>
internal static class ReadContext
{
    /// <summary>The instant an answer reflects: the requested known_at, or now for an ordinary read.</summary>
    public static DateTime Answered(DateTime knownAt, TimeProvider clock) =>
        knownAt == DateTime.MaxValue ? clock.GetUtcNow().UtcDateTime : DateTime.SpecifyKind(knownAt, DateTimeKind.Utc);

    /// <summary>
    /// When the snapshot behind an answer of current knowledge was last known current, to the second (what staleness
    /// needs, in 8 bytes on the wire); null for a database read.
    /// </summary>
    public static Google.Protobuf.WellKnownTypes.Timestamp? SnapshotTime(Storage.ReadSource source, DateTime knownAt) =>
        knownAt == DateTime.MaxValue && source.SnapshotTime is { } time
            ? new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = time.ToUnixTimeSeconds() }
            : null;

    public static TradePolicy.V1.Coverage WithSnapshotTime(this TradePolicy.V1.Coverage coverage, Google.Protobuf.WellKnownTypes.Timestamp? time)
    {
        coverage.SnapshotTime = time;
        return coverage;
    }

    // What a page token is bound to: the list, its filters and the known_at of the first request, spelled out field by
    // field under a version of their own, so renaming a C# member can never change (and so invalidate) issued tokens.
    // Change a binding's text only together with its version ("tariffs.v1" → "tariffs.v2").

    public static string Fingerprint(TariffFilter filter, DateTime knownAt) => Join("tariffs.v1", knownAt,
        filter.Importer, filter.Origin, filter.HsCode, Date(filter.AsOf));

    public static string Fingerprint(ExportFilter filter, DateTime knownAt) => Join("export-controls.v1", knownAt,
        filter.Exporter, filter.Destination, filter.Item?.HsCode, filter.Item?.Name, Date(filter.AsOf));

    public static string Fingerprint(TruceFilter filter, DateTime knownAt) => Join("truces.v1", knownAt, filter.Party, Date(filter.AsOf));

    public static string CalendarFingerprint(string? jurisdiction, string? counterpart, DateOnly start, DateOnly end, DateTime knownAt) =>
        Join("calendar.v1", knownAt, jurisdiction, counterpart, Date(start), Date(end));

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Unit separators cannot occur in any validated filter value, so distinct filters never join to the same text.
    private static string Join(string binding, DateTime knownAt, params string?[] values) =>
        string.Join('\u001f', [binding, knownAt.Ticks.ToString(CultureInfo.InvariantCulture), .. values.Select(v => v ?? "\u0000")]);
}
