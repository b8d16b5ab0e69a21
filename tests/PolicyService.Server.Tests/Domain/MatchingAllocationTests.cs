using PolicyService.Server.Domain;
using PolicyService.Server.Queries;

namespace PolicyService.Server.Tests.Domain;

/// <summary>
/// Matching a candidate (importer and origin, HS scope with exclusions, as-of period) runs once per candidate per lookup:
/// it must not allocate. Measured on this thread, after a warm-up call so JIT and static setup are out of the count.
/// </summary>
public class MatchingAllocationTests
{
    // Lists as the store produces them (List<T> from JSON) and as arrays, behind the record's interface types.
    private static readonly TariffMeasure[] Candidates =
    [
        Measure(new List<string> { "CN", "VN" }, new List<string> { "72", "7211", "721123" }, new List<string> { "72112300", "7208" }),
        Measure(["CN"], ["8507", "850760"], ["8507600010"]),
    ];

    [Fact]
    public void Matching_a_candidate_allocates_nothing()
    {
        var date = new DateOnly(2025, 11, 15);
        Match(date); // warm-up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var matched = 0;
        for (var i = 0; i < 1000; i++) matched += Match(date);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2000, matched); // two of the five codes match a candidate; two more are excluded
        Assert.Equal(0, allocated);
    }

    private static int Match(DateOnly date)
    {
        var matched = 0;
        foreach (var code in (ReadOnlySpan<string>)["7211230060", "7211990000", "8507600020", "8507600010", "0101210010"])
        {
            for (var c = 0; c < Candidates.Length; c++)
            {
                var m = Candidates[c];
                if (DutyLookup.Applies(m, "US", "CN") && HsCode.IsCovered(m.Scope, code, date, out _) && AsOf.PeriodAt(m.Periods, date) is not null) matched++;
            }
        }
        return matched;
    }

    private static TariffMeasure Measure(IReadOnlyList<string> origins, IReadOnlyList<string> prefixes, IReadOnlyList<string> excluded) =>
        new("M", "US", origins, false, "", TariffKind.Antidumping, new ProductScope(false, prefixes, excluded, ""), "", Confidence.Confirmed, "", ["S01"],
            new List<TariffPeriod>
            {
                new("P1", new(2018, 1, 1), new(2024, 1, 1), PeriodStatus.InForce, 10m, "", "", null, null, null, "", Confidence.Confirmed),
                new("P2", new(2024, 1, 1), null, PeriodStatus.InForce, 25m, "", "", null, null, null, "", Confidence.Confirmed),
            }, []);
}
