namespace PolicyService.Server.Storage;

/// <summary>
/// Every statement the store runs, as literal SQL with parameters only. The text is shared by both databases;
/// the one difference, how a page is cut, comes from the dialect and is filled in once at start-up.
/// </summary>
public sealed class PolicySql(ISqlDialect dialect)
{
    private const string MeasureColumns = """
        m.measure_id AS MeasureId, m.version AS Version, m.recorded_time AS RecordedTime, m.recorded_by AS RecordedBy,
        m.reason AS Reason, m.importer AS Importer, m.all_origins AS AllOrigins, m.origins_json AS OriginsJson,
        m.title AS Title, m.kind AS Kind, m.all_products AS AllProducts, m.scope_prefixes_json AS ScopePrefixesJson,
        m.excluded_prefixes_json AS ExcludedPrefixesJson, m.scope_description AS ScopeDescription,
        m.scope_mapping_note AS ScopeMappingNote, m.legal_instrument AS LegalInstrument, m.confidence AS Confidence,
        m.notes AS Notes, m.source_ids_json AS SourceIdsJson, m.excluded_by_json AS ExcludedByJson,
        p.seq AS Seq, p.record_id AS RecordId, p.start_date AS StartDate, p.end_date AS EndDate, p.status AS Status,
        p.rate_bp AS RateBp, p.rate_description AS RateDescription, p.legal_instrument AS PeriodInstrument,
        p.suspended_bp AS SuspendedBp, p.suspended_until AS SuspendedUntil, p.truce_term_id AS TruceTermId,
        p.note AS PeriodNote, p.confidence AS PeriodConfidence
        """;

    private const string ControlColumns = """
        c.control_id AS ControlId, c.version AS Version, c.recorded_time AS RecordedTime, c.recorded_by AS RecordedBy,
        c.reason AS Reason, c.exporter AS Exporter, c.all_destinations AS AllDestinations,
        c.destinations_json AS DestinationsJson, c.title AS Title, c.control_type AS ControlType,
        c.all_products AS AllProducts, c.scope_prefixes_json AS ScopePrefixesJson,
        c.excluded_prefixes_json AS ExcludedPrefixesJson, c.scope_description AS ScopeDescription,
        c.scope_mapping_note AS ScopeMappingNote, c.items_json AS ItemsJson, c.rules_json AS RulesJson,
        c.legal_instrument AS LegalInstrument, c.confidence AS Confidence, c.notes AS Notes,
        c.source_ids_json AS SourceIdsJson,
        p.seq AS Seq, p.record_id AS RecordId, p.start_date AS StartDate, p.end_date AS EndDate, p.status AS Status,
        p.legal_instrument AS PeriodInstrument, p.suspended_until AS SuspendedUntil, p.truce_term_id AS TruceTermId,
        p.note AS PeriodNote, p.confidence AS PeriodConfidence
        """;

    private const string TruceColumns = """
        t.truce_id AS TruceId, t.version AS Version, t.recorded_time AS RecordedTime, t.recorded_by AS RecordedBy,
        t.reason AS Reason, t.title AS Title, t.parties_json AS PartiesJson, t.concluded_date AS ConcludedDate,
        t.effective_date AS EffectiveDate, t.confidence AS Confidence, t.notes AS Notes, t.source_ids_json AS SourceIdsJson
        """;

    private const string ExtensionColumns = """
        e.truce_id AS TruceId, e.seq AS Seq, e.record_id AS RecordId, e.start_date AS StartDate,
        e.expiry_date AS ExpiryDate, e.legal_instrument AS LegalInstrument, e.note AS Note
        """;

    private const string TermColumns = """
        tt.term_id AS TermId, tt.truce_id AS TruceId, tt.seq AS Seq, tt.committing_parties_json AS CommittingPartiesJson,
        tt.term_type AS TermType, tt.scope AS Scope, tt.description AS Description, tt.legal_instrument AS LegalInstrument,
        tt.announced_date AS AnnouncedDate, tt.effective_date AS EffectiveDate, tt.status_note AS StatusNote,
        tt.measure_ids_json AS MeasureIdsJson, tt.purchases_json AS PurchasesJson, tt.source_ids_json AS SourceIdsJson,
        tt.confidence AS Confidence
        """;

