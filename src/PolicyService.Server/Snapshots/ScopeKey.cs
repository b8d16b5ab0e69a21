using System.Globalization;
using PolicyService.Server.Domain;

namespace PolicyService.Server.Snapshots;

/// <summary>A scope prefix as its length and its digits read as a number ("" is length 0), so that a lookup makes its keys without allocating strings.</summary>
public readonly record struct ScopeKey(int Length, long Digits)
{
    public static ScopeKey Parse(string prefix) =>
        new(prefix.Length, prefix.Length == 0 ? 0 : long.Parse(prefix, NumberStyles.None, CultureInfo.InvariantCulture));

    /// <summary>The keys a scope is filed under, as the store files them.</summary>
    public static IEnumerable<ScopeKey> Of(ProductScope scope) => scope.Keys().Select(Parse);

    /// <summary>Writes the keys of the code's prefixes of 0, 2, 4, 6, 8 and 10 digits (each once) and returns how many.</summary>
    public static int PrefixesOf(string code, Span<ScopeKey> keys)
    {
        var count = 0;
        long digits = 0;
        keys[count++] = new ScopeKey(0, 0);
        for (var i = 0; i < code.Length; i++)
        {
            digits = digits * 10 + (code[i] - '0');
            if ((i + 1) % 2 == 0 || i + 1 == code.Length) keys[count++] = new ScopeKey(i + 1, digits);
        }
        return count;
    }

    /// <summary>Room for the keys of the longest code.</summary>
    public const int MaxPrefixes = HsCode.MaxDigits / 2 + 2;

    /// <summary>
    /// Writes, for each prefix length longer than the code, the first and last key of the prefixes of that length that
    /// start with the code (for "85076000": 8507600000 … 8507600099), and returns how many ranges; none for a 10-digit code.
    /// </summary>
    public static int RangesUnder(string code, Span<(ScopeKey First, ScopeKey Last)> ranges)
    {
        var count = 0;
        long digits = 0;
        foreach (var c in code) digits = digits * 10 + (c - '0');
        long scale = 1;
        for (var length = code.Length + 1; length <= HsCode.MaxDigits; length++)
        {
            scale *= 10;
            // Scope prefixes have an even number of digits (HsCode.IsValidPrefix).
            if (length % 2 != 0) continue;
            ranges[count++] = (new ScopeKey(length, digits * scale), new ScopeKey(length, digits * scale + scale - 1));
        }
        return count;
    }

    /// <summary>Room for the ranges under the shortest code.</summary>
    public const int MaxRangesUnder = (HsCode.MaxDigits - HsCode.MinDigits) / 2;
}
