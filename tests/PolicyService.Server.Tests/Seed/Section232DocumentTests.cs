using System.Globalization;
using System.Text.RegularExpressions;
using PolicyService.Server.Seed;
using TradePolicy.V1;

namespace PolicyService.Server.Tests.Seed;

/// <summary>
/// The Section 232 change document against shared/reference/us-section232, line by line: each row of the product lists
/// and of the 2026 annexes is in the scope of the measure it maps to, with that row's rate, basis and dates.
/// </summary>
public partial class Section232DocumentTests
{
    private static readonly ImportChangesRequest Document = SeedUpdates.Load("us-section232.changes.json");

    private static readonly Dictionary<string, string> MeasureOfProgram = new()
    {
        ["steel_article"] = "SEC-STEEL-01", ["aluminum_article"] = "SEC-ALU-01", ["aluminum_derivative_2020"] = "SEC-ALU-02",
        ["aluminum_derivative_ch76"] = "SEC-ALU-03.1", ["aluminum_derivative_2025"] = "SEC-ALU-03.2",
        ["aluminum_derivative_inclusion1"] = "SEC-ALU-05", ["steel_derivative_inclusion1"] = "SEC-STEEL-05",
        ["steel_derivative_ch73_blanket"] = "SEC-STEEL-03", ["steel_derivative_appliances_2025"] = "SEC-STEEL-04a",
        ["copper_semis_derivatives"] = "SEC-CU-01", ["autos_passenger"] = "SEC-AUTO-01", ["autos_light_trucks"] = "SEC-AUTO-01",
        ["auto_parts"] = "SEC-AUTO-02", ["mhd_vehicles"] = "SEC-MHD-01", ["buses"] = "SEC-MHD-02", ["mhd_parts"] = "SEC-MHD-03",
        ["softwood_timber_lumber"] = "SEC-WOOD-01", ["upholstered_wooden_furniture"] = "SEC-WOOD-02",
        ["kitchen_cabinets_vanities"] = "SEC-WOOD-03", ["semiconductors"] = "TAR-US-35",
    };

    private static TariffMeasure Measure(string id) =>
        Document.Changes.Select(c => c.UpdateTariffMeasure ?? c.CreateTariffMeasure).Single(m => m?.Id == id)!;

    private static DateOnly Day(Google.Type.Date d) => new(d.Year, d.Month, d.Day);

    private static TariffPeriod? At(TariffMeasure m, DateOnly day) =>
        m.Periods.FirstOrDefault(p => Day(p.StartDate) <= day && (p.EndDate is null || Day(p.EndDate) > day));

