namespace PolicyService.Server.Snapshots;

/// <summary>
/// A lane as one number: two jurisdictions (ISO alpha-2, 10 bits each; 0 for "all") and a scope key (length, digits),
/// so a snapshot's lane index is a sorted array of numbers rather than a dictionary of strings.
/// </summary>
public static class LaneKey
{
    private const int DigitBits = 34; // 10 digits < 2^34
    private const int LengthBits = 4;

    /// <summary>The lane of (first, second, scope); false when a code or the scope does not fit (no record can be filed there).</summary>
    public static bool TryPack(string first, string second, ScopeKey scope, out ulong key)
    {
        key = 0;
        if (!TryCode(first, out var a) || !TryCode(second, out var b) || scope.Length >= 1 << LengthBits || (ulong)scope.Digits >= 1UL << DigitBits)
        {
            return false;
        }
        key = (ulong)a << (DigitBits + LengthBits + 10) | (ulong)b << (DigitBits + LengthBits) | (ulong)scope.Length << DigitBits | (ulong)scope.Digits;
        return true;
    }

    /// <summary>The lane a stored record is filed under; its codes were validated when it was written.</summary>
    public static ulong Pack(string first, string second, ScopeKey scope) => TryPack(first, second, scope, out var key)
        ? key
        : throw new InvalidDataException($"A stored record has a jurisdiction or scope the snapshot cannot file: '{first}', '{second}', {scope}.");

    private static bool TryCode(string code, out int value)
    {
        value = 0;
        if (code.Length == 0) return true;
        if (code.Length != 2 || !char.IsAsciiLetterUpper(code[0]) || !char.IsAsciiLetterUpper(code[1])) return false;
        value = (code[0] - 'A') * 26 + (code[1] - 'A') + 1;
        return true;
    }
}