    private const string EventColumns = """
        ev.event_id AS EventId, ev.truce_id AS TruceId, ev.seq AS Seq, ev.event_date AS EventDate,
        ev.actors_json AS ActorsJson, ev.subject AS Subject, ev.description AS Description,
        ev.source_ids_json AS SourceIdsJson, ev.confidence AS Confidence
        """;

    // "The version of this record the service knew at @KnownAt": the highest one recorded by then.
    // @KnownAt is the far future for an ordinary read. Each is one seek on the (id, version) primary key.
    private const string MeasureKnown = """
        m.recorded_time <= @KnownAt
          AND NOT EXISTS (SELECT 1 FROM tariff_measure n
                          WHERE n.measure_id = m.measure_id AND n.version > m.version AND n.recorded_time <= @KnownAt)
        """;

    private const string ControlKnown = """
        c.recorded_time <= @KnownAt
          AND NOT EXISTS (SELECT 1 FROM export_control n
                          WHERE n.control_id = c.control_id AND n.version > c.version AND n.recorded_time <= @KnownAt)
        """;

    private const string TruceKnown = """
        t.recorded_time <= @KnownAt
          AND NOT EXISTS (SELECT 1 FROM truce n
                          WHERE n.truce_id = t.truce_id AND n.version > t.version AND n.recorded_time <= @KnownAt)
        """;

    // ---- Tariffs ------------------------------------------------------------------------------

    /// <summary>
    /// Candidates for a duty lookup, with their whole history, in one statement: index seeks on the lane (importer, and
    /// the origin or '' for all origins) and the code's own prefixes ('' and its first 2, 4, 6, 8, 10 digits), so the
    /// work follows the measures of this lane only. Two seeks joined by UNION rather than "origin IN (@Origin, '')":
    /// with two IN lists SQLite's planner may seek on (importer, origin) alone and scan the lane. Exclusions and dates
    /// are applied by the query.
    /// </summary>
    public string TariffCandidates { get; } = $"""
        SELECT {MeasureColumns}
        FROM (SELECT s.measure_id, s.version FROM tariff_lane_scope s
              WHERE s.importer = @Importer AND s.origin = @Origin AND s.prefix IN (@P0, @P2, @P4, @P6, @P8, @P10)
              UNION
              SELECT s.measure_id, s.version FROM tariff_lane_scope s
              WHERE s.importer = @Importer AND s.origin = '' AND s.prefix IN (@P0, @P2, @P4, @P6, @P8, @P10)) k
        JOIN tariff_measure m ON m.measure_id = k.measure_id AND m.version = k.version
        JOIN tariff_period p ON p.measure_id = m.measure_id AND p.version = m.version
        WHERE {MeasureKnown}
        ORDER BY m.measure_id, p.seq
        """;

    public string TariffMeasureById { get; } = $"""
        SELECT {MeasureColumns}
        FROM tariff_measure m
        JOIN tariff_period p ON p.measure_id = m.measure_id AND p.version = m.version
        WHERE m.measure_id = @Id AND {MeasureKnown}
        ORDER BY p.seq
        """;

    /// <summary>Every version of a measure, oldest first: its full history as recorded.</summary>
    public string TariffMeasureVersions { get; } = $"""
        SELECT {MeasureColumns}
        FROM tariff_measure m
        JOIN tariff_period p ON p.measure_id = m.measure_id AND p.version = m.version
        WHERE m.measure_id = @Id
        ORDER BY m.version, p.seq
        """;

