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
    /// True when some scope prefix starts the code and no exclusion does.
    /// <paramref name="matchedPrefix"/> is the longest matching prefix ("" for all products).
    /// </summary>
    public static bool IsCovered(ProductScope scope, string code, out string matchedPrefix) =>
        Match(scope, code, out matchedPrefix, out _);

    /// <summary>
    /// As <see cref="IsCovered"/>; when the scope matches but an exclusion removes the code (an exemption),
    /// <paramref name="excludedBy"/> is that exclusion prefix, else null.
    /// </summary>
    /// <remarks>Allocates nothing: indexed loops, because a foreach over the interface lists would box their enumerators.
    /// Scopes with many prefixes (the Section 301 lists, the exemption lists) are matched through a cached hash index.</remarks>
    public static bool Match(ProductScope scope, string code, out string matchedPrefix, out string? excludedBy)
    {
        matchedPrefix = string.Empty;
        excludedBy = null;
        var index = scope.HsPrefixes.Count + scope.ExcludedHsPrefixes.Count > ScopeIndex.Threshold ? ScopeIndex.Of(scope) : null;
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
        if (index is not null)
        {
            excludedBy = index.Longest(index.Exclusions, code);
            return excludedBy is null;
        }
        var exclusions = scope.ExcludedHsPrefixes;
        for (var i = 0; i < exclusions.Count; i++)
        {
            if (code.StartsWith(exclusions[i], StringComparison.Ordinal))
            {
                excludedBy = exclusions[i];
                return false;
            }
        }
        return true;
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

    private ScopeIndex(ProductScope scope)
    {
        Prefixes = Keyed(scope.HsPrefixes);
        Exclusions = Keyed(scope.ExcludedHsPrefixes);
    }

    // A record's equality is by value, so the table is keyed by the instance: each stored version is indexed once.
    public static ScopeIndex Of(ProductScope scope) => Cache.GetValue(scope, static s => new ScopeIndex(s));

    /// <summary>The longest entry of the set that is a prefix of the code, or null.</summary>
    public string? Longest(FrozenDictionary<long, string> set, string code)
    {
        if (set.Count == 0) return null;
        Span<long> keys = stackalloc long[HsCode.MaxDigits / 2];
        var count = 0;
        long digits = 0;
        for (var i = 0; i < code.Length && i < HsCode.MaxDigits; i++)
        {
            digits = digits * 10 + (code[i] - '0');
            if ((i + 1) % 2 == 0) keys[count++] = Key(i + 1, digits);
        }
        for (var k = count - 1; k >= 0; k--)
        {
            if (set.TryGetValue(keys[k], out var prefix)) return prefix;
        }
        return null;
    }

    // Length and digits in one number: the digits of at most ten places stay below 10^10.
    private static long Key(int length, long digits) => length * 10_000_000_000L + digits;

    private static FrozenDictionary<long, string> Keyed(IReadOnlyList<string> prefixes)
    {
        var map = new Dictionary<long, string>(prefixes.Count);
        foreach (var p in prefixes)
        {
            if (p.Length == 0 || p.Length > HsCode.MaxDigits || p.Length % 2 != 0 || !p.All(char.IsAsciiDigit)) continue;
            map[Key(p.Length, long.Parse(p, System.Globalization.CultureInfo.InvariantCulture))] = p;
        }
        return map.ToFrozenDictionary();
    }
}
