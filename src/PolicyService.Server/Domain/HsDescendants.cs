using System.Runtime.CompilerServices;

namespace PolicyService.Server.Domain;

/// <summary>
/// The prefixes of a scope that are more specific than a code and start with it ("8507600010" under "85076000"): where
/// the lines under a less specific code may answer differently from the code itself.
/// </summary>
public static class HsDescendants
{
    /// <summary>False for a code of the longest length: no prefix can be under it, so its lookups skip every step here.</summary>
    public static bool CanHaveAny(string code) => code.Length < HsCode.MaxDigits;

    /// <summary>
    /// The greatest prefix that starts with the code: the code padded with nines to the longest length. Every prefix
    /// under the code sorts after the code and no later than this, and nothing else does, so a sorted index finds them
    /// by one range seek.
    /// </summary>
    public static string LastUnder(string code) => code.PadRight(HsCode.MaxDigits, '9');

    /// <summary>Adds the scope's prefixes and exclusion prefixes (dated ones too) that are longer than the code and start with it.</summary>
    public static void AddUnder(ProductScope scope, string code, SortedSet<string> found)
    {
        if (!CanHaveAny(code)) return;
        if (scope.HsPrefixes.Count + scope.ExcludedHsPrefixes.Count + scope.DatedExclusions.Count > ScopeIndex.Threshold)
        {
            var sorted = SortedScope.Of(scope);
            AddUnder(sorted.Prefixes, code, found);
            AddUnder(sorted.Exclusions, code, found);
            return;
        }
        AddUnderByScan(scope.HsPrefixes, code, found);
        AddUnderByScan(scope.ExcludedHsPrefixes, code, found);
        for (var i = 0; i < scope.DatedExclusions.Count; i++)
        {
            var prefix = scope.DatedExclusions[i].HsPrefix;
            if (prefix.Length > code.Length && prefix.StartsWith(code, StringComparison.Ordinal)) found.Add(prefix);
        }
    }

    /// <summary>True when the scope names some prefix (covered or excluded) under the code.</summary>
    public static bool AnyUnder(ProductScope scope, string code)
    {
        if (!CanHaveAny(code)) return false;
        var found = new SortedSet<string>(StringComparer.Ordinal);
        AddUnder(scope, code, found);
        return found.Count > 0;
    }

    private static void AddUnderByScan(IReadOnlyList<string> prefixes, string code, SortedSet<string> found)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (prefixes[i].Length > code.Length && prefixes[i].StartsWith(code, StringComparison.Ordinal)) found.Add(prefixes[i]);
        }
    }

    // Ordinal order puts the code first and every string that starts with it right after, so the walk stops at the first that does not.
    private static void AddUnder(string[] sorted, string code, SortedSet<string> found)
    {
        var at = Array.BinarySearch(sorted, code, StringComparer.Ordinal);
        for (var i = at < 0 ? ~at : at; i < sorted.Length && sorted[i].StartsWith(code, StringComparison.Ordinal); i++)
        {
            if (sorted[i].Length > code.Length) found.Add(sorted[i]);
        }
    }

    /// <summary>A large scope's prefixes and exclusions in ordinal order, built once per scope instance and kept with it.</summary>
    private sealed class SortedScope
    {
        private static readonly ConditionalWeakTable<ProductScope, SortedScope> Cache = [];

        public string[] Prefixes { get; }

        public string[] Exclusions { get; }

        private SortedScope(ProductScope scope)
        {
            Prefixes = [.. scope.HsPrefixes.Order(StringComparer.Ordinal)];
            Exclusions = [.. scope.ExcludedHsPrefixes.Concat(scope.DatedExclusions.Select(x => x.HsPrefix)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }

        public static SortedScope Of(ProductScope scope) => Cache.GetValue(scope, static s => new SortedScope(s));
    }
}
