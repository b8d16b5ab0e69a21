using System.Globalization;

namespace PolicyService.Server.Api;

/// <summary>Small helpers shared by the read services.</summary>
internal static class ReadContext
{
    /// <summary>The instant an answer reflects: the requested known_at, or now for an ordinary read.</summary>
    public static DateTime Answered(DateTime knownAt, TimeProvider clock) =>
        knownAt == DateTime.MaxValue ? clock.GetUtcNow().UtcDateTime : DateTime.SpecifyKind(knownAt, DateTimeKind.Utc);

    /// <summary>What a page token is bound to: the filters and the known_at of the first request.</summary>
    public static string Fingerprint(object filter, DateTime knownAt) =>
        $"{filter}|{knownAt.Ticks.ToString(CultureInfo.InvariantCulture)}";
}
