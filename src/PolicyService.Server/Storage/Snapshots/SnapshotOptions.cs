namespace PolicyService.Server.Storage;

/// <summary>The in-memory snapshot lookups answer from (section "Snapshot").</summary>
public sealed class SnapshotOptions
{
    public const string Section = "Snapshot";

    /// <summary>How often the refresher reads the change log for commits of other processes.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a read with a min_change_token waits for the snapshot before it reads the database instead.</summary>
    public TimeSpan MinChangeTokenWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a write waits, after its commit, for the snapshot of its own process to show it.</summary>
    public TimeSpan WriteVisibleWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While the database is out of reach, readiness stays SERVING (answering from the snapshot) until it is this old.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A batch of changes touching more records than this rebuilds the snapshot rather than applying them one by one.</summary>
    public int RebuildThreshold { get; set; } = 20_000;

    /// <summary>
    /// Where snapshot files are written, so that a restart maps the last one instead of reading every record: empty means
    /// beside the SQLite database file (and none for SQL Server unless set). One directory per database.
    /// </summary>
    public string Directory { get; set; } = "";

    /// <summary>False keeps the snapshot's records in memory and writes no file.</summary>
    public bool UseFiles { get; set; } = true;

    public bool IsValid() => RefreshInterval > TimeSpan.Zero && MinChangeTokenWait >= TimeSpan.Zero && WriteVisibleWait >= TimeSpan.Zero && MaxStaleness >= TimeSpan.Zero && RebuildThreshold > 0;
}
