using BenchmarkDotNet.Attributes;
using PolicyService.Server.Domain;
using PolicyService.Server.Queries;

namespace PolicyService.MicroBenchmarks;

/// <summary>Normalising a caller's HS code, and matching a code against a measure's scope (prefixes and exclusions).</summary>
[MemoryDiagnoser]
public class HsCodeBenchmarks
{
    // A realistic broad scope: a few headings and subheadings, with exclusions inside them.
    private readonly ProductScope _scope = new(false, ["7208", "7209", "721011", "7211", "722830"], ["72085110", "7211190030"], "Flat-rolled steel");
    private readonly ProductScope _allProducts = new(true, [], ["9903"], "All products");

    [Benchmark]
    public bool TryNormalize_dotted() => HsCode.TryNormalize("8507.60.00.20", out _);

    [Benchmark]
    public bool TryNormalize_digits() => HsCode.TryNormalize("8507600020", out _);

    [Benchmark]
    public bool IsCovered_match() => HsCode.IsCovered(_scope, "7211230060", Fixtures.Day, out _);

    [Benchmark]
    public bool IsCovered_excluded() => HsCode.IsCovered(_scope, "7211190030", Fixtures.Day, out _);

    [Benchmark]
    public bool IsCovered_no_match() => HsCode.IsCovered(_scope, "8507600020", Fixtures.Day, out _);

    [Benchmark]
    public bool IsCovered_all_products() => HsCode.IsCovered(_allProducts, "8507600020", Fixtures.Day, out _);
}

/// <summary>Which period of a measure's history covers a date.</summary>
[MemoryDiagnoser]
public class AsOfBenchmarks
{
    private readonly IReadOnlyList<TariffPeriod> _periods = Fixtures.Periods();

    [Benchmark]
    public TariffPeriod? PeriodAt_last() => AsOf.PeriodAt(_periods, new DateOnly(2026, 3, 1));

    [Benchmark]
    public TariffPeriod? PeriodAt_first() => AsOf.PeriodAt(_periods, new DateOnly(2018, 9, 1));

    [Benchmark]
    public TariffPeriod? PeriodAt_none() => AsOf.PeriodAt(_periods, new DateOnly(2010, 1, 1));
}

/// <summary>Stacking in-force layers (with one stacking rule), and a whole lookup over a handful of candidates.</summary>
[MemoryDiagnoser]
public class DutyLookupBenchmarks
{
    private readonly IReadOnlyList<DutyLayer> _layers = Fixtures.Layers();
    private readonly IReadOnlyList<TariffMeasure> _candidates = Fixtures.Measures();

    [Benchmark]
    public int Stack() => DutyLookup.Stack(_layers).Layers.Count;

    [Benchmark]
    public decimal Resolve() => DutyLookup.Resolve(_candidates, "US", "CN", "7211230060", new DateOnly(2025, 11, 15)).TotalAdValoremPercent;

    /// <summary>The matching part of a lookup for one candidate: importer and origin, scope, date.</summary>
    [Benchmark]
    public bool Match()
    {
        var m = _candidates[2];
        return DutyLookup.Applies(m, "US", "CN") && HsCode.IsCovered(m.Scope, "7211230060", Fixtures.Day, out _) && AsOf.PeriodAt(m.Periods, new DateOnly(2025, 11, 15)) is not null;
    }
}

internal static class Fixtures
{
    /// <summary>The as-of date the matching benchmarks ask for.</summary>
    public static readonly DateOnly Day = new(2025, 11, 15);

    public static List<TariffPeriod> Periods() =>
    [
        Period("P1", new(2018, 7, 6), new(2019, 5, 10), 10m),
        Period("P2", new(2019, 5, 10), new(2025, 4, 9), 25m),
        Period("P3", new(2025, 4, 9), new(2025, 11, 10), 125m),
        Period("P4", new(2025, 11, 10), null, 10m),
    ];

    public static List<TariffMeasure> Measures() =>
    [
        Measure("M-01", ["CN"], ["72"], 25m, []),
        Measure("M-02", [], ["7211"], 10m, []),
        Measure("M-03", ["CN", "VN"], ["721123", "7208"], 7.5m, []),
        Measure("M-04", ["CN"], ["7211230060"], 206.72m, [new StackingExclusion("M-05", "M-05 applies instead")]),
        Measure("M-05", ["CN"], ["72112300"], 64.21m, []),
        Measure("M-06", ["MX"], ["7211"], 15m, []),
    ];

    public static List<DutyLayer> Layers() =>
        Measures().Where(m => DutyLookup.Applies(m, "US", "CN")).Select(m => new DutyLayer(m, m.Periods[^1], m.Scope.HsPrefixes[0])).ToList();

    private static TariffMeasure Measure(string id, List<string> origins, List<string> prefixes, decimal rate, List<StackingExclusion> excludedBy) =>
        new(id, "US", origins, origins.Count == 0, $"Measure {id}", TariffKind.Antidumping, new ProductScope(false, prefixes, [], ""),
            "", Confidence.Confirmed, "", ["S01"], [Period(id, new(2018, 1, 1), new(2024, 1, 1), rate / 2), Period(id, new(2024, 1, 1), null, rate)], excludedBy);

    private static TariffPeriod Period(string id, DateOnly start, DateOnly? end, decimal rate) =>
        new(id, start, end, PeriodStatus.InForce, rate, $"+{rate}%", "", null, null, null, "", Confidence.Confirmed);
}

/// <summary>
/// Matching against list-sized scopes: List 3's 6,190 8-digit lines and the reciprocal duty's 4,296 10-digit
/// exemptions, through the hash index that scopes above 32 prefixes use, beside the linear scan they would need otherwise.
/// </summary>
[MemoryDiagnoser]
public class ListScopeBenchmarks
{
    private static readonly string[] Lines = [.. Enumerable.Range(0, 6190).Select(i => (10_000_000 + i * 14_503L % 89_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly string[] Exempt = [.. Enumerable.Range(0, 4296).Select(i => (1_000_000_000 + i * 2_094_871L % 8_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private readonly ProductScope _list3 = new(false, Lines, [], "List 3");
    private readonly ProductScope _reciprocal = new(true, [], Exempt, "All goods but the exemptions");
    private readonly string _listed = Lines[4000] + "81";
    private readonly string _exempt = Exempt[3000];

    [Benchmark]
    public bool List_line_indexed() => HsCode.IsCovered(_list3, _listed, Fixtures.Day, out _);

    [Benchmark]
    public bool List_miss_indexed() => HsCode.IsCovered(_list3, "0101210010", Fixtures.Day, out _);

    [Benchmark]
    public bool Exempt_line_indexed() => HsCode.Match(_reciprocal, _exempt, Fixtures.Day, out _, out _);

    [Benchmark(Baseline = true)]
    public bool List_line_linear_scan()
    {
        for (var i = 0; i < Lines.Length; i++)
        {
            if (_listed.StartsWith(Lines[i], StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
