namespace PolicyService.Server.Storage;

/// <summary>
/// The precision of recorded times: whole microseconds, the finest every supported engine keeps (SQL Server and Azure
/// SQL keep 100 ns, Babelfish/PostgreSQL 1 µs, SQLite the text it is given). Writes truncate to it and "known at"
/// instants are compared at it, so "as known just before a write" means the same on every engine.
/// </summary>
public static class RecordedTimes
{
    public const long TicksPerUnit = TimeSpan.TicksPerMicrosecond;

    /// <summary>The instant truncated (towards the past) to whole microseconds, keeping its kind.</summary>
    public static DateTime Truncate(DateTime instant) => new(instant.Ticks - instant.Ticks % TicksPerUnit, instant.Kind);

    /// <summary>The first recordable instant after <paramref name="instant"/>.</summary>
    public static DateTime After(DateTime instant) => Truncate(instant).AddTicks(TicksPerUnit);
}
