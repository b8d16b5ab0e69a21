using PolicyService.Server.Storage;
using System.Text.Json;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Seed;

/// <summary>The sourced US–China records (shared/reference) as a dataset, embedded in the server.</summary>
public static class SeedData
{
    public const string ResourceName = "us-china-2025.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static PolicyDataset Load()
    {
        var assembly = typeof(SeedData).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(ResourceName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        return Parse(stream);
    }

    public static PolicyDataset Parse(Stream json) =>
        JsonSerializer.Deserialize<PolicyDataset>(json, Options) ?? throw new InvalidDataException("The seed file is empty.");

    /// <summary>The seed as one change set: every record created at version 1, by "seed", with its reason.</summary>
    public static ChangeSet ChangeSet(PolicyDataset dataset) => new(
        new ChangeContext("seed", $"Initial load of {ResourceName} (shared/reference, reviewed through {dataset.ReviewedThrough:yyyy-MM-dd})", "seed:" + ResourceName),
        dataset.Sources,
        dataset.ReviewedThrough,
        [
            .. dataset.TariffMeasures.Select(m => new RecordChange(m, RecordChange.Create, "")),
            .. dataset.ExportControls.Select(c => new RecordChange(c, RecordChange.Create, "")),
            .. dataset.Truces.Select(t => new RecordChange(t, RecordChange.Create, "")),
        ]);
}
