using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace PolicyService.Server.Domain;

/// <summary>Harmonized System codes: normalisation and prefix matching.</summary>
public static class HsCode
{
    public const int MinDigits = 6;
    public const int MaxDigits = 10;

    /// <summary>The prefix lengths a scope may use; "" (length 0) stands for all products.</summary>
    public static ReadOnlySpan<int> PrefixLengths => [0, 2, 4, 6, 8, 10];

    /// <summary>Strips dots and spaces; succeeds when 6 to 10 digits remain.</summary>
    public static bool TryNormalize(string? input, out string digits)
    {
        digits = string.Empty;
        if (string.IsNullOrWhiteSpace(input)) return false;
        Span<char> buffer = stackalloc char[MaxDigits];
        var length = 0;
        foreach (var c in input)
        {
            if (c is '.' or ' ') continue;
            if (!char.IsAsciiDigit(c) || length == MaxDigits) return false;
            buffer[length++] = c;
        }
        if (length < MinDigits) return false;
        digits = new string(buffer[..length]);
        return true;
    }

    /// <summary>
    /// True when some scope prefix starts the code and no exclusion in force on <paramref name="asOf"/> does.
    /// <paramref name="matchedPrefix"/> is the longest matching prefix ("" for all products).
    /// </summary>
    public static bool IsCovered(ProductScope scope, string code, DateOnly asOf, out string matchedPrefix) =>
        Match(scope, code, asOf, out matchedPrefix, out _, out _);

    /// <summary>
    /// True when the scope covers the code on at least one date: a prefix matches and no whole-life exclusion removes it
    /// (a dated exclusion removes it only over its period). What a timeline needs to know whether a measure can move its answer.
    /// </summary>
    public static bool IsCoveredOnSomeDate(ProductScope scope, string code, out string matchedPrefix) =>
        MatchCore(scope, code, null, out matchedPrefix, out _, out _);

    /// <summary>
    /// As <see cref="IsCovered"/>; when the scope matches but an exclusion removes the code (an exemption),
    /// <paramref name="excludedBy"/> is that exclusion prefix, else null.
    /// </summary>
    public static bool Match(ProductScope scope, string code, DateOnly asOf, out string matchedPrefix, out string? excludedBy) =>
        MatchCore(scope, code, asOf, out matchedPrefix, out excludedBy, out _);

    /// <summary>
    /// As <see cref="Match(ProductScope, string, DateOnly, out string, out string?)"/>; <paramref name="datedExclusion"/> is
    /// the dated exclusion that removed the code (null when none did, or a whole-life exclusion did).
    /// </summary>
    public static bool Match(ProductScope scope, string code, DateOnly asOf, out string matchedPrefix, out string? excludedBy,
        out ScopeExclusion? datedExclusion) =>
        MatchCore(scope, code, asOf, out matchedPrefix, out excludedBy, out datedExclusion);

    /// <remarks>Allocates nothing: indexed loops, because a foreach over the interface lists would box their enumerators.
    /// Scopes with many prefixes (the Section 301 lists, the exemption lists) are matched through a cached hash index.
    /// A null <paramref name="asOf"/> ignores dated exclusions.</remarks>
    private static bool MatchCore(ProductScope scope, string code, DateOnly? asOf, out string matchedPrefix, out string? excludedBy,
        out ScopeExclusion? datedExclusion)
    {
        matchedPrefix = string.Empty;
        excludedBy = null;
        datedExclusion = null;
        var size = scope.HsPrefixes.Count + scope.ExcludedHsPrefixes.Count + scope.DatedExclusions.Count;
        var index = size > ScopeIndex.Threshold ? ScopeIndex.Of(scope) : null;
        var matched = scope.AllProducts;
        if (index is not null)
        {
            if (index.Longest(index.Prefixes, code) is { } found)
            {
                matchedPrefix = found;
                matched = true;
            }
        }
        else
        {
            var prefixes = scope.HsPrefixes;
            for (var i = 0; i < prefixes.Count; i++)
            {
                var prefix = prefixes[i];
                if (code.StartsWith(prefix, StringComparison.Ordinal) && (!matched || prefix.Length > matchedPrefix.Length))
                {
                    matchedPrefix = prefix;
                    matched = true;
                }
            }
        }
        if (!matched) return false;
        // Whole-life exclusions first: they hold on every date, so they are the reason whatever the dated ones say.
        excludedBy = index is not null ? index.Longest(index.Exclusions, code) : FirstPrefixOf(scope.ExcludedHsPrefixes, code);
        if (excludedBy is not null) return false;
        if (asOf is not { } date) return true;
        datedExclusion = index is not null ? index.LongestInForce(code, date) : FirstInForce(scope.DatedExclusions, code, date);
        excludedBy = datedExclusion?.HsPrefix;
        return datedExclusion is null;
    }

