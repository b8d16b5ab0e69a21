namespace PolicyService.Server.Api;

/// <summary>Configuration section "ChangeFeed".</summary>
public sealed class ChangeFeedOptions
{
    public const string Section = "ChangeFeed";

    /// <summary>How often a caught-up subscriber looks for new commits.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A subscriber that does not take a change within this time is cut off (its backlog stays in the database).</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int BatchSize { get; set; } = 500;

    /// <summary>Open WatchChanges streams allowed at once, over all callers.</summary>
    public int MaxSubscribers { get; set; } = 256;

    /// <summary>Open WatchChanges streams allowed at once per caller (token subject, else client address).</summary>
    public int MaxSubscribersPerCaller { get; set; } = 8;
}
