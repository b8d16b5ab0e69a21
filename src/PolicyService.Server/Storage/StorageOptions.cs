namespace PolicyService.Server.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>"Sqlite" (the embedded default) or "SqlServer" (needs ConnectionStrings:Policy).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>The SQLite database file, created if missing (relative paths start at the app directory); ignored when ConnectionStrings:Policy is set.</summary>
    public string SqlitePath { get; set; } = "data/policyservice.db";

    public bool IsSqlite => string.Equals(Provider, "Sqlite", StringComparison.OrdinalIgnoreCase);
}
