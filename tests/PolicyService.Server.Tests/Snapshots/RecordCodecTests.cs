using System.Text.Json;
using PolicyService.Server.Domain;
using PolicyService.Server.Seed;
using PolicyService.Server.Snapshots;

namespace PolicyService.Server.Tests.Snapshots;

/// <summary>The compact form must give back every field of every record, decimals with their scale.</summary>
public class RecordCodecTests
{
    private static readonly PolicyDataset Seed = SeedData.Load();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TheoryData<string> MeasureIds => [.. Seed.TariffMeasures.Select(m => m.Id)];

    public static TheoryData<string> ControlIds => [.. Seed.ExportControls.Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(MeasureIds))]
    public void Every_seeded_measure_decodes_to_what_was_encoded(string id)
    {
        var measure = Seed.TariffMeasures.Single(m => m.Id == id) with { Recorded = new RecordInfo(3, new DateTime(2026, 10, 8, 12, 0, 0, DateTimeKind.Utc), "analyst@example.org", "2026 update") };
        Assert.Equal(JsonSerializer.Serialize(measure, Json), JsonSerializer.Serialize(RoundTrip(measure), Json));
    }

    [Theory]
    [MemberData(nameof(ControlIds))]
    public void Every_seeded_control_decodes_to_what_was_encoded(string id)
    {
        var control = Seed.ExportControls.Single(c => c.Id == id);
        var pool = new StringPool();
        var writer = new RecordWriter(pool);
        RecordCodec.Write(writer, control);
        var reader = new RecordReader(writer.Written, pool);
        Assert.Equal(JsonSerializer.Serialize(control, Json), JsonSerializer.Serialize(RecordCodec.ReadControl(ref reader), Json));
    }

    [Fact]
    public void Edge_values_survive_scale_signs_nulls_unicode_repeats_and_odd_prefixes()
    {
        var measure = Measure("TAR-Ω-1", notes: "Zölle — 关税", prefixes: ["0101", "8507600020", "99AB"], periods:
        [
            new TariffPeriod("TAR-Ω-1/1", new DateOnly(2018, 7, 6), new DateOnly(2019, 5, 10), PeriodStatus.InForce, 7.50m, "+7.50%", "Same instrument", -0.25m,
                null, "TERM-1", "", Confidence.Reported),
            new TariffPeriod("TAR-Ω-1/2", new DateOnly(2019, 5, 10), null, PeriodStatus.Suspended, 79228162514264337593543950335m, "huge", "Same instrument",
                null, new DateOnly(2026, 11, 10), null, "note", Confidence.Unconfirmed),
        ]);
        var decoded = RoundTrip(measure);
        Assert.Equal(JsonSerializer.Serialize(measure, Json), JsonSerializer.Serialize(decoded, Json));
        Assert.Equal("7.50", decoded.Periods[0].AdValoremPercent!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(decoded.Periods[1].SuspendedPercent);
        Assert.Null(decoded.Periods[1].TruceTermId);
        Assert.Equal(["0101", "8507600020", "99AB"], decoded.Scope.HsPrefixes);
    }

    [Fact]
    public void Dated_exclusions_keep_their_prefix_dates_open_ends_and_basis()
    {
        var base_ = Measure("TAR-DATED", notes: "", prefixes: ["85"], periods: []);
        var measure = base_ with
        {
            Scope = base_.Scope with
            {
                DatedExclusions =
                [
                    new("39076100", new DateOnly(2025, 4, 5), new DateOnly(2025, 9, 8), "annex-ii-original (removed by EO 14346)"),
                    new("39076100", new DateOnly(2025, 11, 13), null, "again — wieder"),
                    new("8471", null, null, "electronics-memo rev6 L12791"),
                    new("02", null, new DateOnly(2026, 2, 24), ""),
                ],
            },
        };
        var decoded = RoundTrip(measure);
        Assert.Equal(JsonSerializer.Serialize(measure, Json), JsonSerializer.Serialize(decoded, Json));
        Assert.Equal(measure.Scope.DatedExclusions, decoded.Scope.DatedExclusions);
    }

    [Fact]
    public void A_full_pool_writes_shared_strings_into_the_record()
    {
        var pool = StringPool.Of(Enumerable.Range(0, StringPool.Capacity).Select(i => $"filler {i}"));
        var measure = Measure("TAR-FULL", notes: "a note the pool has no room for", prefixes: ["85"], periods: []);
        var writer = new RecordWriter(pool);
        RecordCodec.Write(writer, measure);
        Assert.Equal(StringPool.Capacity, pool.Count);
        var reader = new RecordReader(writer.Written, pool);
        Assert.Equal(JsonSerializer.Serialize(measure, Json), JsonSerializer.Serialize(RecordCodec.ReadMeasure(ref reader), Json));
    }

    [Fact]
    public void Shared_strings_are_held_once_and_a_record_is_small()
    {
        var pool = new StringPool();
        var writer = new RecordWriter(pool);
        foreach (var m in Seed.TariffMeasures.Where(m => m.Importer == "US"))
        {
            writer.Reset();
            RecordCodec.Write(writer, m);
            // Small: under half of the record's own JSON, every seeded measure (shared strings, numeric prefixes).
            Assert.True(writer.Length * 2 < JsonSerializer.SerializeToUtf8Bytes(m, Json).Length, $"{m.Id}: {writer.Length} bytes");
        }
        Assert.Equal(1, pool.Strings.Count(s => s == "US"));
        // The measure's own instrument repeated in its periods is written once, then referred to.
        var one = Measure("TAR-R", notes: "", prefixes: ["85"], periods:
        [
            new TariffPeriod("TAR-R/1", new DateOnly(2020, 1, 1), null, PeriodStatus.InForce, 10m, "", "A long legal instrument, written once", null, null, null, "", Confidence.Confirmed),
        ]);
        writer.Reset();
        RecordCodec.Write(writer, one);
        Assert.Equal(1, CountOf(writer.Written, "A long legal instrument, written once"u8));
    }

    private static int CountOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> part)
    {
        var count = 0;
        for (var at = data.IndexOf(part); at >= 0; at = data[(at + 1)..].IndexOf(part) is var next and >= 0 ? at + 1 + next : -1) count++;
        return count;
    }

    private static TariffMeasure RoundTrip(TariffMeasure measure)
    {
        var pool = new StringPool();
        var writer = new RecordWriter(pool);
        RecordCodec.Write(writer, measure);
        var reader = new RecordReader(writer.Written, pool);
        return RecordCodec.ReadMeasure(ref reader);
    }

    internal static TariffMeasure Measure(string id, string notes, string[] prefixes, TariffPeriod[] periods) =>
        new(id, "US", ["CN", "HK"], false, "A measure", TariffKind.Section301, new ProductScope(false, prefixes, ["85076000"], "Scope", "Mapped by hand"),
            "A long legal instrument, written once", Confidence.Confirmed, notes, ["S01", "S02"], periods,
            [new StackingExclusion("TAR-X", "stacking rule")], new RecordInfo(1, new DateTime(2025, 4, 9, 4, 1, 0, DateTimeKind.Utc), "seed", "initial"));
}
