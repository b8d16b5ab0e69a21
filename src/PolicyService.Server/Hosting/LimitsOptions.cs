namespace PolicyService.Server.Hosting;

/// <summary>Request message limits per RPC family, counted after decompression (README, "Limits").</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Lookups, Get… and List… calls and WatchChanges: their requests are a few fields.</summary>
    public int ReadMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Admin writes of one record, and GetHistory.</summary>
    public int AdminMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>ImportChanges: many changes in one message.</summary>
    public int ImportMessageBytes { get; set; } = 32 * 1024 * 1024;

    public bool IsValid => ReadMessageBytes > 0 && AdminMessageBytes > 0 && ImportMessageBytes > 0;

    /// <summary>The largest of the limits: what Kestrel and grpc-dotnet may be asked to accept at all.</summary>
    public int Largest => Math.Max(ReadMessageBytes, Math.Max(AdminMessageBytes, ImportMessageBytes));
}
