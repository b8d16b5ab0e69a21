using Google.Protobuf.WellKnownTypes;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// The whole schedule: the Section 301 lists, the 2024 review lists and the reciprocal and Section 122
/// exemptions (Seed/us-product-lists.changes.json), then the audit corrections (Seed/us-china-2025-audit.changes.json),
/// asked of the real server. Lines are sampled from shared/reference/us-product-lists; known_at before each document
/// gives the answer given before it.
/// </summary>
public abstract class ScheduleAnswerTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    private async Task<LookupDutyResponse> Duty(string hs, string date, Timestamp? knownAt = null, string origin = "CN") =>
        await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = origin, HsCode = hs, AsOf = Date(date), KnownAt = knownAt }, deadline: Deadline);

    private static decimal Section301(LookupDutyResponse r) =>
        r.Layers.Where(l => l.Kind == TariffKind.Section301).Sum(l => decimal.Parse(l.AdValoremPercent, System.Globalization.CultureInfo.InvariantCulture));

    private static Dictionary<string, string> Layers(LookupDutyResponse r) => r.Layers.ToDictionary(l => l.MeasureId, l => l.AdValoremPercent);

    /// <summary>Just before the version of the record that the document wrote: known_at there reproduces the answers before it.</summary>
    private async Task<Timestamp> JustBefore(string measureId, int version)
    {
        var m = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = measureId }, deadline: Deadline)).TariffMeasure;
        Assert.Equal(version, m.Recorded.Version);
        return Timestamp.FromDateTime(m.Recorded.RecordedTime.ToDateTime().AddMilliseconds(-1));
    }

    private Task<Timestamp> BeforeLists() => JustBefore("TAR-US-03", 3);

    private Task<Timestamp> BeforeAudit() => JustBefore("TAR-US-05", 3);

    // ---- the issue's three answers ----------------------------------------------------------------------------------

    [Fact]
    public async Task Wooden_furniture_from_China_pays_List_3_and_was_missing_it_before_the_lists()
    {
        var now = await Duty("9403.60.80.81", "2025-11-15");
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-03"] = "25", ["TAR-US-14"] = "10", ["TAR-US-17"] = "10" }, Layers(now));
        Assert.Equal("45", now.TotalAdValoremPercent);
        Assert.Equal("94036080", now.Layers.Single(l => l.MeasureId == "TAR-US-03").MatchedHsPrefix);

        var before = await Duty("9403.60.80.81", "2025-11-15", await BeforeLists());
        Assert.Equal("20", before.TotalAdValoremPercent);
    }

    [Fact]
    public async Task Diodes_are_exempt_from_the_reciprocal_duty_and_the_answer_says_by_which_exemption()
    {
        var now = await Duty("8541.10.00.80", "2025-11-15");
        Assert.Equal(new Dictionary<string, string> { ["TAR-US-07"] = "50", ["TAR-US-14"] = "10" }, Layers(now));   // TAR-US-13 (0%) begins 2025-12-23
        Assert.Equal("60", now.TotalAdValoremPercent);
        var exempt = Assert.Single(now.ExemptedLayers);
        // The U.S. note names the 8-digit line (the electronics memorandum of 2025-04-11); the older list named the 10-digit one.
        Assert.Equal(("TAR-US-17", "85411000", "10"), (exempt.Layer.MeasureId, exempt.ExcludedHsPrefix, exempt.Layer.AdValoremPercent));
        Assert.Contains("(electronics-memo rev6 L12794), from 2025-04-05 to 2026-02-23", exempt.Reason, StringComparison.Ordinal);
        // List 3 also has 8541.10.00: the review rate replaces it (50, not 75).
        Assert.Contains(now.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-03" && x.ExcludedByMeasureId == "TAR-US-07");

        Assert.Equal("70", (await Duty("8541.10.00.80", "2025-11-15", await BeforeLists())).TotalAdValoremPercent);
    }

    [Fact]
    public async Task Laptops_pay_only_the_fentanyl_duty_List_4B_never_applied()
    {
        var now = await Duty("8471.30.01.00", "2025-11-15");
        // Note 33(g) lists all of heading 8471: the auto parts duty is listed, conditional on the machine being a vehicle part, and not in the total.
        Assert.Equal(new Dictionary<string, string> { ["SEC-AUTO-02.2"] = "25", ["TAR-US-14"] = "10" }, Layers(now));
        Assert.False(now.Layers.Single(l => l.MeasureId == "SEC-AUTO-02.2").InTotal);
        Assert.Equal("10", now.TotalAdValoremPercent);
        Assert.Equal("TAR-US-17", Assert.Single(now.ExemptedLayers).Layer.MeasureId);
        Assert.DoesNotContain(now.AnnouncedMeasures, a => a.MeasureId == "TAR-US-04.2");   // suspended, not a risk of this date

        Assert.Equal("20", (await Duty("8471.30.01.00", "2025-11-15", await BeforeLists())).TotalAdValoremPercent);
    }

    // ---- samples of every list, before, on and after each step -------------------------------------------------------

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("3")]
    [InlineData("4A")]
    [InlineData("4B")]
    public async Task Lines_sampled_from_a_section_301_list_pay_its_rate_on_each_side_of_each_step(string list)
    {
        var rows = ListFiles.Section301();
        var onlyHere = rows.GroupBy(r => r.Line).Where(g => g.All(r => r.List == list)).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        // (date, Section 301 total): the day before the list applied, its first day, each later step, and late 2025.
        (string Date, decimal Rate)[] steps = list switch
        {
            "1" => [("2018-07-05", 0), ("2018-07-06", 25), ("2025-11-15", 25)],
            "2" => [("2018-08-22", 0), ("2018-08-23", 25), ("2025-11-15", 25)],
            "3" => [("2018-09-23", 0), ("2018-09-24", 10), ("2019-05-09", 10), ("2019-05-10", 25), ("2025-11-15", 25)],
            "4A" => [("2019-08-31", 0), ("2019-09-01", 15), ("2020-02-13", 15), ("2020-02-14", 7.5m), ("2025-11-15", 7.5m)],
            _ => [("2019-09-01", 0), ("2025-11-15", 0)],
        };
        foreach (var line in ListFiles.Sample(onlyHere, 6))
        {
            foreach (var (date, rate) in steps)
            {
                var r = await Duty(line + "00", date);
                Assert.True(rate == Section301(r), $"{line} (list {list}) on {date}: Section 301 {Section301(r)}, expected {rate}");
            }
        }
    }

    [Theory]
    [InlineData("9903.91.01")]
    [InlineData("9903.91.02")]
    [InlineData("9903.91.03")]
    [InlineData("9903.91.05")]
    [InlineData("9903.91.06")]
    [InlineData("9903.91.11")]
    public async Task Lines_sampled_from_a_review_list_pay_the_review_rate_from_its_date_and_it_replaces_the_list_rate(string heading)
    {
        var (start, rate) = heading switch
        {
            "9903.91.01" => ("2024-09-27", 25m),
            "9903.91.02" => ("2024-09-27", 50m),
            "9903.91.03" => ("2024-09-27", 100m),
            "9903.91.05" => ("2025-01-01", 50m),
            "9903.91.11" => ("2025-01-01", 25m),
            _ => ("2026-01-01", 25m),
        };
        // 8507.60.00 stays at the seed's 10-digit EV / non-EV lines (the 8-digit line mixes both rates).
        var lines = ListFiles.Section301().Where(r => r.Heading == heading && r.Line != "85076000").Select(r => r.Line).Distinct().Order(StringComparer.Ordinal).ToList();
        var first = DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in ListFiles.Sample(lines, 5))
        {
            var on = await Duty(line + "00", start);
            Assert.True(rate == Section301(on), $"{line} ({heading}) on {start}: Section 301 {Section301(on)}, expected {rate}");
            var later = await Duty(line + "00", first.AddMonths(6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(rate, Section301(later));

            var before = await Duty(line + "00", first.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(Section301(before) < rate, $"{line} ({heading}) the day before {start}: {Section301(before)}");
            // Announced beside the answer, or (EVs, semiconductors, solar) already in force at the earlier 25%.
            Assert.True(before.AnnouncedMeasures.Any(a => a.Kind == TariffKind.Section301 && a.AdValoremPercent == Percent(rate)) || Section301(before) == 25,
                $"{line} ({heading}) the day before {start}: neither announced nor at the earlier rate");
        }
    }

    [Fact]
    public async Task A_List_3_line_raised_by_the_review_pays_50_not_75_from_the_first_day()
    {
        // 8541.10.00 is on List 3 and on the 2025-01-01 review list at 50%.
        Assert.Equal(25, Section301(await Duty("8541100020", "2024-12-31")));
        var on = await Duty("8541100020", "2025-01-01");
        Assert.Equal(50, Section301(on));
        Assert.Contains(on.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-03" && x.Layer.AdValoremPercent == "25");
    }

    [Fact]
    public async Task Lines_sampled_from_the_reciprocal_exemptions_get_no_reciprocal_layer_while_it_is_in_force()
    {
        // The exemptions of the U.S. note still in force at the end (to 2026-02-23); their dates are tested in NoteExemptionAnswerTests.
        var rows = ListFiles.Rows("reciprocal-exempt-from-note.csv").Where(r => r[2] == "2026-02-23").Select(r => r[0]).Order(StringComparer.Ordinal).ToList();
        foreach (var prefix in ListFiles.Sample(rows, 12))
        {
            var line = prefix.PadRight(10, '0');
            var r = await Duty(line, "2025-11-15");
            Assert.DoesNotContain(r.Layers, l => l.MeasureId == "TAR-US-17");
            Assert.Contains(r.Layers, l => l.MeasureId == "TAR-US-14");   // the fentanyl duty has no such exemption
            var exempt = Assert.Single(r.ExemptedLayers, x => x.Layer.MeasureId == "TAR-US-17");
            Assert.True(line.StartsWith(exempt.ExcludedHsPrefix, StringComparison.Ordinal), $"{line} exempt by {exempt.ExcludedHsPrefix}");

            Assert.Empty((await Duty(line, "2025-04-04")).ExemptedLayers);   // before the reciprocal duty: nothing to be exempt from
            Assert.DoesNotContain((await Duty(line, "2026-03-01")).ExemptedLayers, x => x.Layer.MeasureId == "TAR-US-17");   // ended 2026-02-24
        }
    }

    [Fact]
    public async Task Lines_sampled_from_the_section_122_exemptions_get_no_surcharge_from_any_origin()
    {
        foreach (var line in ListFiles.Sample(ListFiles.Codes("section122-exempt-from-note.csv").Where(c => c.Length == 8).Order(StringComparer.Ordinal).ToList(), 12))
        {
            var r = await Duty(line + "00", "2026-03-01", origin: "DE");
            Assert.DoesNotContain(r.Layers, l => l.MeasureId == "TAR-US-24");
            Assert.Equal("TAR-US-24", Assert.Single(r.ExemptedLayers).Layer.MeasureId);
            Assert.Empty((await Duty(line + "00", "2026-07-24", origin: "DE")).ExemptedLayers);   // the surcharge expired
        }
        var charged = await Duty("9403608081", "2026-03-01", origin: "DE");
        Assert.Equal("10", Layers(charged)["TAR-US-24"]);
    }

    // ---- the audit's corrections ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("8703.80.00.00", "2024-09-26", "2024-09-27", 100)]   // EVs (TAR-US-05)
    [InlineData("8542.31.00.00", "2024-12-31", "2025-01-01", 50)]    // semiconductors (TAR-US-07)
    [InlineData("8541.42.00.00", "2024-09-26", "2024-09-27", 50)]    // solar cells (TAR-US-08)
    public async Task A_review_increase_starts_from_25_percent_and_before_the_audit_it_started_from_nothing(string hs, string dayBefore, string start, int raised)
    {
        Assert.Equal(25, Section301(await Duty(hs, dayBefore)));
        Assert.Equal(raised, Section301(await Duty(hs, start)));
        Assert.Equal(0, Section301(await Duty(hs, dayBefore, await BeforeAudit())));
    }

    [Fact]
    public async Task The_2027_semiconductor_step_is_announced_not_in_force()
    {
        var now = await Duty("8541100080", "2027-07-01");
        Assert.Contains(now.AnnouncedMeasures, a => a.MeasureId == "TAR-US-13" && a.AdValoremPercent == "");
        Assert.DoesNotContain(now.NonAdValoremMeasures, l => l.MeasureId == "TAR-US-13");
        var before = await Duty("8541100080", "2027-07-01", await BeforeAudit());
        Assert.Contains(before.NonAdValoremMeasures, l => l.MeasureId == "TAR-US-13");
    }

    [Fact]
    public async Task Disposable_textile_facemasks_get_no_List_4A_history_the_reference_does_not_give()
    {
        var now = await Duty("6307.90.98.70", "2024-06-01");
        Assert.DoesNotContain(now.Layers, l => l.MeasureId == "TAR-US-04");
        Assert.Equal("6307909870", Assert.Single(now.ExemptedLayers).ExcludedHsPrefix);
        Assert.Equal(7.5m, Section301(await Duty("6307.90.98.70", "2024-06-01", await BeforeAudit())));   // the seed's List 4A rate
    }

    [Fact]
    public async Task Syringes_say_that_enteral_syringes_cannot_be_told_apart_and_pay_once_from_2026()
    {
        var mid2025 = await Duty("9018.31.00.00", "2025-06-01");
        Assert.Contains("enteral", mid2025.Layers.Single(l => l.MeasureId == "TAR-US-11.1").Period.Note, StringComparison.Ordinal);
        Assert.Contains(mid2025.AnnouncedMeasures, a => a.MeasureId == "TAR-US-11.2");
        Assert.DoesNotContain((await Duty("9018.31.00.00", "2025-06-01", await BeforeAudit())).AnnouncedMeasures, a => a.MeasureId == "TAR-US-11.2");

        var from2026 = await Duty("9018.31.00.00", "2026-02-01");
        Assert.Equal(100, Section301(from2026));
        Assert.Contains(from2026.ExcludedLayers, x => x.Layer.MeasureId == "TAR-US-11.2" && x.ExcludedByMeasureId == "TAR-US-11.1");
    }

    [Fact]
    public async Task Chinese_and_US_to_dates_follow_one_rule_the_named_day_is_still_covered()
    {
        var before = await BeforeAudit();
        foreach (var (id, until, old) in new[] { ("EXC-CN-04.2", "2026-11-28", "2026-11-27"), ("EXC-CN-09", "2026-11-11", "2026-11-10"), ("EXC-US-01", "2026-11-10", "2026-11-10") })
        {
            var now = (await fixture.ExportControls.GetExportControlAsync(new GetExportControlRequest { Id = id }, deadline: Deadline)).ExportControl;
            Assert.Equal(Date(until), now.Periods[^1].SuspendedUntil);
            var then = (await fixture.ExportControls.GetExportControlAsync(new GetExportControlRequest { Id = id, KnownAt = before }, deadline: Deadline)).ExportControl;
            Assert.Equal(Date(old), then.Periods[^1].SuspendedUntil);
        }
    }

    [Fact]
    public async Task The_inferred_continuation_of_the_military_end_use_ban_is_not_confirmed()
    {
        var now = (await fixture.ExportControls.GetExportControlAsync(new GetExportControlRequest { Id = "EXC-CN-04.1" }, deadline: Deadline)).ExportControl;
        Assert.Equal([Confidence.Confirmed, Confidence.Unconfirmed], now.Periods.Select(p => p.Confidence));
        Assert.Equal(Date("2025-11-09"), now.Periods[1].StartDate);
        Assert.Contains("[inferred]", now.Periods[1].Note, StringComparison.Ordinal);
        var then = (await fixture.ExportControls.GetExportControlAsync(new GetExportControlRequest { Id = "EXC-CN-04.1", KnownAt = await BeforeAudit() }, deadline: Deadline)).ExportControl;
        Assert.Equal(Confidence.Confirmed, Assert.Single(then.Periods).Confidence);
    }

    [Fact]
    public async Task Threats_that_never_took_effect_end_as_announced_not_revoked()
    {
        var tariff = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-28" }, deadline: Deadline)).TariffMeasure;
        Assert.Equal((PeriodStatus.Announced, Date("2025-11-01")), (tariff.Periods[^1].Status, tariff.Periods[^1].EndDate));
        var control = (await fixture.ExportControls.GetExportControlAsync(new GetExportControlRequest { Id = "EXC-US-02" }, deadline: Deadline)).ExportControl;
        Assert.All(control.Periods, p => Assert.Equal(PeriodStatus.Announced, p.Status));
        var then = (await fixture.Tariffs.GetTariffMeasureAsync(new GetTariffMeasureRequest { Id = "TAR-US-28", KnownAt = await BeforeAudit() }, deadline: Deadline)).TariffMeasure;
        Assert.Equal(PeriodStatus.Revoked, then.Periods[^1].Status);
    }

    [Fact]
    public async Task The_general_licence_term_took_effect_in_December_2025()
    {
        var truce = (await fixture.Truces.GetTruceAsync(new GetTruceRequest { Id = "TRUCE-US-CN-2025" }, deadline: Deadline)).Truce;
        Assert.Equal(Date("2025-12-04"), truce.Terms.Single(t => t.Id == "TRU-09").EffectiveDate);
        var then = (await fixture.Truces.GetTruceAsync(new GetTruceRequest { Id = "TRUCE-US-CN-2025", KnownAt = await BeforeAudit() }, deadline: Deadline)).Truce;
        Assert.Null(then.Terms.Single(t => t.Id == "TRU-09").EffectiveDate);
    }

    private static string Percent(decimal rate) => rate.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class SqliteScheduleAnswerTests(ServerFixture fixture) : ScheduleAnswerTests<ServerFixture>(fixture);

public sealed class SqlServerScheduleAnswerTests(SqlServerFixture fixture) : ScheduleAnswerTests<SqlServerFixture>(fixture);

/// <summary>The files of shared/reference/us-product-lists; a test that needs them is skipped, with the reason, when they are not beside the clone.</summary>
internal static class ListFiles
{
    public static List<(string Line, string List, string Heading)> Section301() =>
        [.. Rows("section301-product-lists.csv").Select(r => (r[0], r[1], r[2]))];

    public static List<string> Codes(string name) => [.. Rows(name).Select(r => r[0])];

    /// <summary>Up to <paramref name="count"/> lines spread evenly over the sorted list, first and last included.</summary>
    public static IEnumerable<string> Sample(IReadOnlyList<string> lines, int count)
    {
        Assert.NotEmpty(lines);
        return Enumerable.Range(0, Math.Min(count, lines.Count)).Select(i => lines[(int)((long)i * (lines.Count - 1) / Math.Max(1, Math.Min(count, lines.Count) - 1))]).Distinct();
    }

    /// <summary>The rows of a file of the folder (header skipped, quotes stripped, split at commas).</summary>
    public static List<string[]> Rows(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "reference", "us-product-lists", name);
            if (File.Exists(path))
                return File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Replace("\"", "", StringComparison.Ordinal).Split(',')).ToList();
        }
        Assert.Skip($"shared/reference/us-product-lists/{name} was not found above {AppContext.BaseDirectory}: sampling the lists needs ../shared beside the repository.");
        return [];
    }
}
