using Google.Protobuf;
using PolicyService.Server.Api;
using PolicyService.Server.Changes;
using PolicyService.Server.Storage;
using TradePolicy.V1;
using D = PolicyService.Server.Domain;

namespace PolicyService.Server.Seed;

/// <summary>
/// The analyst change documents shipped with the server (protobuf JSON of <see cref="ImportChangesRequest"/>), applied
/// after the base seed through the same write path as ImportChanges, each once: a request id already committed is skipped.
/// </summary>
public sealed partial class SeedUpdates(IPolicyStore store, ChangePlanner planner, ReferenceCatalog catalog, ILogger<SeedUpdates> logger)
{
    /// <summary>Embedded change documents, in the order they are applied.</summary>
    public static readonly IReadOnlyList<string> ResourceNames =
        ["us-china-2026-update.changes.json", "us-product-lists.changes.json", "us-china-2025-audit.changes.json", "coverage.changes.json",
         "us-exemptions-from-notes.changes.json", "us-section232.changes.json", "us-china-2026-horizon-audit.changes.json"];

    public const string RecordedBy = "seed";

    public static ImportChangesRequest Load(string resourceName)
    {
        using var reader = new StreamReader(Open(resourceName));
        // Unknown fields are an error: a misspelt field in an analyst's file must not be dropped silently.
        return new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(false)).Parse<ImportChangesRequest>(reader);
    }

    /// <summary>The document's top-level "requestId", read by skipping over everything else.</summary>
    public static string RequestIdOf(string resourceName)
    {
        using var stream = Open(resourceName);
        var json = new byte[stream.Length];
        stream.ReadExactly(json);
        var reader = new System.Text.Json.Utf8JsonReader(json);
        reader.Read(); // the document's object
        while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            if (property is "requestId" or "request_id") return reader.GetString() ?? "";
            reader.Skip();
        }
        throw new InvalidDataException($"The change document {resourceName} has no requestId.");
    }

    private static Stream Open(string resourceName)
    {
        var assembly = typeof(SeedUpdates).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(resourceName, StringComparison.Ordinal));
        return assembly.GetManifestResourceStream(name)!;
    }

    public async Task ApplyAsync(CancellationToken ct)
    {
        foreach (var resource in ResourceNames)
        {
            // Applied documents are the rule at start-up: their request id is read without parsing the whole document.
            if (await store.FindRequestAsync(RequestIdOf(resource), ct) is not null)
            {
                LogAlreadyApplied(logger, resource);
                continue;
            }
            var request = Load(resource);
            ChangeSet set;
            try
            {
                set = await PlanAsync(request, ct);
            }
            catch (D.InvalidRequestException)
            {
                // Invalid because another process (a second 'migrate', a replica starting on the same file) applied it meanwhile?
                if (await store.FindRequestAsync(request.RequestId, ct) is null) throw;
                LogAlreadyApplied(logger, resource);
                continue;
            }
            var result = await store.ApplyAsync(set, ct);
            await catalog.ReloadAsync(ct);
            if (result.Replayed) LogAlreadyApplied(logger, resource);
            else LogApplied(logger, resource, result.Records.Count, set.ReviewedThrough);
        }
    }

    /// <summary>Reads and validates a change document exactly as ImportChanges would; throws <see cref="D.InvalidRequestException"/> naming every bad field.</summary>
    public async Task<ChangeSet> PlanAsync(ImportChangesRequest request, CancellationToken ct)
    {
        var v = new RequestValidation();
        var reader = new ProtoReader(v);
        var (requested, reviewed, coverage) = reader.Read(request);
        v.ThrowIfInvalid();
        return await planner.PlanAsync(new ChangeContext(RecordedBy, request.Reason, request.RequestId), requested,
            [.. reader.NewSources.DistinctBy(s => s.Id)], reviewed, v, ct) with { Coverage = coverage };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Change document {Resource} already applied; skipped.")]
    private static partial void LogAlreadyApplied(ILogger logger, string resource);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change document {Resource} applied: {Records} record versions, reviewed through {Reviewed:yyyy-MM-dd}.")]
    private static partial void LogApplied(ILogger logger, string resource, int records, DateOnly? reviewed);
}
