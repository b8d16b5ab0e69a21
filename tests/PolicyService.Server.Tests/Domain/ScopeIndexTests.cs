using PolicyService.Server.Domain;

namespace PolicyService.Server.Tests.Domain;

/// <summary>
/// Scopes with thousands of prefixes (the Section 301 lists, the exemption lists) are matched through a hash index; it
/// must answer exactly as the linear scan that small scopes keep using.
/// </summary>
public class ScopeIndexTests
{
    private static readonly int[] Lengths = [2, 4, 6, 8, 10];

    private static readonly DateOnly AnyDay = new(2025, 11, 15);

    private static string Code(Random random, int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => (char)('0' + random.Next(0, 3))));   // few digits: many shared prefixes

    /// <summary>The same rule as HsCode.Match, written as plainly as possible: longest prefix, then any exclusion.</summary>
    private static (bool Covered, string Matched, string? Excluded) Reference(ProductScope scope, string code)
    {
        var matched = scope.HsPrefixes.Where(p => code.StartsWith(p, StringComparison.Ordinal)).OrderByDescending(p => p.Length).FirstOrDefault();
        if (matched is null && !scope.AllProducts) return (false, "", null);
        var excluded = scope.ExcludedHsPrefixes.Where(p => code.StartsWith(p, StringComparison.Ordinal)).OrderByDescending(p => p.Length).FirstOrDefault();
        return (excluded is null, matched ?? "", excluded);
    }

    [Fact]
    public void An_indexed_scope_matches_as_the_linear_scan_does()
    {
        var random = new Random(18);
        for (var round = 0; round < 40; round++)
        {
            var all = round % 3 == 0;
            var prefixes = all ? [] : Enumerable.Range(0, 50 + random.Next(200)).Select(_ => Code(random, Lengths[random.Next(5)])).Distinct().ToList();
            var excluded = Enumerable.Range(0, random.Next(100)).Select(_ => Code(random, Lengths[random.Next(5)])).Distinct().ToList();
            var scope = new ProductScope(all, prefixes, excluded, "random scope");
            Assert.True(prefixes.Count + excluded.Count > 32 || all);
            for (var i = 0; i < 300; i++)
            {
                var code = Code(random, 6 + random.Next(5));
                var expected = Reference(scope, code);
                var covered = HsCode.Match(scope, code, AnyDay, out var matched, out var exclusion);
                Assert.Equal(expected.Covered, covered);
                if (expected.Covered) Assert.Equal(expected.Matched, matched);
                if (!covered && (expected.Matched.Length > 0 || all)) Assert.Equal(expected.Excluded, exclusion);
            }
        }
    }

    [Fact]
    public void Dated_exclusions_are_matched_through_the_index_as_a_plain_scan_does()
    {
        var random = new Random(25);
        var origin = new DateOnly(2025, 1, 1);
        for (var round = 0; round < 20; round++)
        {
            var dated = Enumerable.Range(0, 40 + random.Next(200)).Select(_ =>
            {
                DateOnly? start = random.Next(4) == 0 ? null : origin.AddDays(random.Next(400));
                DateOnly? end = random.Next(4) == 0 ? null : (start ?? origin).AddDays(1 + random.Next(200));
                return new ScopeExclusion(Code(random, Lengths[random.Next(5)]), start, end, $"basis {random.Next(1000)}");
            }).ToList();
            var scope = new ProductScope(true, [], [], "random dated scope", "", dated);
            for (var i = 0; i < 300; i++)
            {
                var code = Code(random, 6 + random.Next(5));
                var date = origin.AddDays(random.Next(-10, 500));
                var inForce = dated.Where(x => code.StartsWith(x.HsPrefix, StringComparison.Ordinal) && x.InForceOn(date)).ToList();
                var covered = HsCode.Match(scope, code, date, out _, out var excludedBy, out var exclusion);
                Assert.Equal(inForce.Count == 0, covered);
                if (covered) continue;
                // The longest prefix in force wins; among entries of that prefix, any in force on the date is right.
                Assert.Equal(inForce.Max(x => x.HsPrefix.Length), excludedBy!.Length);
                Assert.Contains(exclusion!, inForce);
            }
        }
    }

    [Fact]
    public void Matching_a_scope_of_1100_dated_exclusions_allocates_nothing()
    {
        var dated = Enumerable.Range(0, 1100).Select(i => new ScopeExclusion($"02{i:D6}", new(2025, 11, 13), new(2026, 2, 24), "ag-2025-11")).ToList();
        var scope = new ProductScope(true, [], [], "all goods but the dated lines", "", dated);
        var day = new DateOnly(2025, 12, 1);
        HsCode.Match(scope, "0200000100", day, out _, out _, out _);   // builds the index
        var before = GC.GetAllocatedBytesForCurrentThread();
        var covered = 0;
        for (var i = 0; i < 1000; i++)
        {
            if (HsCode.Match(scope, "0200000100", day, out _, out _, out _)) covered++;                      // exempt on the day
            if (HsCode.Match(scope, "0200000100", new DateOnly(2025, 6, 1), out _, out _, out _)) covered++; // not yet
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, covered);
    }

    [Fact]
    public void An_exclusion_names_itself_and_a_miss_names_nothing()
    {
        var lines = Enumerable.Range(0, 100).Select(i => $"8471{i:D4}").ToList();
        var scope = new ProductScope(true, [], [.. lines, "85411000"], "all goods but the listed lines");

        Assert.False(HsCode.Match(scope, "8541100080", AnyDay, out _, out var exemption));
        Assert.Equal("85411000", exemption);
        Assert.True(HsCode.Match(scope, "8541210000", AnyDay, out var matched, out exemption));
        Assert.Equal("", matched);
        Assert.Null(exemption);

        var listed = new ProductScope(false, lines, [], "listed lines");
        Assert.False(HsCode.Match(listed, "9403608081", AnyDay, out _, out exemption));
        Assert.Null(exemption);   // not in the scope at all: no exemption to report
        Assert.True(HsCode.Match(listed, "84710042", AnyDay, out matched, out _));
        Assert.Equal("84710042", matched);
    }

    [Fact]
    public void Matching_an_indexed_scope_allocates_nothing()
    {
        var scope = new ProductScope(false, [.. Enumerable.Range(0, 5000).Select(i => $"94{i:D6}")], [.. Enumerable.Range(0, 100).Select(i => $"9400{i:D4}00")], "big");
        HsCode.Match(scope, "9400000100", AnyDay, out _, out _);   // builds the index
        var before = GC.GetAllocatedBytesForCurrentThread();
        var covered = 0;
        for (var i = 0; i < 1000; i++)
        {
            if (HsCode.Match(scope, "9400123400", AnyDay, out _, out _)) covered++;
            if (HsCode.Match(scope, "9400000100", AnyDay, out _, out _)) covered++;   // excluded
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, covered);
    }
}