    /// <summary>A page of measures after @After in id order; each filter is skipped when its parameter is null.</summary>
    public string TariffMeasurePage { get; } = $"""
        SELECT {MeasureColumns}
        FROM tariff_measure m
        JOIN tariff_period p ON p.measure_id = m.measure_id AND p.version = m.version
        WHERE {MeasureKnown}
          AND m.measure_id IN (
                SELECT f.measure_id FROM tariff_measure f
                WHERE f.measure_id > @After
                  AND f.recorded_time <= @KnownAt
                  AND NOT EXISTS (SELECT 1 FROM tariff_measure n
                                  WHERE n.measure_id = f.measure_id AND n.version > f.version AND n.recorded_time <= @KnownAt)
                  AND (@Importer IS NULL OR f.importer = @Importer)
                  AND (@Origin IS NULL OR f.all_origins = 1 OR EXISTS (SELECT 1 FROM tariff_origin o
                        WHERE o.origin = @Origin AND o.measure_id = f.measure_id AND o.version = f.version))
                  AND (@P0 IS NULL OR EXISTS (SELECT 1 FROM tariff_scope s
                        WHERE s.measure_id = f.measure_id AND s.version = f.version AND s.prefix IN (@P0, @P2, @P4, @P6, @P8, @P10)))
                  AND (@AsOf IS NULL OR EXISTS (SELECT 1 FROM tariff_period fp
                        WHERE fp.measure_id = f.measure_id AND fp.version = f.version
                          AND fp.start_date <= @AsOf AND (fp.end_date IS NULL OR fp.end_date > @AsOf)))
                ORDER BY f.measure_id
                {dialect.FirstRows("@Take")})
        ORDER BY m.measure_id, p.seq
        """;

    // ---- Export controls ----------------------------------------------------------------------

    /// <summary>Candidates for an export check: by the code's prefixes or by item name, and by destination.</summary>
    public string ExportCandidates { get; } = $"""
        SELECT {ControlColumns}
        FROM (SELECT s.control_id, s.version FROM export_scope s
              WHERE s.exporter = @Exporter AND s.prefix IN (@P0, @P2, @P4, @P6, @P8, @P10)
              UNION
              SELECT i.control_id, i.version FROM export_item i WHERE i.exporter = @Exporter AND i.name = @Name) k
        JOIN export_control c ON c.control_id = k.control_id AND c.version = k.version
        JOIN export_period p ON p.control_id = c.control_id AND p.version = c.version
        WHERE {ControlKnown}
          AND (c.all_destinations = 1 OR EXISTS (SELECT 1 FROM export_destination d
                WHERE d.destination = @Destination AND d.control_id = c.control_id AND d.version = c.version))
        ORDER BY c.control_id, p.seq
        """;

    public string ExportControlById { get; } = $"""
        SELECT {ControlColumns}
        FROM export_control c
        JOIN export_period p ON p.control_id = c.control_id AND p.version = c.version
        WHERE c.control_id = @Id AND {ControlKnown}
        ORDER BY p.seq
        """;

    public string ExportControlVersions { get; } = $"""
        SELECT {ControlColumns}
        FROM export_control c
        JOIN export_period p ON p.control_id = c.control_id AND p.version = c.version
        WHERE c.control_id = @Id
        ORDER BY c.version, p.seq
        """;

    public string ExportControlPage { get; } = $"""
        SELECT {ControlColumns}
        FROM export_control c
        JOIN export_period p ON p.control_id = c.control_id AND p.version = c.version
        WHERE {ControlKnown}
          AND c.control_id IN (
                SELECT f.control_id FROM export_control f
                WHERE f.control_id > @After
                  AND f.recorded_time <= @KnownAt
                  AND NOT EXISTS (SELECT 1 FROM export_control n
                                  WHERE n.control_id = f.control_id AND n.version > f.version AND n.recorded_time <= @KnownAt)
                  AND (@Exporter IS NULL OR f.exporter = @Exporter)
                  AND (@Destination IS NULL OR f.all_destinations = 1 OR EXISTS (SELECT 1 FROM export_destination d
                        WHERE d.destination = @Destination AND d.control_id = f.control_id AND d.version = f.version))
                  AND (@ItemFilter = 0
                       OR EXISTS (SELECT 1 FROM export_scope s WHERE s.control_id = f.control_id AND s.version = f.version
                                  AND s.prefix IN (@P0, @P2, @P4, @P6, @P8, @P10))
                       OR EXISTS (SELECT 1 FROM export_item i WHERE i.control_id = f.control_id AND i.version = f.version AND i.name = @Name))
                  AND (@AsOf IS NULL OR EXISTS (SELECT 1 FROM export_period fp
                        WHERE fp.control_id = f.control_id AND fp.version = f.version
                          AND fp.start_date <= @AsOf AND (fp.end_date IS NULL OR fp.end_date > @AsOf)))
                ORDER BY f.control_id
                {dialect.FirstRows("@Take")})
        ORDER BY c.control_id, p.seq
        """;

