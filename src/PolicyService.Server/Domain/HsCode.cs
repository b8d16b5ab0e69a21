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
    /// <remarks>Allocates nothing: indexed loops, because a foreach over the interface lists would box their enumerators.</remarks>
    public static bool IsCovered(ProductScope scope, string code, out string matchedPrefix)
    {
        matchedPrefix = string.Empty;
        var matched = scope.AllProducts;
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
        if (!matched) return false;
        var exclusions = scope.ExcludedHsPrefixes;
        for (var i = 0; i < exclusions.Count; i++)
        {
            if (code.StartsWith(exclusions[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>True for a valid scope prefix: 2, 4, 6, 8 or 10 digits.</summary>
    public static bool IsValidPrefix(string prefix) =>
        prefix.Length is 2 or 4 or 6 or 8 or 10 && prefix.All(char.IsAsciiDigit);
}
