using System.Text.RegularExpressions;
using PolicyDataset = PolicyService.Server.Domain.PolicyDataset;
using PolicyService.Server.Seed;
using TradePolicy.V1;

namespace PolicyService.Server.Tests.Seed;

/// <summary>The 2026 update (shared/reference/us-china-2026-update.md) as the change document the server applies after the seed.</summary>
public partial class UpdateDocumentTests
{
    private static readonly ImportChangesRequest Update = SeedUpdates.Load(SeedUpdates.ResourceNames[0]);
    private static readonly PolicyDataset Seed = SeedData.Load();

    [Fact]
    public void The_document_names_the_review_its_horizon_and_a_fixed_request_id()
    {
        Assert.Equal("seed:us-china-2026-update", Update.RequestId);
        Assert.Contains("us-china-2026-update", Update.Reason, StringComparison.Ordinal);
        Assert.Contains("2026-10-08", Update.Reason, StringComparison.Ordinal);
        Assert.Equal(new Google.Type.Date { Year = 2026, Month = 10, Day = 8 }, Update.ReviewedThrough);
    }

    [Fact]
    public void Every_record_id_of_the_update_is_in_the_data()
    {
        var expected = RecordId().Matches(File.ReadAllText(UpdateFile())).Select(m => m.Value).ToHashSet();
        Assert.True(expected.Count >= 45, $"only {expected.Count} record ids found");
        Assert.Empty(expected.Except(SeedIds().Concat(DocumentIds())).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_new_record_is_created_and_every_update_or_correction_is_touched_by_the_document()
    {
        var rows = File.ReadAllLines(UpdateFile()).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Select(l => l.Split('|')[1]).ToList();
        var touched = DocumentIds().ToHashSet();
        var missing = rows.Where(cell => cell.Contains("(new", StringComparison.Ordinal) || cell.Contains("UPDATE", StringComparison.Ordinal) || cell.Contains("CORRECTION", StringComparison.Ordinal))
            .SelectMany(cell => RecordId().Matches(cell).Select(m => m.Value))
            .Where(id => !touched.Contains(id)).ToList();
        Assert.True(rows.Count > 40, $"only {rows.Count} table rows found");
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_source_key_of_the_update_is_a_source_of_the_document()
    {
        var expected = SourceKey().Matches(File.ReadAllText(UpdateFile())).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(expected.Count >= 29, $"only {expected.Count} source keys found");
        Assert.Empty(expected.Except(Update.Sources.Select(s => s.Id)).Order(StringComparer.Ordinal));
        Assert.All(Update.Sources, s => Assert.False(string.IsNullOrWhiteSpace(s.Title)));
    }

    [Fact]
    public void Announced_cuts_and_the_reported_extension_are_never_in_force()
    {
        var cuts = Update.Changes.Select(c => c.CreateTariffMeasure).Where(m => m is { Id: "TAR-US-40" or "TAR-CN-10" }).ToList();
        Assert.Equal(2, cuts.Count);
        Assert.All(cuts.SelectMany(m => m.Periods), p => Assert.Equal(PeriodStatus.Announced, p.Status));

        var truce = Update.Changes.Single(c => c.UpdateTruce is not null).UpdateTruce;
        var extension = Assert.Single(truce.Extensions, e => e.RecordId == "TRU-21");
        Assert.Equal(new Google.Type.Date { Year = 2027, Month = 1, Day = 10 }, extension.ExpiryDate);
        var term = Assert.Single(truce.Terms, t => t.Id == "TRU-21");
        Assert.Null(term.EffectiveDate);   // no implementing instrument: the window is reported, not in force
        Assert.Equal(Confidence.Reported, term.Confidence);
    }

    [Fact]
    public void Updates_are_made_from_the_seed_version()
    {
        var updates = Update.Changes.Where(c => c.ChangeCase is PolicyChange.ChangeOneofCase.UpdateTariffMeasure
            or PolicyChange.ChangeOneofCase.UpdateExportControl or PolicyChange.ChangeOneofCase.UpdateTruce).ToList();
        Assert.NotEmpty(updates);
        Assert.All(updates, c => Assert.Equal("1", c.Etag));
    }

    private static IEnumerable<string> SeedIds() =>
        Seed.TariffMeasures.SelectMany(m => m.Periods.Select(p => p.RecordId).Append(m.Id.Split('.')[0]))
            .Concat(Seed.ExportControls.SelectMany(c => c.Periods.Select(p => p.RecordId).Append(c.Id.Split('.')[0])))
            .Concat(Seed.Truces.SelectMany(t => t.Extensions.Select(e => e.RecordId).Concat(t.Terms.Select(x => x.Id)).Concat(t.Events.Select(e => e.Id))));

    /// <summary>The record ids the document creates or changes: measure ids, period records, terms, events, windows.</summary>
    private static IEnumerable<string> DocumentIds() => Update.Changes.SelectMany(c => c.ChangeCase switch
    {
        PolicyChange.ChangeOneofCase.CreateTariffMeasure or PolicyChange.ChangeOneofCase.UpdateTariffMeasure =>
            (c.CreateTariffMeasure ?? c.UpdateTariffMeasure).Periods.Select(p => p.RecordId).Append((c.CreateTariffMeasure ?? c.UpdateTariffMeasure).Id.Split('.')[0]),
        PolicyChange.ChangeOneofCase.CreateExportControl or PolicyChange.ChangeOneofCase.UpdateExportControl =>
            (c.CreateExportControl ?? c.UpdateExportControl).Periods.Select(p => p.RecordId).Append((c.CreateExportControl ?? c.UpdateExportControl).Id.Split('.')[0]),
        PolicyChange.ChangeOneofCase.StatusChange => [c.StatusChange.RecordId],
        PolicyChange.ChangeOneofCase.UpdateTruce or PolicyChange.ChangeOneofCase.CreateTruce =>
            (c.UpdateTruce ?? c.CreateTruce).Terms.Select(t => t.Id).Concat((c.UpdateTruce ?? c.CreateTruce).Events.Select(e => e.Id))
                .Concat((c.UpdateTruce ?? c.CreateTruce).Extensions.Select(e => e.RecordId)),
        _ => [],
    });

    /// <summary>shared/reference sits beside the repository; without it the reference-parsing tests are skipped.</summary>
    private static string UpdateFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "us-china-2026-update.md");
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Skip("shared/reference/us-china-2026-update.md was not found above " + AppContext.BaseDirectory + ": the reference-parsing test needs ../shared beside the repository.");
        return "";
    }

    [GeneratedRegex(@"\b(?:TAR-US|TAR-CN|EXC-CN|EXC-US|TRU|EVT)-\d{2}\b")]
    private static partial Regex RecordId();

    [GeneratedRegex(@"\*\*(R\d{2})\*\*")]
    private static partial Regex SourceKey();
}