    // ---- Truces -------------------------------------------------------------------------------

    private const string TrucesOfParties = """
        SELECT a.truce_id FROM truce_party a
        JOIN truce_party b ON b.truce_id = a.truce_id AND b.version = a.version
        WHERE a.party = @PartyA AND b.party = @PartyB
        """;

    /// <summary>Truces between two parties with their windows, terms, events and the measures their terms created: one batch.</summary>
    public string TrucesBetween { get; } = TruceBatch(TrucesOfParties, withMeasures: true);

    public string TruceById { get; } = TruceBatch("SELECT @Id", withMeasures: false);

    public string TrucePage { get; } = TruceBatch($"""
        SELECT f.truce_id FROM truce f
        WHERE f.truce_id > @After
          AND f.recorded_time <= @KnownAt
          AND NOT EXISTS (SELECT 1 FROM truce n WHERE n.truce_id = f.truce_id AND n.version > f.version AND n.recorded_time <= @KnownAt)
          AND (@Party IS NULL OR EXISTS (SELECT 1 FROM truce_party tp
                WHERE tp.truce_id = f.truce_id AND tp.version = f.version AND tp.party = @Party))
          AND (@AsOf IS NULL OR EXISTS (SELECT 1 FROM truce_extension fe
                WHERE fe.truce_id = f.truce_id AND fe.version = f.version AND fe.start_date <= @AsOf AND fe.expiry_date > @AsOf))
        ORDER BY f.truce_id
        {dialect.FirstRows("@Take")}
        """, withMeasures: false);

    private static string TruceBatch(string truceIds, bool withMeasures)
    {
        // Each statement selects the known version of the same truces, then that version's child rows.
        var known = $"t.truce_id IN ({truceIds}) AND {TruceKnown}";
        var batch = $"""
            SELECT {TruceColumns} FROM truce t WHERE {known} ORDER BY t.truce_id;
            SELECT {ExtensionColumns} FROM truce t JOIN truce_extension e ON e.truce_id = t.truce_id AND e.version = t.version
            WHERE {known} ORDER BY e.truce_id, e.seq;
            SELECT {TermColumns} FROM truce t JOIN truce_term tt ON tt.truce_id = t.truce_id AND tt.version = t.version
            WHERE {known} ORDER BY tt.truce_id, tt.seq;
            SELECT {EventColumns} FROM truce t JOIN policy_event ev ON ev.truce_id = t.truce_id AND ev.version = t.version
            WHERE {known} ORDER BY ev.truce_id, ev.seq;
            """;
        if (!withMeasures) return batch;

        var termsOfTruces = $"SELECT lt.term_id FROM truce_term lt WHERE lt.truce_id IN ({truceIds})";
        return batch + $"""

            SELECT {MeasureColumns}
            FROM tariff_measure m
            JOIN tariff_period p ON p.measure_id = m.measure_id AND p.version = m.version
            WHERE m.measure_id IN (SELECT lp.measure_id FROM tariff_period lp WHERE lp.truce_term_id IN ({termsOfTruces}))
              AND {MeasureKnown}
            ORDER BY m.measure_id, p.seq;
            SELECT {ControlColumns}
            FROM export_control c
            JOIN export_period p ON p.control_id = c.control_id AND p.version = c.version
            WHERE c.control_id IN (SELECT lp.control_id FROM export_period lp WHERE lp.truce_term_id IN ({termsOfTruces}))
              AND {ControlKnown}
            ORDER BY c.control_id, p.seq;
            """;
    }

    // ---- Reference data and the change log ----------------------------------------------------

    public string AllSources { get; } = "SELECT source_id AS Id, title AS Title, urls_json AS UrlsJson FROM source ORDER BY source_id";

    public string CoverageHistory { get; } =
        "SELECT recorded_time AS RecordedTime, reviewed_through AS ReviewedThrough FROM coverage ORDER BY recorded_time";

