using System.Text.RegularExpressions;
using PolicyService.Server.Domain;
using PolicyService.Server.Seed;

namespace PolicyService.Server.Tests.Seed;

public partial class SeedDataTests
{
    private static readonly PolicyDataset Seed = SeedData.Load();

    [Fact]
    public void The_seed_passes_every_dataset_rule() =>
        Assert.Empty(DatasetValidator.Validate(Seed).Select(e => $"{e.Field}: {e.Message}"));

    [Fact]
    public void Every_record_of_the_reference_is_in_the_seed()
    {
        var reference = ReferenceFile();
        var expected = RecordId().Matches(File.ReadAllText(reference)).Select(m => m.Value).ToHashSet();
        Assert.True(expected.Count >= 81, $"only {expected.Count} record ids found in {reference}");

        var present = Seed.TariffMeasures.SelectMany(m => m.Periods.Select(p => p.RecordId).Append(m.Id.Split('.')[0]))
            .Concat(Seed.ExportControls.SelectMany(c => c.Periods.Select(p => p.RecordId).Append(c.Id.Split('.')[0])))
            .Concat(Seed.Truces.SelectMany(t => t.Extensions.Select(e => e.RecordId).Concat(t.Terms.Select(x => x.Id)).Concat(t.Events.Select(e => e.Id))))
            .ToHashSet();
        Assert.Empty(expected.Except(present).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_source_of_the_reference_is_in_the_seed()
    {
        var expected = SourceKey().Matches(File.ReadAllText(ReferenceFile())).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Empty(expected.Except(Seed.Sources.Select(s => s.Id)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Unconfirmed_records_stay_unconfirmed()
    {
        var tarCn01 = Seed.TariffMeasures.Single(m => m.Id == "TAR-CN-01");
        Assert.Equal(Confidence.Unconfirmed, tarCn01.Confidence);
    }

    [Fact]
    public void The_data_was_reviewed_through_mid_2026() => Assert.Equal(new DateOnly(2026, 6, 30), Seed.ReviewedThrough);

    /// <summary>
    /// shared/reference sits beside the repository (../shared from the project root). A clone without it still builds
    /// and tests: the tests that compare the seed with the reference then report themselves skipped, saying why.
    /// </summary>
    private static string ReferenceFile(string name = "us-china-2025.md")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", name);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Skip($"shared/reference/{name} is not beside this clone (looked above {AppContext.BaseDirectory}): nothing to compare the seed with.");
        return "";
    }

    [GeneratedRegex(@"\b(?:TAR-US|TAR-CN|EXC-CN|EXC-US|TRU|EVT)-\d{2}\b")]
    private static partial Regex RecordId();

    [GeneratedRegex(@"\*\*(S\d{2})\*\*")]
    private static partial Regex SourceKey();
}
