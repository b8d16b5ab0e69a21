using PolicyService.Server.Domain;

namespace PolicyService.Bench.Data;

/// <summary>
/// Synthetic trade policy at any size, for load tests. Record <c>i</c> depends only on the seed and <c>i</c>, so a
/// data set of a million measures is never held in memory, any record can be rebuilt on its own, and the same seed
/// gives the same database on every machine.
/// </summary>
/// <remarks>
/// The shape follows real tariff schedules and trade remedies:
/// <list type="bullet">
/// <item>12 importers with skewed weights (the US, China and India impose most remedies) and 40 origins, China and
/// Viet Nam the most frequent; line-level measures name one to three origins (one in twenty applies to all);</item>
/// <item>scopes at every HS level: 2% of measures are broad, policy-level duties on chapters and headings (half of them
/// for all origins), 98% are line-level (anti-dumping orders and tariff lines at 6, 8 and 10 digits), so a large
/// schedule grows by its lines as real ones do; a quarter of the scopes at 6 digits or broader carry exclusions
/// (narrower prefixes inside them);</item>
/// <item>one to four consecutive periods per measure between 2017 and 2027 (announced, in force, suspended, expired),
/// rates in exact basis points, a few specific (non ad valorem) rates; periods of different measures overlap freely;</item>
/// <item>one measure in twenty replaces an earlier one on the same products and origins and names it in a stacking
/// rule, so stacking is exercised.</item>
/// </list>
/// Export controls follow the same rules over the chapters that carry dual-use goods, with named items.
/// </remarks>
public sealed class SyntheticPolicy
{
    /// <summary>Bumped whenever the output for a given seed changes, so cached databases are rebuilt.</summary>
    public const int Version = 3;

    public const int DefaultSeed = 20251115;

    public static readonly string[] Importers = ["US", "CN", "IN", "CA", "GB", "MX", "JP", "BR", "KR", "TR", "AU", "ZA"];
    private static readonly int[] ImporterWeights = [20, 12, 10, 8, 8, 7, 7, 7, 6, 6, 5, 4];