    private static bool Covers(TariffMeasure m, string line) =>
        m.ProductScope.HsPrefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal)) &&
        !m.ProductScope.ExcludedHsPrefixes.Any(x => line.StartsWith(x, StringComparison.Ordinal));

    [Fact]
    public void The_document_follows_the_note_exemptions_with_its_request_id_sources_and_coverage()
    {
        // After the exemptions from the U.S. notes (its stacking rules update TAR-US-17/24 as they left them), before the horizon audit.
        var at = SeedUpdates.ResourceNames.ToList().IndexOf("us-section232.changes.json");
        Assert.Equal("us-exemptions-from-notes.changes.json", SeedUpdates.ResourceNames[at - 1]);
        Assert.Equal("us-china-2026-horizon-audit.changes.json", SeedUpdates.ResourceNames[at + 1]);
        Assert.Equal("seed:us-section232", Document.RequestId);
        Assert.Equal(43, Document.Sources.Count);
        Assert.All(Document.Sources, s => Assert.StartsWith("S232-", s.Id, StringComparison.Ordinal));
        Assert.All(Document.Sources, s => Assert.All(s.Urls, u => Assert.True(u.StartsWith("https://", StringComparison.Ordinal) || u.StartsWith("http://", StringComparison.Ordinal), u)));
        var us = Document.Coverage.Tariffs.Single(t => t.Importer == "US");
        Assert.Contains(TariffKind.Section232, us.Kinds);
        Assert.Contains("Proclamation 11032 after 2026-06-08", us.Note, StringComparison.Ordinal);
        Assert.Contains("U8", us.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_row_of_the_product_lists_is_in_its_measures_scope_with_its_basis_and_dates()
    {
        var rows = Csv("s232-product-lists.csv");
        Assert.Equal(1095, rows.Count);
        foreach (var row in rows)
        {
            var (prefix, program, rate, basis, start, end) = (row[0], row[1], row[3], row[4], row[5], row[6]);
            // Note 33(g)'s whole heading 8471 is a conditional part of its own (SEC-AUTO-02.2).
            var m = Measure(program == "auto_parts" && prefix == "8471" ? "SEC-AUTO-02.2" : MeasureOfProgram[program]);
            // A list line the generator narrowed to its vehicle-part statistical lines (NARROWED_AUTO_PARTS) is held as those lines.
            var held = program == "auto_parts" && prefix == "850760" ? ["8507600010"] : new[] { prefix };
            Assert.True(held.All(h => Covers(m, h)), $"{prefix} ({program}) is not in {m.Id}");
            if (held[0] != prefix) Assert.Contains($"The list line {prefix} is held as", m.ProductScope.MappingNote, StringComparison.Ordinal);
            var first = At(m, DateOnly.Parse(start, CultureInfo.InvariantCulture));
            Assert.True(first is { Status: PeriodStatus.InForce }, $"{m.Id} not in force on {start}");
            Assert.Equal(basis.StartsWith("full_value", StringComparison.Ordinal) ? RateBasis.FullValue : RateBasis.MetalContent,
                first!.RateBasis is RateBasis.Unspecified ? RateBasis.FullValue : first.RateBasis);
            Assert.False(At(m, DateOnly.Parse(start, CultureInfo.InvariantCulture).AddDays(-1)) is { Status: PeriodStatus.InForce }, $"{m.Id} in force before {start}");
            if (RateAt(rate, start) is { } expected) Assert.Equal(expected, first.AdValoremPercent);
            if (end.Length > 0)
            {
                // "to X" names the last day covered: from the next day the program no longer applies.
                var after = At(m, DateOnly.Parse(end, CultureInfo.InvariantCulture).AddDays(1));
                Assert.True(after is null or { Status: PeriodStatus.Expired }, $"{m.Id} still in force after {end}");
            }
        }
    }

    [Fact]
    public void Every_row_of_the_2026_annexes_is_in_its_measure_with_its_rate_and_condition_and_annex_II_in_none()
    {
        var rows = Csv("s232-metals-annexes-2026.csv");
        Assert.Equal(799, rows.Count);
        var annexMeasures = Document.Changes.Select(c => c.CreateTariffMeasure).OfType<TariffMeasure>()
            .Where(m => m.Id.StartsWith("SEC-METAL-01.", StringComparison.Ordinal)).ToList();
        var day = new DateOnly(2026, 4, 6);
        foreach (var row in rows)
        {
            var (prefix, annex) = (row[0], row[1]);
            var covering = annexMeasures.Where(m => Covers(m, prefix)).ToList();
            if (annex == "II")
            {
                Assert.True(covering.Count == 0, $"Annex II line {prefix} is in {string.Join(", ", covering.Select(m => m.Id))}");
                continue;
            }
            var m = Assert.Single(covering);
            var inChapters = prefix[..2] is "72" or "73" or "74" or "76";
            var expectedId = (annex, inChapters) switch
            {
                ("I-A", true) => "SEC-METAL-01.1", ("I-A", false) => "SEC-METAL-01.2", ("I-B", true) => "SEC-METAL-01.3",
                ("I-B", false) => "SEC-METAL-01.4", ("III", true) => "SEC-METAL-01.5", _ => "SEC-METAL-01.6",
            };
            Assert.Equal(expectedId, m.Id);
            var p = At(m, day)!;
            Assert.Equal((PeriodStatus.InForce, annex switch { "I-A" => "50", "I-B" => "25", _ => "15" }, RateBasis.FullValue),
                (p.Status, p.AdValoremPercent, p.RateBasis));
            Assert.Equal(!inChapters, p.Conditions.Any(c => c.Contains("at least 15% of the article's weight", StringComparison.Ordinal)));
            Assert.Equal(annex == "III", p.Conditions.Any(c => c.Contains("topped up to 15%", StringComparison.Ordinal)));
            Assert.Null(At(m, day.AddDays(-1)));
            if (annex == "III")
            {
                Assert.Equal(PeriodStatus.InForce, At(m, new DateOnly(2027, 12, 31))!.Status);
                Assert.Equal(PeriodStatus.Announced, At(m, new DateOnly(2028, 1, 1))!.Status);
            }
        }
    }

    [Fact]
    public void The_2026_update_records_are_reconciled_and_the_stacking_rules_name_the_right_measures()
    {
        var semis = Measure("TAR-US-35");
        Assert.Equal(10, semis.ProductScope.HsPrefixes.Count);
        Assert.All(semis.Periods, p => Assert.Equal(2, p.Conditions.Count));
        Assert.Empty(Measure("TAR-US-37").ProductScope.HsPrefixes);

        var reciprocal = Measure("TAR-US-17").ExcludedBy.ToDictionary(r => r.MeasureId, r => r.Effect);
        Assert.Equal(StackingEffect.NonMetalPartOnly, reciprocal["SEC-STEEL-05"]);
        Assert.Equal(StackingEffect.Exclude, reciprocal["SEC-AUTO-01"]);
        Assert.Contains(Measure("TAR-US-14").ExcludedBy, r => r.MeasureId == "TAR-US-35");
        Assert.Contains(Measure("SEC-STEEL-05").ExcludedBy, r => r.MeasureId == "SEC-AUTO-02");
        Assert.Contains(Measure("TAR-US-32").ExcludedBy, r => r.MeasureId == "SEC-METAL-01.1");
        Assert.Contains(Measure("TAR-US-24").ExcludedBy, r => r.MeasureId == "SEC-METAL-01.4");
        Assert.All(Measure("SEC-WOOD-04.2").Periods, p => Assert.Equal(PeriodStatus.Announced, p.Status));
    }

    /// <summary>The rate a row states for its effective date ("25% then 50% (2025-06-04)"); null when the row refers to the records.</summary>
    private static string? RateAt(string text, string start)
    {
        var rates = RatePattern().Matches(text).Select(m => (Rate: m.Groups[1].Value, From: m.Groups[2].Success ? m.Groups[2].Value : "")).ToList();
        if (rates.Count == 0) return null;
        return rates.Last(r => string.CompareOrdinal(r.From, start) <= 0).Rate;
    }

    [GeneratedRegex(@"(\d+)%(?:[^(;%]*\((\d{4}-\d{2}-\d{2})\))?")]
    private static partial Regex RatePattern();

    /// <summary>The rows of a reference file, split on commas outside quotes; skips the test when ../shared is absent.</summary>
    private static List<string[]> Csv(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "reference", "us-section232", name);
            if (File.Exists(path))
                return [.. File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => FieldPattern().Matches(l).Select(m => m.Groups[1].Value.Trim('"')).ToArray())];
        }
        Assert.Skip($"shared/reference/us-section232/{name} was not found above {AppContext.BaseDirectory}: the line comparison needs ../shared beside the repository.");
        return [];
    }

    [GeneratedRegex("(?:^|,)(\"[^\"]*\"|[^,]*)")]
    private static partial Regex FieldPattern();
}
