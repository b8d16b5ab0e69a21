namespace PolicyService.Server.Storage;

/// <summary>
/// "The version of this record the service knew at @KnownAt": the highest one recorded by then. @KnownAt is the far
/// future for an ordinary read. Written once here for every kind of record; each use is one seek on the (id, version) key.
/// </summary>
internal static class KnownVersion
{
    public static string Of(string alias, string table, string idColumn) => $"""
        {alias}.recorded_time <= @KnownAt
          AND NOT EXISTS (SELECT 1 FROM {table} n
                          WHERE n.{idColumn} = {alias}.{idColumn} AND n.version > {alias}.version AND n.recorded_time <= @KnownAt)
        """;

    public static string Measure(string alias) => Of(alias, "tariff_measure", "measure_id");

    public static string Control(string alias) => Of(alias, "export_control", "control_id");

    public static string Truce(string alias) => Of(alias, "truce", "truce_id");

    /// <summary>The code's prefixes of 0, 2, 4, 6, 8 and 10 digits, bound as @P0..@P10 (see <see cref="HsPrefixParameters"/>).</summary>
    public const string CodePrefixes = "(@P0, @P2, @P4, @P6, @P8, @P10)";

    /// <summary>
    /// True when one of the record's exclusion prefixes is a prefix of the code: each @Xn is the JSON string of the code's
    /// first n digits ('%"8507"%'), matched against the stored JSON array of exclusions, so no exclusion table is needed.
    /// </summary>
    public static string Excluded(string alias) =>
        $"({alias}.excluded_prefixes_json LIKE @X2 OR {alias}.excluded_prefixes_json LIKE @X4 OR {alias}.excluded_prefixes_json LIKE @X6"
        + $" OR {alias}.excluded_prefixes_json LIKE @X8 OR {alias}.excluded_prefixes_json LIKE @X10)";
}