    public string TermTruces { get; } = "SELECT DISTINCT term_id AS TermId, truce_id AS TruceId FROM truce_term";

    public string LatestChange { get; } = "SELECT MAX(seq) FROM change_log";

    public string LatestChangeTime { get; } = "SELECT MAX(recorded_time) FROM change_log";

    /// <summary>Committed changes after a sequence number, in commit order.</summary>
    public string ChangesAfter { get; } = $"""
        SELECT seq AS Seq, recorded_time AS RecordedTime, recorded_by AS RecordedBy, reason AS Reason, request_id AS RequestId,
               resource_type AS ResourceType, resource_id AS ResourceId, version AS Version, change_kind AS ChangeKind
        FROM change_log
        WHERE seq > @After
        ORDER BY seq
        {dialect.FirstRows("@Take")}
        """;

    public string Ping { get; } = "SELECT 1";

    // ---- Writes: a change appends versions, inside one serialised transaction -----------------

    public string TariffMeasureVersion { get; } = "SELECT MAX(version) FROM tariff_measure WHERE measure_id = @Id";

    public string ExportControlVersion { get; } = "SELECT MAX(version) FROM export_control WHERE control_id = @Id";

    public string TruceVersion { get; } = "SELECT MAX(version) FROM truce WHERE truce_id = @Id";

    public string SourceExists { get; } = "SELECT COUNT(*) FROM source WHERE source_id = @Id";

    public string FindRequest { get; } = "SELECT result_json FROM admin_request WHERE request_id = @RequestId";

    public string InsertRequest { get; } = """
        INSERT INTO admin_request (request_id, recorded_time, recorded_by, first_seq, last_seq, result_json)
        VALUES (@RequestId, @RecordedTime, @RecordedBy, @FirstSeq, @LastSeq, @ResultJson)
        """;

    public string InsertChange { get; } = """
        INSERT INTO change_log (recorded_time, recorded_by, reason, request_id, resource_type, resource_id, version, change_kind)
        VALUES (@RecordedTime, @RecordedBy, @Reason, @RequestId, @ResourceType, @ResourceId, @Version, @ChangeKind)
        """;

    public string InsertSource { get; } =
        "INSERT INTO source (source_id, title, urls_json, recorded_time) VALUES (@Id, @Title, @UrlsJson, @RecordedTime)";

    public string InsertCoverage { get; } =
        "INSERT INTO coverage (recorded_time, reviewed_through, recorded_by) VALUES (@RecordedTime, @ReviewedThrough, @RecordedBy)";

    public string InsertTariffMeasure { get; } = """
        INSERT INTO tariff_measure (measure_id, version, recorded_time, recorded_by, reason, importer, all_origins, origins_json,
            title, kind, all_products, scope_prefixes_json, excluded_prefixes_json, scope_description, scope_mapping_note,
            legal_instrument, confidence, notes, source_ids_json, excluded_by_json)
        VALUES (@MeasureId, @Version, @RecordedTime, @RecordedBy, @Reason, @Importer, @AllOrigins, @OriginsJson,
            @Title, @Kind, @AllProducts, @ScopePrefixesJson, @ExcludedPrefixesJson, @ScopeDescription, @ScopeMappingNote,
            @LegalInstrument, @Confidence, @Notes, @SourceIdsJson, @ExcludedByJson)
        """;

    public string InsertTariffScope { get; } =
        "INSERT INTO tariff_scope (importer, prefix, measure_id, version) VALUES (@Importer, @Prefix, @MeasureId, @Version)";

    /// <summary>One row per scope key and origin ('' when the measure applies to all origins): what lookups seek on.</summary>
    public string InsertTariffLaneScope { get; } =
        "INSERT INTO tariff_lane_scope (importer, origin, prefix, measure_id, version) VALUES (@Importer, @Origin, @Prefix, @MeasureId, @Version)";

    public string InsertTariffOrigin { get; } =
        "INSERT INTO tariff_origin (origin, measure_id, version) VALUES (@Origin, @MeasureId, @Version)";

