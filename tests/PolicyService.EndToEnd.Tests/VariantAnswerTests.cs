using Google.Protobuf.WellKnownTypes;
using TradePolicy.V1;
using static PolicyService.EndToEnd.Tests.Calls;

namespace PolicyService.EndToEnd.Tests;

/// <summary>
/// Codes less specific than the data, asked of the real server on both providers: the lines under them that answer
/// differently are listed as variants (each answering as a lookup of its own line does), the total is given only when
/// every line agrees, and answers read from the database (known_at) equal those from the snapshot.
/// </summary>
public abstract class VariantAnswerTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ServerFixture
{
    private readonly TFixture fixture = Provider.Require(fixture);

    private async Task<LookupDutyResponse> Duty(string hs, string date = "2025-11-15", Timestamp? knownAt = null, DutyView view = DutyView.Full) =>
        await fixture.Tariffs.LookupDutyAsync(new LookupDutyRequest { Importer = "US", Origin = "CN", HsCode = hs, AsOf = Date(date), KnownAt = knownAt, View = view }, deadline: Deadline);

    private static DutyVariant VariantOf(LookupDutyResponse r, string prefix) => Assert.Single(r.Variants, v => v.HsPrefixes.Contains(prefix));

    [Fact]
    public async Task Batteries_at_eight_digits_answer_with_the_variants_of_their_lines_and_no_total()
    {
        var answer = await Duty("8507.60.00");

        Assert.True(answer.TotalVaries);
        Assert.Empty(answer.TotalAdValoremPercent);
        var ev = VariantOf(answer, "8507600010");
        var other = VariantOf(answer, "8507600020");
        Assert.NotSame(ev, other);
        Assert.Contains(ev.Layers, l => l.MeasureId == "TAR-US-06.1" && l.AdValoremPercent == "25");
        Assert.Contains(other.Layers, l => l.MeasureId == "TAR-US-04" && l.AdValoremPercent == "7.5");
        Assert.Contains(other.AnnouncedMeasures, l => l.MeasureId == "TAR-US-06.2");

        // The other lines are last and pay no Section 301 duty: List 4A names only the two battery lines.
        var rest = answer.Variants[^1];
        Assert.True(rest.OtherLines);
        Assert.Single(answer.Variants, v => v.OtherLines);
        Assert.DoesNotContain(rest.Layers, l => l.Kind == TariffKind.Section301);

        // The top claims only what every line pays: the fentanyl duty, never List 4A.
        Assert.Contains(answer.Layers, l => l.MeasureId == "TAR-US-14");
        Assert.DoesNotContain(answer.Layers, l => l.MeasureId == "TAR-US-04");
        Assert.All(answer.Variants, v => Assert.All(answer.Layers, l => Assert.Contains(v.Layers, x => x.MeasureId == l.MeasureId)));
    }

    [Theory]
    [InlineData("8507600010")]
    [InlineData("8507600020")]
    public async Task A_variant_answers_exactly_as_a_lookup_of_its_own_line(string line)
    {
        var variant = VariantOf(await Duty("85076000"), line);
        var own = await Duty(line);

        Assert.Equal(line, variant.HsPrefixes[0]);
        Assert.Equal(own.TotalAdValoremPercent, variant.TotalAdValoremPercent);
        Assert.Equal(own.Layers, variant.Layers);
        Assert.Equal(own.ExcludedLayers, variant.ExcludedLayers);
        Assert.Equal(own.ExemptedLayers, variant.ExemptedLayers);
        Assert.Equal(own.AnnouncedMeasures, variant.AnnouncedMeasures);
        Assert.Equal(own.TruceEffects, variant.TruceEffects);
    }

