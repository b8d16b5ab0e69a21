namespace PolicyService.Bench.Data;

/// <summary>
/// A synthetic Harmonized System nomenclature shaped like a national tariff schedule: the 96 HS chapters (01–97, no 77),
/// 4-digit headings, 6-digit subheadings, 8-digit national lines and 10-digit statistical suffixes. About 40,000
/// ten-digit lines, the order of magnitude of the US schedule (~19,000) or the EU's combined nomenclature (~15,000 CN8
/// plus TARIC suffixes). Built deterministically from a seed.
/// </summary>
public sealed class Nomenclature
{
    private readonly string[] _lines;

    public Nomenclature(int seed)
    {
        var random = new Random(seed);
        var lines = new List<string>(64_000);
        for (var chapter = 1; chapter <= 97; chapter++)
        {
            if (chapter == 77) continue; // reserved for future use in the HS
            var headings = random.Next(4, 25);
            for (var heading = 1; heading <= headings; heading++)
            {
                var h4 = $"{chapter:D2}{heading:D2}";
                // Subheadings: "10", "20", … and sometimes split ones ("11", "19"), as in the real HS.
                foreach (var sub in Children(random, 2, 8, 10))
                {
                    var h6 = h4 + sub;
                    foreach (var national in Children(random, 1, 4, 10))
                    {
                        var h8 = h6 + national;
                        foreach (var statistical in Children(random, 1, 4, 10))
                        {
                            lines.Add(h8 + statistical);
                        }
                    }
                }
            }
        }
        lines.Sort(StringComparer.Ordinal);
        _lines = [.. lines];
    }

    /// <summary>Every 10-digit line, in code order.</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Distinct prefixes of one length (2, 4, 6 or 8), in code order.</summary>
    public IReadOnlyList<string> Prefixes(int length) =>
        length == 10 ? _lines : _lines.Select(l => l[..length]).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The 10-digit lines under a prefix, as a range of <see cref="Lines"/>.</summary>
    public ReadOnlySpan<string> LinesUnder(string prefix)
    {
        var first = LowerBound(prefix);
        var last = first;
        while (last < _lines.Length && _lines[last].StartsWith(prefix, StringComparison.Ordinal)) last++;
        return _lines.AsSpan(first, last - first);
    }

    private int LowerBound(string prefix)
    {
        int lo = 0, hi = _lines.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_lines[mid], prefix) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    // Two-digit child suffixes: mostly the round "10", "20", …; now and then a split pair ("11", "19") or a lone "00".
    private static List<string> Children(Random random, int min, int max, int step)
    {
        var count = random.Next(min, max + 1);
        if (count == 1 && random.Next(2) == 0) return ["00"];
        var children = new List<string>(count);
        for (var i = 1; i <= count; i++)
        {
            var value = i * step;
            if (value > 90) break;
            if (random.Next(6) == 0 && value + 9 <= 99)
            {
                children.Add((value + 1).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
                children.Add((value + 9).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                children.Add(value.ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return children;
    }
}