    private static string? FirstPrefixOf(IReadOnlyList<string> exclusions, string code)
    {
        for (var i = 0; i < exclusions.Count; i++)
        {
            if (code.StartsWith(exclusions[i], StringComparison.Ordinal)) return exclusions[i];
        }
        return null;
    }

    private static ScopeExclusion? FirstInForce(IReadOnlyList<ScopeExclusion> exclusions, string code, DateOnly date)
    {
        for (var i = 0; i < exclusions.Count; i++)
        {
            var exclusion = exclusions[i];
            if (exclusion.InForceOn(date) && code.StartsWith(exclusion.HsPrefix, StringComparison.Ordinal)) return exclusion;
        }
        return null;
    }

    /// <summary>True for a valid scope prefix: 2, 4, 6, 8 or 10 digits.</summary>
    public static bool IsValidPrefix(string prefix) =>
        prefix.Length is 2 or 4 or 6 or 8 or 10 && prefix.All(char.IsAsciiDigit);
}

/// <summary>
/// A scope's prefixes and exclusions as hash sets keyed by (length, digits), so matching a code costs one probe per prefix
/// length (at most five) however many thousand prefixes the scope has. Built once per scope instance and kept with it.
/// </summary>
internal sealed class ScopeIndex
{
    /// <summary>Below this many prefixes a linear scan is as fast and needs no index.</summary>
    public const int Threshold = 32;

    private static readonly ConditionalWeakTable<ProductScope, ScopeIndex> Cache = [];

    public FrozenDictionary<long, string> Prefixes { get; }

    public FrozenDictionary<long, string> Exclusions { get; }

    /// <summary>Dated exclusions by prefix: several periods may share one prefix (a line exempt, then not, then again).</summary>
    public FrozenDictionary<long, ScopeExclusion[]> Dated { get; }

    private ScopeIndex(ProductScope scope)
    {
        Prefixes = Keyed(scope.HsPrefixes);
        Exclusions = Keyed(scope.ExcludedHsPrefixes);
        Dated = scope.DatedExclusions.Where(e => IsKeyable(e.HsPrefix))
            .GroupBy(e => Key(e.HsPrefix))
            .ToFrozenDictionary(g => g.Key, g => g.ToArray());
    }

    // A record's equality is by value, so the table is keyed by the instance: each stored version is indexed once.
    public static ScopeIndex Of(ProductScope scope) => Cache.GetValue(scope, static s => new ScopeIndex(s));

    /// <summary>The longest entry of the set that is a prefix of the code, or null.</summary>
    public string? Longest(FrozenDictionary<long, string> set, string code)
    {
        if (set.Count == 0) return null;
        Span<long> keys = stackalloc long[HsCode.MaxDigits / 2];
        var count = KeysOf(code, keys);
        for (var k = count - 1; k >= 0; k--)
        {
            if (set.TryGetValue(keys[k], out var prefix)) return prefix;
        }
        return null;
    }

    /// <summary>The dated exclusion with the longest prefix of the code that is in force on the date, or null.</summary>
    public ScopeExclusion? LongestInForce(string code, DateOnly date)
    {
        if (Dated.Count == 0) return null;
        Span<long> keys = stackalloc long[HsCode.MaxDigits / 2];
        var count = KeysOf(code, keys);
        for (var k = count - 1; k >= 0; k--)
        {
            if (!Dated.TryGetValue(keys[k], out var entries)) continue;
            foreach (var entry in entries)
            {
                if (entry.InForceOn(date)) return entry;
            }
        }
        return null;
    }

    // The keys of the code's prefixes of 2, 4, ... digits, shortest first.
    private static int KeysOf(string code, Span<long> keys)
    {
        var count = 0;
        long digits = 0;
        for (var i = 0; i < code.Length && i < HsCode.MaxDigits; i++)
        {
            digits = digits * 10 + (code[i] - '0');
            if ((i + 1) % 2 == 0) keys[count++] = Key(i + 1, digits);
        }
        return count;
    }

    // Length and digits in one number: the digits of at most ten places stay below 10^10.
    private static long Key(int length, long digits) => length * 10_000_000_000L + digits;

    private static long Key(string prefix) => Key(prefix.Length, long.Parse(prefix, System.Globalization.CultureInfo.InvariantCulture));

    private static bool IsKeyable(string p) => p.Length is > 0 and <= HsCode.MaxDigits && p.Length % 2 == 0 && p.All(char.IsAsciiDigit);

    private static FrozenDictionary<long, string> Keyed(IReadOnlyList<string> prefixes)
    {
        var map = new Dictionary<long, string>(prefixes.Count);
        foreach (var p in prefixes)
        {
            if (!IsKeyable(p)) continue;
            map[Key(p)] = p;
        }
        return map.ToFrozenDictionary();
    }
}
