namespace PolicyService.Server.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>"Sqlite" (the embedded default) or "SqlServer" (needs ConnectionStrings:Policy).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>The SQLite database file, created if missing (relative paths start at the app directory); ignored when ConnectionStrings:Policy is set.</summary>
    public string SqlitePath { get; set; } = "data/policyservice.db";

    /// <summary>
    /// Whether a missing SQLite file is created (and seeded) even though a snapshot file of it is still there, which shows
    /// it held data: false (the default) refuses to start and names the file, so a lost volume is restored rather than
    /// silently replaced by the seed. A first start, with no snapshot file, always creates it.
    /// </summary>
    public bool CreateMissingDatabase { get; set; }

    public bool IsSqlite => string.Equals(Provider, "Sqlite", StringComparison.OrdinalIgnoreCase);
}