    [Fact]
    public async Task A_ten_digit_battery_line_answers_as_before_with_one_total_and_no_variants()
    {
        var answer = await Duty("8507.60.00.20");

        Assert.False(answer.TotalVaries);
        Assert.Empty(answer.Variants);
        Assert.Equal(answer.Layers.Sum(l => decimal.Parse(l.AdValoremPercent, System.Globalization.CultureInfo.InvariantCulture)),
            decimal.Parse(answer.TotalAdValoremPercent, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(answer.Layers, l => l.MeasureId == "TAR-US-04");
    }

    [Fact]
    public async Task Wooden_furniture_at_six_digits_keeps_List_3_on_the_lines_it_names_and_lists_the_rest_apart()
    {
        var answer = await Duty("9403.60");

        Assert.True(answer.TotalVaries);
        Assert.DoesNotContain(answer.Layers, l => l.MeasureId == "TAR-US-03");
        foreach (var prefix in new[] { "94036040", "94036080" })
        {
            Assert.Contains(VariantOf(answer, prefix).Layers, l => l.MeasureId == "TAR-US-03" && l.AdValoremPercent == "25");
        }
        Assert.DoesNotContain(answer.Variants[^1].Layers, l => l.MeasureId == "TAR-US-03");

        // At 8 digits every line under 9403.60.80 pays List 3, but the completed wooden kitchen cabinets (9403.60.80.93) also
        // pay the Section 232 wood duty from 2025-10-14: List 3 stays on top, and the cabinet line is a variant of its own.
        var eight = await Duty("9403.60.80");
        Assert.True(eight.TotalVaries);
        Assert.Contains(eight.Layers, l => l.MeasureId == "TAR-US-03");
        Assert.Contains(VariantOf(eight, "9403608093").Layers, l => l.MeasureId == "SEC-WOOD-03" && l.AdValoremPercent == "25");
        Assert.DoesNotContain(eight.Variants[^1].Layers, l => l.MeasureId == "SEC-WOOD-03");
        Assert.Equal((await Duty("9403.60.80.81")).TotalAdValoremPercent, eight.Variants[^1].TotalAdValoremPercent);
    }

    [Fact]
    public async Task Laptops_at_eight_digits_are_exempt_from_the_reciprocal_duty_as_the_whole_heading_is()
    {
        // U.S. note 2(v)(iii)(a) names the whole heading 8471: every line under 8471.30.01 answers alike, without a variant.
        var answer = await Duty("8471.30.01");

        Assert.False(answer.TotalVaries);
        Assert.DoesNotContain(answer.Layers, l => l.MeasureId == "TAR-US-17");
        Assert.Contains(answer.ExemptedLayers, x => x.Layer.MeasureId == "TAR-US-17" && x.ExcludedHsPrefix == "8471");
        Assert.Equal((await Duty("8471.30.01.00")).TotalAdValoremPercent, answer.TotalAdValoremPercent);
    }

    [Theory]
    [InlineData("85076000")]
    [InlineData("940360")]
    [InlineData("84713001")]
    [InlineData("94036080")]
    public async Task A_less_specific_code_answers_the_same_from_the_database_as_from_the_snapshot(string code)
    {
        var fromSnapshot = await Duty(code);
        var fromDatabase = await Duty(code, knownAt: Timestamp.FromDateTime(DateTime.UtcNow));

        Assert.NotNull(fromSnapshot.Coverage.SnapshotTime);
        Assert.Null(fromDatabase.Coverage.SnapshotTime);
        foreach (var answer in new[] { fromSnapshot, fromDatabase })
        {
            answer.KnownAt = null;
            answer.Coverage = null;
            answer.ChangeToken = "";
        }
        Assert.Equal(fromSnapshot, fromDatabase);
    }

    [Fact]
    public async Task The_basic_view_keeps_each_variants_prefixes_and_total_and_cuts_its_layers_as_the_top()
    {
        var full = await Duty("85076000");
        var basic = await Duty("85076000", view: DutyView.Basic);

        Assert.True(basic.TotalVaries);
        Assert.Equal(full.Variants.Select(v => (string.Join(",", v.HsPrefixes), v.OtherLines, v.TotalAdValoremPercent)),
            basic.Variants.Select(v => (string.Join(",", v.HsPrefixes), v.OtherLines, v.TotalAdValoremPercent)));
        Assert.All(basic.Variants.SelectMany(v => v.Layers), l => Assert.Equal(("", ""), (l.Title, l.MatchedHsPrefix)));
        Assert.All(basic.Variants.SelectMany(v => v.Layers), l => Assert.NotEmpty(l.LegalInstrument));
        Assert.All(basic.Variants.SelectMany(v => v.ExemptedLayers), x => Assert.Empty(x.Reason));
    }

    [Fact]
    public async Task The_duty_timeline_of_a_less_specific_code_says_where_its_answer_varies()
    {
        var timeline = await fixture.Tariffs.GetDutyTimelineAsync(new GetDutyTimelineRequest
        {
            Importer = "US", Origin = "CN", HsCode = "8507.60.00", StartDate = Date("2025-10-01"), EndDate = Date("2026-02-01"),
        }, deadline: Deadline);

        Assert.All(timeline.Segments, s => Assert.True(s.TotalVaries));
        Assert.All(timeline.Segments, s => Assert.Empty(s.TotalAdValoremPercent));
        // The non-EV batteries' review rate takes effect on 2026-01-01: their variant changes there.
        var from2026 = Assert.Single(timeline.Segments, s => s.StartDate.Equals(Date("2026-01-01")));
        Assert.Contains(Assert.Single(from2026.Variants, v => v.HsPrefixes.Contains("8507600020")).Layers, l => l.MeasureId == "TAR-US-06.2");
        Assert.DoesNotContain(Assert.Single(timeline.Segments[0].Variants, v => v.HsPrefixes.Contains("8507600020")).Layers, l => l.MeasureId == "TAR-US-06.2");
    }

    [Fact]
    public async Task Gallium_at_six_digits_needs_a_licence_for_the_lines_the_controls_name_and_says_the_outcome_varies()
    {
        var answer = await fixture.ExportControls.CheckExportAsync(new CheckExportRequest { Exporter = "CN", Destination = "US", Item = "8112.92", AsOf = Date("2025-06-01") }, deadline: Deadline);

        Assert.True(answer.OutcomeVaries);
        Assert.True(answer.LicenseRequired);
        var gallium = Assert.Single(answer.Variants, v => v.HsPrefixes.Contains("8112929010"));
        Assert.True(gallium.LicenseRequired);
        Assert.Contains(gallium.ControlsInForce, c => c.ControlId == "EXC-CN-01");
        var rest = answer.Variants[^1];
        Assert.True(rest.OtherLines);
        Assert.False(rest.LicenseRequired);
        Assert.Empty(answer.ControlsInForce);   // no control covers every line under 8112.92

        var line = await fixture.ExportControls.CheckExportAsync(new CheckExportRequest { Exporter = "CN", Destination = "US", Item = "8112.92.90.10", AsOf = Date("2025-06-01") }, deadline: Deadline);
        Assert.False(line.OutcomeVaries);
        Assert.Empty(line.Variants);
        Assert.Equal(gallium.ControlsInForce.Select(c => c.ControlId), line.ControlsInForce.Select(c => c.ControlId));
    }
}

public sealed class SqliteVariantAnswerTests(ServerFixture fixture) : VariantAnswerTests<ServerFixture>(fixture);

public sealed class SqlServerVariantAnswerTests(SqlServerFixture fixture) : VariantAnswerTests<SqlServerFixture>(fixture);
