namespace PolicyService.Server.Api;

/// <summary>The one rule for a caller's value quoted back in an error: at most <see cref="MaxLength"/> characters, then "…".</summary>
public static class Echo
{
    public const int MaxLength = 64;

    public static string Cut(string value)
    {
        if (value.Length <= MaxLength) return value;
        var end = char.IsHighSurrogate(value[MaxLength - 1]) ? MaxLength - 1 : MaxLength; // never split a surrogate pair
        return string.Concat(value.AsSpan(0, end), "…");
    }
}