    public string InsertTariffPeriod { get; } = """
        INSERT INTO tariff_period (measure_id, version, seq, record_id, start_date, end_date, status, rate_bp, rate_description,
            legal_instrument, suspended_bp, suspended_until, truce_term_id, note, confidence)
        VALUES (@MeasureId, @Version, @Seq, @RecordId, @StartDate, @EndDate, @Status, @RateBp, @RateDescription,
            @PeriodInstrument, @SuspendedBp, @SuspendedUntil, @TruceTermId, @PeriodNote, @PeriodConfidence)
        """;

    public string InsertExportControl { get; } = """
        INSERT INTO export_control (control_id, version, recorded_time, recorded_by, reason, exporter, all_destinations,
            destinations_json, title, control_type, all_products, scope_prefixes_json, excluded_prefixes_json,
            scope_description, scope_mapping_note, items_json, rules_json, legal_instrument, confidence, notes, source_ids_json)
        VALUES (@ControlId, @Version, @RecordedTime, @RecordedBy, @Reason, @Exporter, @AllDestinations,
            @DestinationsJson, @Title, @ControlType, @AllProducts, @ScopePrefixesJson, @ExcludedPrefixesJson,
            @ScopeDescription, @ScopeMappingNote, @ItemsJson, @RulesJson, @LegalInstrument, @Confidence, @Notes, @SourceIdsJson)
        """;

    public string InsertExportScope { get; } =
        "INSERT INTO export_scope (exporter, prefix, control_id, version) VALUES (@Exporter, @Prefix, @ControlId, @Version)";

    public string InsertExportItem { get; } =
        "INSERT INTO export_item (exporter, name, control_id, version) VALUES (@Exporter, @Name, @ControlId, @Version)";

    public string InsertExportDestination { get; } =
        "INSERT INTO export_destination (destination, control_id, version) VALUES (@Destination, @ControlId, @Version)";

    public string InsertExportPeriod { get; } = """
        INSERT INTO export_period (control_id, version, seq, record_id, start_date, end_date, status, legal_instrument,
            suspended_until, truce_term_id, note, confidence)
        VALUES (@ControlId, @Version, @Seq, @RecordId, @StartDate, @EndDate, @Status, @PeriodInstrument,
            @SuspendedUntil, @TruceTermId, @PeriodNote, @PeriodConfidence)
        """;

    public string InsertTruce { get; } = """
        INSERT INTO truce (truce_id, version, recorded_time, recorded_by, reason, title, parties_json, concluded_date,
            effective_date, confidence, notes, source_ids_json)
        VALUES (@TruceId, @Version, @RecordedTime, @RecordedBy, @Reason, @Title, @PartiesJson, @ConcludedDate,
            @EffectiveDate, @Confidence, @Notes, @SourceIdsJson)
        """;

    public string InsertTruceParty { get; } =
        "INSERT INTO truce_party (party, truce_id, version) VALUES (@Party, @TruceId, @Version)";

    public string InsertTruceExtension { get; } = """
        INSERT INTO truce_extension (truce_id, version, seq, record_id, start_date, expiry_date, legal_instrument, note)
        VALUES (@TruceId, @Version, @Seq, @RecordId, @StartDate, @ExpiryDate, @LegalInstrument, @Note)
        """;

    public string InsertTruceTerm { get; } = """
        INSERT INTO truce_term (term_id, truce_id, version, seq, committing_parties_json, term_type, scope, description,
            legal_instrument, announced_date, effective_date, status_note, measure_ids_json, purchases_json,
            source_ids_json, confidence)
        VALUES (@TermId, @TruceId, @Version, @Seq, @CommittingPartiesJson, @TermType, @Scope, @Description,
            @LegalInstrument, @AnnouncedDate, @EffectiveDate, @StatusNote, @MeasureIdsJson, @PurchasesJson,
            @SourceIdsJson, @Confidence)
        """;

    public string InsertPolicyEvent { get; } = """
        INSERT INTO policy_event (event_id, truce_id, version, seq, event_date, actors_json, subject, description,
            source_ids_json, confidence)
        VALUES (@EventId, @TruceId, @Version, @Seq, @EventDate, @ActorsJson, @Subject, @Description, @SourceIdsJson, @Confidence)
        """;
}
