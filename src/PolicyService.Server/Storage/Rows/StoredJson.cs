using System.Text.Json;

namespace PolicyService.Server.Storage;

// Enums are stored by their proto-style names ("IN_FORCE"), lists as JSON arrays, rates as integer basis points.

internal static class Json
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException($"Stored JSON '{json}' does not hold a {typeof(T).Name}.");

    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonSerializer.Serialize(value, Options).Trim('"');

    public static TEnum Parse<TEnum>(string name) where TEnum : struct, Enum => Read<TEnum>($"\"{name}\"");
}

internal static class BasisPoints
{
    public static int? From(decimal? percent) => percent is { } p ? decimal.ToInt32(p * 100m) : null;

    public static decimal? ToPercent(int? basisPoints) => basisPoints is { } bp ? bp / 100m : null;

    /// <summary>True when the percent is exactly representable in basis points.</summary>
    public static bool IsExact(decimal percent) => decimal.Round(percent, 2) == percent;
}