    /// <summary>Further importing countries, joining one per <see cref="MeasuresPerNewImporter"/> measures in a wide data set.</summary>
    public static readonly string[] MoreImporters = """
        AR AE AT BE BD BG CH CL CO CZ DE DK DZ EC EG ES FI FR GR GT HK HU ID IE IL IQ IR IT JO KE KH KW KZ LK MA MM MY NG NL NO
        NZ OM PE PH PK PL PT QA RO RS RU SA SE SG SK SN TH TN TW TZ UA UY UZ VN ZM AO BH BO BY CI CM CR CU CY DO EE ET GE GH HN
        HR IS JM LB LT LU LV MD MK MN MT MU MZ NA NI NP PA PY SI SV TT UG VE YE ZW AL AM AZ BA BJ BN BW BF GA GN HT KG LA MG ML
        MW NE PG RW SD SL SO SR TD TG TJ TM
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>In a wide data set, one more importing country per this many measures (all of them by ~1.2M).</summary>
    public const int MeasuresPerNewImporter = 8_000;

    public static readonly string[] Origins =
    [
        "CN", "VN", "IN", "KR", "TW", "TH", "MY", "ID", "JP", "MX", "CA", "US", "DE", "IT", "FR", "ES", "NL", "PL", "TR", "BR",
        "AR", "CL", "ZA", "EG", "RU", "UA", "KZ", "AU", "NZ", "GB", "CH", "SE", "PH", "BD", "PK", "LK", "SA", "AE", "IL", "MA",
    ];
    private static readonly int[] OriginWeights =
    [
        30, 12, 10, 8, 8, 7, 6, 6, 6, 5, 4, 4, 4, 4, 3, 3, 3, 3, 4, 3,
        2, 2, 2, 2, 3, 2, 1, 2, 1, 2, 2, 1, 2, 2, 2, 1, 1, 1, 1, 1,
    ];

    /// <summary>Chapters that carry most dual-use and strategic goods.</summary>
    private static readonly int[] ControlChapters = [25, 26, 28, 29, 38, 71, 72, 75, 76, 81, 84, 85, 88, 90, 93];

    private static readonly string[] Elements =
    [
        "gallium", "germanium", "antimony", "graphite", "tungsten", "indium", "bismuth", "tellurium", "molybdenum", "dysprosium",
        "terbium", "samarium", "lutetium", "scandium", "yttrium", "gadolinium", "neodymium", "praseodymium", "cobalt", "lithium",
        "nickel", "vanadium", "niobium", "tantalum", "hafnium", "zirconium", "beryllium", "magnesium", "titanium", "rhenium",
    ];
    private static readonly string[] Forms = ["metal", "oxide", "powder", "ingot", "wafer", "alloy", "target", "compound"];

    private static readonly string[] SourceIds = [.. Enumerable.Range(1, 50).Select(i => $"S{i:D2}")];

    private readonly int _seed;

    /// <param name="wide">
    /// True (the default): the data set widens as it grows — past the first 8,000 measures, nine new measures in ten go to
    /// further importing countries, one more joining per 8,000 measures — so at a million measures 137 countries keep
    /// schedules of a few thousand measures each, as real national schedules are. False: every measure goes to the same
    /// 12 importers, so a million measures pack ~80,000 into each (about ten times the whole US schedule) and answers grow
    /// with the data: a stress case, not a realistic one.
    /// </param>
    public SyntheticPolicy(int seed = DefaultSeed, bool wide = true)
    {
        _seed = seed;
        Wide = wide;
        Nomenclature = new Nomenclature(seed);
        _byLevel = new Dictionary<int, IReadOnlyList<string>>
        {
            [2] = Nomenclature.Prefixes(2), [4] = Nomenclature.Prefixes(4), [6] = Nomenclature.Prefixes(6),
            [8] = Nomenclature.Prefixes(8), [10] = Nomenclature.Lines,
        };
        _controlPrefixes = [];
        foreach (var chapter in ControlChapters.Select(c => c.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)))
        {
            foreach (var level in new[] { 4, 6, 8, 10 })
                _controlPrefixes[(chapter, level)] = _byLevel[level].Where(p => p.StartsWith(chapter, StringComparison.Ordinal)).ToArray();
        }
    }

    private readonly Dictionary<int, IReadOnlyList<string>> _byLevel;
    private readonly Dictionary<(string Chapter, int Level), string[]> _controlPrefixes;

    public Nomenclature Nomenclature { get; }

    public bool Wide { get; }

    public static string MeasureId(int index) => $"SYN-T{index:D7}";

    public static string ControlId(int index) => $"SYN-X{index:D7}";

    /// <summary>The importer of measure <paramref name="index"/>, without building the rest of it.</summary>
    public string ImporterOf(int index) => PickImporter(Rng(index, 1), index);

    /// <summary>An importer as a caller of a data set of <paramref name="measures"/> measures would ask about.</summary>
    public string RandomImporter(Random random, int measures) => PickImporter(random, measures);

    private string PickImporter(Random random, int index)
    {
        var joined = Wide ? Math.Min(MoreImporters.Length, index / MeasuresPerNewImporter) : 0;
        return joined > 0 && random.Next(10) != 0 ? MoreImporters[random.Next(joined)] : Pick(random, Importers, ImporterWeights);
    }

    public IEnumerable<TariffMeasure> TariffMeasures(int count)
    {
        for (var i = 0; i < count; i++) yield return TariffMeasure(i);
    }

    public IEnumerable<ExportControl> ExportControls(int count)
    {
        for (var i = 0; i < count; i++) yield return ExportControl(i);
    }

    public TariffMeasure TariffMeasure(int index)
    {
        var importer = ImporterOf(index);
        // One measure in twenty replaces an earlier measure of the same importer on the same products and origins
        // (an anti-dumping order that supersedes a safeguard, say) and names it in a stacking rule.
        if (IsReplacement(index) && EarlierOfImporter(index, importer) is { } replaced)
        {
            var basis = BaseMeasure(replaced, ImporterOf(replaced));
            var own = BaseMeasure(index, importer);
            return own with
            {
                Origins = basis.Origins,
                AllOrigins = basis.AllOrigins,
                Scope = basis.Scope with { Description = $"Same products as {basis.Id}" },
                ExcludedBy = [new StackingExclusion(basis.Id, $"{own.Id} applies instead of {basis.Id} where both are in force")],
            };
        }
        return BaseMeasure(index, importer);
    }

    private bool IsReplacement(int index) => index > 0 && Rng(index, 5).Next(20) == 0;

    public ExportControl ExportControl(int index)
    {
        var random = Rng(index, 3);
        var exporter = PickImporter(random, index * 10); // controls are a tenth as many as measures: the same widening
        var allDestinations = random.Next(10) < 3;
        var destinations = allDestinations ? [] : PickOrigins(random, random.Next(1, 7), exclude: exporter);
        var chapter = ControlChapters[random.Next(ControlChapters.Length)].ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
        var prefixes = new List<string>();
        for (var n = random.Next(1, 4); prefixes.Count < n;)
        {
            var level = new[] { 4, 6, 6, 8, 10, 10 }[random.Next(6)];
            var candidates = _controlPrefixes[(chapter, level)];
            var prefix = candidates[random.Next(candidates.Length)];
            if (!prefixes.Contains(prefix)) prefixes.Add(prefix);
        }
        var items = new List<ControlledItem>();
        for (var n = random.Next(1, 4); items.Count < n;)
        {
            var name = $"{Elements[random.Next(Elements.Length)]} {Forms[random.Next(Forms.Length)]}";
            if (items.Any(i => i.Name == name)) continue;
            var codes = Nomenclature.LinesUnder(prefixes[random.Next(prefixes.Count)]);
            items.Add(new ControlledItem(name, $"{random.Next(1, 10)}C{random.Next(100, 999)}", [codes[random.Next(codes.Length)]]));
        }
        var type = random.Next(10) switch
        {
            < 6 => ExportControlType.LicenseRequired,
            < 8 => ExportControlType.Prohibited,
            8 => ExportControlType.EndUserControl,
            _ => ExportControlType.EntityRestriction,
        };
        var periods = Periods(random).Select(p => new ControlPeriod(p.RecordId.Replace("{id}", ControlId(index), StringComparison.Ordinal),
            p.StartDate, p.EndDate, p.Status,
            $"Notice {exporter}-{index % 997}/{p.StartDate.Year}", p.SuspendedUntil, null, "", Confidence.Confirmed)).ToList();
        return new ExportControl(ControlId(index), exporter, destinations, allDestinations,
            $"Export {Describe(type)} on {items[0].Name} and related items", type,
            new ProductScope(false, prefixes, [], $"Items under HS {string.Join(", ", prefixes)}"),
            items, random.Next(4) == 0 ? ["de minimis: 0.1% of value"] : [], $"Export control list entry {index % 5000}",
            Confidence.Confirmed, "Synthetic record for load tests.", [SourceIds[random.Next(SourceIds.Length)]], periods);
    }

    private TariffMeasure BaseMeasure(int index, string importer)
    {
        var random = Rng(index, 2);
        // Two measures in a hundred are broad, policy-level measures (safeguards, retaliation, unfair-practice duties on
        // whole chapters or headings, often for every origin); the rest are line-level: anti-dumping orders and tariff
        // lines on 6- to 10-digit codes for named origins. A large schedule grows by its lines, not by chapter-wide duties.
        var broad = random.Next(100) < 2;
        var kind = broad
            ? random.Next(4) switch { 0 => TariffKind.Section232, 1 => TariffKind.Retaliatory, 2 => TariffKind.Section301, _ => TariffKind.Other }
            : random.Next(100) switch { < 50 => TariffKind.Antidumping, < 65 => TariffKind.Retaliatory, < 80 => TariffKind.Other, < 90 => TariffKind.Section301, _ => TariffKind.Mfn };
        var allOrigins = broad ? random.Next(2) == 0 : random.Next(20) == 0;
        var origins = allOrigins ? [] : PickOrigins(random, random.Next(1, 4), exclude: importer);
        int[] levels = broad ? [2, 4, 4, 6] : kind == TariffKind.Antidumping ? [6, 8, 8, 10, 10, 10] : [6, 6, 8, 8, 10];
        var prefixes = new List<string>();
        for (var n = random.Next(1, 5); prefixes.Count < n;)
        {
            var pool = _byLevel[levels[random.Next(levels.Length)]];
            var prefix = pool[random.Next(pool.Count)];
            if (!prefixes.Any(p => prefix.StartsWith(p, StringComparison.Ordinal) || p.StartsWith(prefix, StringComparison.Ordinal))) prefixes.Add(prefix);
        }
        // A quarter of the scopes at 6 digits or broader exclude narrower products inside them.
        var excluded = new List<string>();
        if (random.Next(4) == 0)
        {
            foreach (var wide in prefixes.Where(p => p.Length <= 6))
            {
                var lines = Nomenclature.LinesUnder(wide);
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var line = lines[random.Next(lines.Length)];
                    var exclusion = line[..Math.Min(10, wide.Length + 2 * random.Next(1, 3))];
                    if (!excluded.Contains(exclusion)) excluded.Add(exclusion);
                }
            }
        }

        var id = MeasureId(index);
        var periods = Periods(random).Select(p => new TariffPeriod(p.RecordId.Replace("{id}", id, StringComparison.Ordinal), p.StartDate, p.EndDate,
            p.Status, p.Rate, p.Rate is { } r ? $"+{Server.Queries.Percent.Format(r)}% ad valorem" : "USD 0.45/kg",
            $"{Instrument(kind, importer, index)}", p.Status == PeriodStatus.Suspended ? p.Rate : null, p.SuspendedUntil, null, "",
            Confidence.Confirmed)).ToList();
        var originText = allOrigins ? "all origins" : string.Join(", ", origins);
        return new TariffMeasure(id, importer, origins, allOrigins, $"{Describe(kind)} on HS {prefixes[0]} from {originText}", kind,
            new ProductScope(false, prefixes, excluded, $"HS {string.Join(", ", prefixes)}"),
            Instrument(kind, importer, index), Confidence.Confirmed, "Synthetic record for load tests.",
            [SourceIds[random.Next(SourceIds.Length)]], periods, []);
    }

    private sealed record PeriodDraft(string RecordId, DateOnly StartDate, DateOnly? EndDate, PeriodStatus Status, decimal? Rate, DateOnly? SuspendedUntil);

    private static readonly decimal[] Rates = [2.5m, 5m, 7.5m, 10m, 12.5m, 15m, 20m, 25m, 30m, 35.17m, 45m, 50m, 64.21m, 100m, 125.5m, 206.72m];

    /// <summary>One to four consecutive periods between 2017 and 2027: usually in force, sometimes announced first, suspended or ended.</summary>
    private static List<PeriodDraft> Periods(Random random)
    {
        var periods = new List<PeriodDraft>();
        var start = new DateOnly(2017, 1, 1).AddDays(random.Next(0, 365 * 9));
        var count = random.Next(1, 5);
        var rate = Rates[random.Next(Rates.Length)];
        for (var k = 0; k < count; k++)
        {
            var last = k == count - 1;
            DateOnly? end = last && random.Next(2) == 0 ? null : start.AddDays(random.Next(60, 1100));
            var status = (k, random.Next(10)) switch
            {
                (0, < 2) when count > 1 => PeriodStatus.Announced,
                (_, 9) when end is not null => PeriodStatus.Suspended,
                _ when last && end is not null && random.Next(3) == 0 => PeriodStatus.Expired,
                _ => PeriodStatus.InForce,
            };
            if (k > 0 && random.Next(3) == 0) rate = Rates[random.Next(Rates.Length)];
            decimal? periodRate = status == PeriodStatus.InForce && random.Next(25) == 0 ? null : rate;
            periods.Add(new PeriodDraft($"{{id}}.{k + 1}", start, end, status, periodRate, status == PeriodStatus.Suspended ? end : null));
            if (end is not { } next) break;
            start = next.AddDays(random.Next(0, 2) * random.Next(1, 90)); // sometimes a gap before the next period
        }
        return periods;
    }

    private int? EarlierOfImporter(int index, string importer)
    {
        var random = Rng(index, 4);
        for (var tries = 0; tries < 64; tries++)
        {
            var candidate = random.Next(0, index);
            if (ImporterOf(candidate) == importer && !IsReplacement(candidate)) return candidate;
        }
        return null;
    }

    private static List<string> PickOrigins(Random random, int count, string exclude)
    {
        var picked = new List<string>(count);
        while (picked.Count < count)
        {
            var origin = Pick(random, Origins, OriginWeights);
            if (origin != exclude && !picked.Contains(origin)) picked.Add(origin);
        }
        return picked;
    }

    private static string Pick(Random random, string[] values, int[] weights)
    {
        var roll = random.Next(weights.Sum());
        for (var i = 0; i < values.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0) return values[i];
        }
        return values[^1];
    }

    private static string Describe(TariffKind kind) => kind switch
    {
        TariffKind.Antidumping => "Anti-dumping duty",
        TariffKind.Retaliatory => "Retaliatory duty",
        TariffKind.Section232 => "Safeguard duty",
        TariffKind.Section301 => "Unfair-practice duty",
        TariffKind.Mfn => "Tariff-rate surcharge",
        _ => "Additional duty",
    };

    private static string Describe(ExportControlType type) => type switch
    {
        ExportControlType.Prohibited => "ban",
        ExportControlType.LicenseRequired => "licensing",
        _ => "end-use control",
    };

    private static string Instrument(TariffKind kind, string importer, int index) => kind switch
    {
        TariffKind.Antidumping => $"{importer} case A-{index % 1000:D3}-{index / 1000 % 1000:D3}",
        _ => $"{importer} notice {2017 + index % 10}/{index % 4999 + 1}",
    };

    /// <summary>A generator of its own for each (record, purpose): SplitMix64 of the seed and the index, so records are independent.</summary>
    private Random Rng(int index, int purpose)
    {
        var z = unchecked((ulong)_seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xBF58476D1CE4E5B9UL + (ulong)purpose * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random(unchecked((int)z));
    }
}
