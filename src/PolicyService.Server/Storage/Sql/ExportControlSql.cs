namespace PolicyService.Server.Storage;

/// <summary>The statements of export controls, each named after the store operation it serves.</summary>
public sealed class ExportControlSql(ISqlDialect dialect)
{
    internal const string Columns = """
        c.control_id AS ControlId, c.version AS Version, c.recorded_time AS RecordedTime, c.recorded_by AS RecordedBy,
        c.reason AS Reason, c.exporter AS Exporter, c.all_destinations AS AllDestinations,
        c.destinations_json AS DestinationsJson, c.title AS Title, c.control_type AS ControlType,
        c.all_products AS AllProducts, c.scope_prefixes_json AS ScopePrefixesJson,
        c.excluded_prefixes_json AS ExcludedPrefixesJson, c.dated_exclusions_json AS DatedExclusionsJson, c.scope_description AS ScopeDescription,
        c.scope_mapping_note AS ScopeMappingNote, c.items_json AS ItemsJson, c.rules_json AS RulesJson,
        c.legal_instrument AS LegalInstrument, c.confidence AS Confidence, c.notes AS Notes,
        c.source_ids_json AS SourceIdsJson,
        p.seq AS Seq, p.record_id AS RecordId, p.start_date AS StartDate, p.end_date AS EndDate, p.status AS Status,
        p.legal_instrument AS PeriodInstrument, p.suspended_until AS SuspendedUntil, p.truce_term_id AS TruceTermId,
        p.note AS PeriodNote, p.confidence AS PeriodConfidence
        """;

    internal const string WithPeriods = "FROM export_control c JOIN export_period p ON p.control_id = c.control_id AND p.version = c.version";

    /// <summary>Candidates for an export check: by the code's prefixes or by item name, and by destination.</summary>
    public string FindExportCandidates { get; } = Candidates(under: false);

    /// <summary>
    /// As <see cref="FindExportCandidates"/>, for a code shorter than 10 digits: also the controls filed under a longer
    /// prefix that starts with the code (one range seek, @Code &lt; prefix &lt;= @CodeLast).
    /// </summary>
    public string FindExportCandidatesUnder { get; } = Candidates(under: true);

    private static string Candidates(bool under) => $"""
        SELECT {Columns}
        FROM (SELECT s.control_id, s.version FROM export_scope s
              WHERE s.exporter = @Exporter AND s.prefix IN {KnownVersion.CodePrefixes}
              UNION
              SELECT i.control_id, i.version FROM export_item i WHERE i.exporter = @Exporter AND i.name = @Name{(under ? ScopesUnder : string.Empty)}) k
        JOIN export_control c ON c.control_id = k.control_id AND c.version = k.version
        JOIN export_period p ON p.control_id = c.control_id AND p.version = c.version
        WHERE {KnownVersion.Control("c")}
          AND (c.all_destinations = 1 OR EXISTS (SELECT 1 FROM export_destination d
                WHERE d.destination = @Destination AND d.control_id = c.control_id AND d.version = c.version))
        ORDER BY c.control_id, p.seq
        """;

    private const string ScopesUnder = """

              UNION
              SELECT s.control_id, s.version FROM export_scope s
              WHERE s.exporter = @Exporter AND s.prefix > @Code AND s.prefix <= @CodeLast
        """;

    public string GetExportControl { get; } = $"""
        SELECT {Columns}
        {WithPeriods}
        WHERE c.control_id = @Id AND {KnownVersion.Control("c")}
        ORDER BY p.seq
        """;

    public string ExportControlHistory { get; } = $"""
        SELECT {Columns}
        {WithPeriods}
        WHERE c.control_id = @Id
        ORDER BY c.version, p.seq
        """;

    /// <summary>A page of controls after @After in id order; an item filter matches by name or by a code its scope covers and its exclusions do not.</summary>
    public string ListExportControls { get; } = $"""
        SELECT {Columns}
        {WithPeriods}
        WHERE {KnownVersion.Control("c")}
          AND c.control_id IN (
                SELECT f.control_id FROM export_control f
                WHERE f.control_id > @After
                  AND {KnownVersion.Control("f")}
                  AND (@Exporter IS NULL OR f.exporter = @Exporter)
                  AND (@Destination IS NULL OR f.all_destinations = 1 OR EXISTS (SELECT 1 FROM export_destination d
                        WHERE d.destination = @Destination AND d.control_id = f.control_id AND d.version = f.version))
                  AND (@ItemFilter = 0
                       OR (EXISTS (SELECT 1 FROM export_scope s WHERE s.control_id = f.control_id AND s.version = f.version
                                   AND s.prefix IN {KnownVersion.CodePrefixes})
                           AND NOT {KnownVersion.Excluded("f")})
                       OR EXISTS (SELECT 1 FROM export_item i WHERE i.control_id = f.control_id AND i.version = f.version AND i.name = @Name))
                  AND (@AsOf IS NULL OR EXISTS (SELECT 1 FROM export_period fp
                        WHERE fp.control_id = f.control_id AND fp.version = f.version
                          AND fp.start_date <= @AsOf AND (fp.end_date IS NULL OR fp.end_date > @AsOf)))
                ORDER BY f.control_id
                {dialect.FirstRows("@Take")})
        ORDER BY c.control_id, p.seq
        """;

    /// <summary>Every current control with its periods, in id order: what the snapshot is built from, read as one stream.</summary>
    public string AllCurrent { get; } = $"""
        SELECT {Columns}
        {WithPeriods}
        WHERE {KnownVersion.Control("c")}
        ORDER BY c.control_id, p.seq
        """;

    // ---- Writes ---------------------------------------------------------------------------------

    public string CurrentVersion { get; } = "SELECT MAX(version) FROM export_control WHERE control_id = @Id";

    public string InsertControl { get; } = """
        INSERT INTO export_control (control_id, version, recorded_time, recorded_by, reason, exporter, all_destinations,
            destinations_json, title, control_type, all_products, scope_prefixes_json, excluded_prefixes_json, dated_exclusions_json,
            scope_description, scope_mapping_note, items_json, rules_json, legal_instrument, confidence, notes, source_ids_json)
        VALUES (@ControlId, @Version, @RecordedTime, @RecordedBy, @Reason, @Exporter, @AllDestinations,
            @DestinationsJson, @Title, @ControlType, @AllProducts, @ScopePrefixesJson, @ExcludedPrefixesJson, @DatedExclusionsJson,
            @ScopeDescription, @ScopeMappingNote, @ItemsJson, @RulesJson, @LegalInstrument, @Confidence, @Notes, @SourceIdsJson)
        """;

    public string InsertScope { get; } =
        "INSERT INTO export_scope (exporter, prefix, control_id, version) VALUES (@Exporter, @Prefix, @ControlId, @Version)";

    public string InsertItem { get; } =
        "INSERT INTO export_item (exporter, name, control_id, version) VALUES (@Exporter, @Name, @ControlId, @Version)";

    public string InsertDestination { get; } =
        "INSERT INTO export_destination (destination, control_id, version) VALUES (@Destination, @ControlId, @Version)";

    public string InsertPeriod { get; } = """
        INSERT INTO export_period (control_id, version, seq, record_id, start_date, end_date, status, legal_instrument,
            suspended_until, truce_term_id, note, confidence)
        VALUES (@ControlId, @Version, @Seq, @RecordId, @StartDate, @EndDate, @Status, @PeriodInstrument,
            @SuspendedUntil, @TruceTermId, @PeriodNote, @PeriodConfidence)
        """;
}
