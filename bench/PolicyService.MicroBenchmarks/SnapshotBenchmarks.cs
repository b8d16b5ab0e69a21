using BenchmarkDotNet.Attributes;
using PolicyService.Server.Domain;
using PolicyService.Server.Snapshots;

namespace PolicyService.MicroBenchmarks;

/// <summary>
/// The in-memory snapshot at 1k and 1M measures: what applying one changed measure costs the refresher (the work after
/// the database read), and what a lookup's candidate search costs. Both should not grow with the data.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private static readonly string[] Importers = ["US", "CN", "IN", "CA", "GB", "MX", "JP", "BR", "KR", "TR", "AU", "ZA"];
    private static readonly string[] Origins = ["CN", "VN", "IN", "KR", "TW", "TH", "MY", "ID", "JP", "MX"];

    private PolicySnapshot _snapshot = null!;
    private TariffMeasure _changed = null!;
    private string _code = "";

    [Params(1_000, 1_000_000)]
    public int Measures { get; set; }

    [GlobalSetup]
    public void Build()
    {
        _snapshot = PolicySnapshot.Build(Enumerable.Range(0, Measures).Select(Measure), [], [], Measures);
        var existing = Measure(Measures / 2);
        // The same measure with a new rate and one more origin: it moves between lanes, as a real amendment can.
        _changed = existing with { Origins = [.. existing.Origins, "DE"], Periods = [existing.Periods[0] with { AdValoremPercent = 42 }] };
        _code = existing.Scope.HsPrefixes[0];
    }

    [Benchmark]
    public long Apply_one_changed_measure() => _snapshot.With([_changed], _snapshot.Position + 1).Position;

    [Benchmark]
    public int Tariff_candidates() => _snapshot.TariffCandidates(_changed.Importer, "CN", _code).Count;

    private static TariffMeasure Measure(int i)
    {
        var code = (1_000_000_000L + (i * 7919L % 8_999_999_999L)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new TariffMeasure($"M{i:D8}", Importers[i % Importers.Length], [Origins[i % Origins.Length], "CN"], false, "Anti-dumping duty",
            TariffKind.Antidumping, new ProductScope(false, [code], [], "One tariff line"), "Order", Confidence.Confirmed, "", ["S01"],
            [new TariffPeriod($"M{i:D8}-1", new DateOnly(2020, 1, 1), new DateOnly(2025, 1, 1), PeriodStatus.InForce, 12.5m, "12.5%", "Order", null, null, null, "", Confidence.Confirmed),
             new TariffPeriod($"M{i:D8}-2", new DateOnly(2025, 1, 1), null, PeriodStatus.InForce, 25m, "25%", "Order", null, null, null, "", Confidence.Confirmed)],
            [], new RecordInfo(1, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), "seed", "load"));
    }
}
